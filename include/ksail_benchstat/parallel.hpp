// Work spread over the machine's cores, for loops whose iterations are independent.
#pragma once

#include <cstddef>
#include <functional>

namespace ksail_benchstat {

// Calls body(i) for every i in [0, n), on up to hardware_concurrency() threads (the caller's
// included), handing out `chunk` consecutive indices at a time. Only as many threads start as
// there are `min_per_thread` iterations for each (the environment variable KSAIL_THREADS=N forces
// N threads). body must not throw; results must be stored by index, so the outcome is the same
// for any number of threads.
void parallel_for(std::size_t n, std::size_t min_per_thread, std::size_t chunk,
                  const std::function<void(std::size_t)>& body);

}  // namespace ksail_benchstat
