// Work spread over the machine's cores, for loops whose iterations are independent.
#pragma once

#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace ksail_benchstat {

// Calls body(i) for every i in [0, n), on up to hardware_concurrency() threads (the caller's
// included), handing out `chunk` consecutive indices at a time. Only as many threads start as
// there are `min_per_thread` iterations for each (the environment variable KSAIL_THREADS=N forces
// N threads). body must not throw; results must be stored by index, so the outcome is the same
// for any number of threads.
void parallel_for(std::size_t n, std::size_t min_per_thread, std::size_t chunk,
                  const std::function<void(std::size_t)>& body);

// Work whose end the caller need not wait for (letting go of large structures, say), done on
// another thread while the caller goes on. wait(), or the destructor, waits for all of it. Where
// only one thread is to run (one core, or KSAIL_THREADS=1) the work is done at once instead.
class WorkBehind {
public:
    WorkBehind() = default;
    WorkBehind(const WorkBehind&) = delete;
    WorkBehind& operator=(const WorkBehind&) = delete;
    ~WorkBehind() { wait(); }
    // `work` must not throw.
    void run(std::function<void()> work);
    void wait() noexcept;

private:
    std::vector<std::thread> m_threads;
};

}  // namespace ksail_benchstat
