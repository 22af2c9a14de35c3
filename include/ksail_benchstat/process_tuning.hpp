// Process-wide tuning for large inputs, applied once by main() before anything else runs.
#pragma once

namespace ksail_benchstat {

// Sets the C library's allocator up for large inputs: hundreds of thousands of small, long-lived
// allocations next to a few growing arrays. When the files named on the command line add up to
// tens of megabytes, it also re-executes the program with the allocator's transparent huge pages
// switched on (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), unless the user set GLIBC_TUNABLES already.
// Returns normally when there is nothing to do or the re-execution fails.
void tune_process(int argc, char** argv);

// Hands the pages of freed memory back to the system. tune_process() asks the allocator to keep
// what is freed (trimming it piecemeal is slow); a caller that has just freed a large share of the
// heap, in whole pages, calls this so that the memory it makes next does not add to the peak.
// Does nothing where the C library offers no way to do it.
void return_free_memory();

}  // namespace ksail_benchstat
