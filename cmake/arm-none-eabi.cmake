# Toolchain file for the firmware: GNU Arm Embedded (Debian gcc-arm-none-eabi + libnewlib-arm-none-eabi).
#   cmake -S firmware -B build-fw --toolchain cmake/arm-none-eabi.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy for .bin images")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size for the size report")

# No OS to run a test program on: compiler checks build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Cortex-M4 with single-precision FPU (STM32F405 and STM32F411 alike).
set(NP_MCU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${NP_MCU_FLAGS} -ffunction-sections -fdata-sections -fno-common")
set(CMAKE_ASM_FLAGS_INIT "${NP_MCU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${NP_MCU_FLAGS} -Wl,--gc-sections -specs=nano.specs -specs=nosys.specs")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
