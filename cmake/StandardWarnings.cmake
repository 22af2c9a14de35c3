# An interface target carrying our warning flags, applied to our own targets only.
add_library(ksail_warnings INTERFACE)
target_compile_options(ksail_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(KSAIL_WARNINGS_AS_ERRORS)
  target_compile_options(ksail_warnings INTERFACE -Werror)
endif()
