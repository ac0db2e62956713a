/*
 * USB descriptors of the nightpose sensor, as data: a full-speed device with
 * a CDC-ACM function (appears as /dev/ttyACM*) and a vendor-specific interface
 * with one bulk endpoint pair (for libusb), grouped by an interface association
 * so hosts bind the CDC driver to interfaces 0-1 only.
 * Layouts: USB 2.0 spec chapter 9.6, CDC 1.2 / PSTN 1.2 section 5, IAD ECN.
 */
#ifndef NIGHTPOSE_FIRMWARE_USB_USB_DESC_H
#define NIGHTPOSE_FIRMWARE_USB_USB_DESC_H

#include <stddef.h>
#include <stdint.h>

/* pid.codes: VID 0x1209 is shared; 0x0001 is its test PID until nightpose has its own. */
#define NP_USB_VID 0x1209u
#define NP_USB_PID 0x0001u
#define NP_USB_BCD_DEVICE 0x0010u

#define NP_USB_EP0_SIZE 64u
#define NP_USB_IF_CDC_COMM 0u
#define NP_USB_IF_CDC_DATA 1u
#define NP_USB_IF_VENDOR 2u
#define NP_USB_NUM_INTERFACES 3u

#define NP_USB_EP_CDC_NOTIFY 0x81u /* interrupt IN, 8 bytes */
#define NP_USB_EP_CDC_OUT 0x02u    /* bulk OUT, 64 */
#define NP_USB_EP_CDC_IN 0x82u     /* bulk IN, 64 */
#define NP_USB_EP_VENDOR_OUT 0x03u /* bulk OUT, 64 */
#define NP_USB_EP_VENDOR_IN 0x83u  /* bulk IN, 64 */

enum np_usb_string {
	NP_USB_STR_LANGID = 0,
	NP_USB_STR_MANUFACTURER = 1,
	NP_USB_STR_PRODUCT = 2,
	NP_USB_STR_SERIAL = 3,
	NP_USB_STR_CDC = 4,
	NP_USB_STR_VENDOR = 5,
	NP_USB_STR_COUNT = 6,
};

extern const uint8_t np_usb_device_desc[18];
extern const uint8_t np_usb_config_desc[];
extern const size_t np_usb_config_desc_len;

/*
 * String descriptor index idx into out (UTF-16LE from ASCII). serial is the
 * device serial (HELLO's). Returns the descriptor length, 0 for an unknown index
 * or a too-small buffer.
 */
size_t np_usb_string_desc(unsigned idx, const char *serial, uint8_t *out, size_t cap);

#endif
