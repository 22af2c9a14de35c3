// Process-wide tuning for large inputs, applied once by main() before anything else runs.
#pragma once

namespace ksail_benchstat {

// Sets the C library's allocator up for large inputs: hundreds of thousands of small, long-lived
// allocations next to a few growing arrays. When the files named on the command line add up to
// tens of megabytes, it also re-executes the program with the allocator's transparent huge pages
// switched on (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), unless the user set GLIBC_TUNABLES already.
// Returns normally when there is nothing to do or the re-execution fails.
void tune_process(int argc, char** argv);

}  // namespace ksail_benchstat
