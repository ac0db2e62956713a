#!/bin/sh
# Flash and RAM per firmware board, from arm-none-eabi-size.
#   bench/fw_size.sh [FIRMWARE_BUILD_DIR]     (default: build-fw; build it first with
#   cmake -S firmware -B build-fw --toolchain "$PWD/cmake/arm-none-eabi.cmake" && cmake --build build-fw)
# flash = text + data (the initial values of data live in flash); RAM = data + bss, where
# bss includes .noinit and the 2 KiB the linker reserves for the stack
# (firmware/boards/common/sections.ld), so RAM is the whole static footprint.
set -eu
dir=${1:-build-fw}
found=0
printf '%-22s %10s %10s\n' board flash_B ram_B
for elf in "$dir"/boards/*/nightpose-*.elf; do
	[ -f "$elf" ] || continue
	found=1
	arm-none-eabi-size "$elf" | awk -v name="$(basename "$elf" .elf)" 'NR == 2 {
		printf "%-22s %10d %10d\n", name, $1 + $2, $2 + $3
	}'
done
if [ "$found" = 0 ]; then
	echo "fw_size.sh: no firmware ELF under $dir/boards (build the firmware first)" >&2
	exit 1
fi
