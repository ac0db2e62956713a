# np_warnings(target): the warning set every nightpose target builds clean with.
function(np_warnings target)
	target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion)
	if(NP_WERROR)
		target_compile_options(${target} PRIVATE -Werror)
	endif()
endfunction()
