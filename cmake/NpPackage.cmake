# The Debian package: `cpack -G DEB` in a build dir configured with
# -DCMAKE_INSTALL_PREFIX=/usr (so that libdir is lib/x86_64-linux-gnu and the
# zsh completion lands in vendor-completions) gives nightpose_<version>_amd64.deb.
set(CPACK_PACKAGE_NAME nightpose)
set(CPACK_PACKAGE_VENDOR "nightpose")
set(CPACK_PACKAGE_CONTACT "nightpose maintainers <nightpose@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sleep position recorder and reports for a chest-worn accelerometer")
set(CPACK_PACKAGE_DESCRIPTION
	"nightpose records a chest-worn accelerometer through the night and reports the lying
positions (supine, prone, left, right, upright), time in positions to avoid and the trend
from night to night; it can alert during the night. Includes libnightpose.so.0 with its
headers and pkg-config file, man pages, shell completions and a udev rule for the device.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # nightpose_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The Debian 12 packages of the shared libraries the program links (ldd, dpkg -S),
# and PLplot's cairo driver, which it loads at run time for PNG, SVG and PDF.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
	"libc6 (>= 2.34), libserialport0, libcjson1 (>= 1.7.15), libplplot17, plplot-driver-cairo, libkissfft-float131, libedf1, libcsv3, libinih1")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion, man-db")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "zsh")

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
	message(STATUS "nightpose: for the .deb, configure with -DCMAKE_INSTALL_PREFIX=/usr")
endif()
include(CPack)
