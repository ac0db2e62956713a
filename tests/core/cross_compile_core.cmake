# ctest script: compile every core/*.c for the Cortex-M4 with the warnings of the
# firmware build, so CI proves np_core still builds for the MCU.
#   cmake -DNP_ARM_GCC=<compiler> -DNP_CORE_DIR=<core/> -DNP_OUT_DIR=<dir> -P cross_compile_core.cmake
if(NOT NP_ARM_GCC OR NOT EXISTS "${NP_ARM_GCC}")
	message(FATAL_ERROR "arm-none-eabi-gcc not found (install gcc-arm-none-eabi and libnewlib-arm-none-eabi, then re-run cmake)")
endif()
file(GLOB sources "${NP_CORE_DIR}/*.c")
if(NOT sources)
	message(FATAL_ERROR "no sources in ${NP_CORE_DIR}")
endif()
file(MAKE_DIRECTORY "${NP_OUT_DIR}")
set(failed "")
foreach(src ${sources})
	get_filename_component(name "${src}" NAME_WE)
	execute_process(
		COMMAND "${NP_ARM_GCC}" -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
			-std=c11 -Wall -Wextra -Wshadow -Wconversion -Werror -O2
			-c "${src}" -o "${NP_OUT_DIR}/${name}.o"
		RESULT_VARIABLE rc)
	if(rc EQUAL 0)
		message(STATUS "ok ${name}.c")
	else()
		list(APPEND failed "${name}.c")
	endif()
endforeach()
if(failed)
	message(FATAL_ERROR "core does not build for cortex-m4: ${failed}")
endif()
