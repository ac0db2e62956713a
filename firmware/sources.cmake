# Portable firmware sources, shared by the firmware build (firmware/CMakeLists.txt)
# and the host unit tests (tests/firmware/CMakeLists.txt).
set(FW_DIR ${CMAKE_CURRENT_LIST_DIR})
set(FW_APP_SOURCES
	${FW_DIR}/app/fw_alert.c
	${FW_DIR}/app/fw_app.c
	${FW_DIR}/app/fw_command.c
	${FW_DIR}/app/fw_motor.c
	${FW_DIR}/app/fw_sampler.c
	${FW_DIR}/app/fw_stream.c
)
set(FW_DRIVER_SOURCES
	${FW_DIR}/drivers/lis3dh.c
)
# USB device, controller-independent: descriptors, control requests, endpoint-0
# state machine and the link over the bulk endpoints. The Black Pill's OTG_FS
# driver (boards/blackpill/otg_fs.c) sits under usb_dev.c.
set(FW_USB_SOURCES
	${FW_DIR}/usb/usb_ctrl.c
	${FW_DIR}/usb/usb_desc.c
	${FW_DIR}/usb/usb_dev.c
)
set(FW_INCLUDE_DIRS ${FW_DIR}/app ${FW_DIR}/drivers ${FW_DIR}/usb)
