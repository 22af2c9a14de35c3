# An interface target carrying our warning flags, applied to our own targets only.
add_library(ksail_warnings INTERFACE)
target_compile_options(ksail_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports impossible memcpy overlaps inside std::string at -O2/-O3 (GCC bug 105651).
  target_compile_options(ksail_warnings INTERFACE -Wno-restrict)
  if(KSAIL_SANITIZE)
    # With the sanitizers' instrumentation at -O1, GCC 12 reports uninitialised reads inside
    # libstdc++'s <regex> automaton (std::function moves); the sanitizers themselves check reads.
    target_compile_options(ksail_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
if(KSAIL_WARNINGS_AS_ERRORS)
  target_compile_options(ksail_warnings INTERFACE -Werror)
endif()
