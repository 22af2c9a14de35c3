// A parallel loop over independent iterations, on worker threads kept for the process's life.
#include "ksail_benchstat/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "ksail_benchstat/samples.hpp"

namespace ksail_benchstat {

namespace {

// KSAIL_THREADS=N, when set to a number from 1 to 256; otherwise 0.
std::size_t forced_threads() {
    if (const char* forced = std::getenv("KSAIL_THREADS")) {
        const long value = std::strtol(forced, nullptr, 10);
        if (value >= 1 && value <= 256) return static_cast<std::size_t>(value);
    }
    return 0;
}

// Read once: the C library asks the system anew on every call (a file read on Linux).
std::size_t cores() {
    static const std::size_t count = std::max(1u, std::thread::hardware_concurrency());
    return count;
}

// Threads that wait between loops instead of being started for each. A large comparison runs
// about sixty loops one after the other, and starting a thread for each cost about 55 µs; a waiting
// worker is woken in a fraction of that. Workers are started when a loop first needs them and
// stopped (and joined) as the program exits.
//
// One loop at a time: a loop that begins while another runs (a loop's body starting one of its
// own) starts threads of its own, as every loop once did.
class WorkerPool {
public:
    WorkerPool() = default;
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    ~WorkerPool() {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (auto& worker : m_workers) worker.join();
    }

    // Runs `work` on the calling thread and on `helpers` workers, and returns once all are done;
    // false, having run nothing, when the pool is busy with another loop.
    bool run(std::size_t helpers, const std::function<void()>& work) {
        if (m_busy.exchange(true, std::memory_order_acquire)) return false;
        {
            const std::lock_guard lock(m_mutex);
            m_job = &work;
            m_wanted = helpers;
            m_claimed = 0;
            m_finished = 0;
            ++m_generation;
            while (m_workers.size() < helpers) m_workers.emplace_back([this] { serve(); });
        }
        m_wake.notify_all();
        work();
        {
            std::unique_lock lock(m_mutex);
            m_done.wait(lock, [&] { return m_finished == m_wanted; });
            m_job = nullptr;
        }
        m_busy.store(false, std::memory_order_release);
        return true;
    }

private:
    // A worker's life: wait for a loop that still wants helpers, take part, report, wait again.
    void serve() {
        std::uint64_t joined = 0;  // the last loop this worker took part in
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || (m_generation != joined && m_claimed < m_wanted); });
            if (m_stop) return;
            joined = m_generation;
            ++m_claimed;
            const std::function<void()>& work = *m_job;
            lock.unlock();
            work();
            // What a thread's end would settle, as each loop's threads once ended with it.
            release_thread_samples();
            lock.lock();
            if (++m_finished == m_wanted) m_done.notify_one();
        }
    }

    std::atomic<bool> m_busy{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;  // a loop has begun, or the program ends
    std::condition_variable m_done;  // the last helper of a loop is done
    std::vector<std::thread> m_workers;
    const std::function<void()>* m_job = nullptr;
    std::uint64_t m_generation = 0;  // loops begun
    std::size_t m_wanted = 0;        // helpers the current loop asks for
    std::size_t m_claimed = 0;       // helpers that have joined it
    std::size_t m_finished = 0;      // helpers that are done with it
    bool m_stop = false;
};

WorkerPool& pool() {
    static WorkerPool workers;
    return workers;
}

}  // namespace

void parallel_for(std::size_t n, std::size_t min_per_thread, std::size_t chunk,
                  const std::function<void(std::size_t)>& body) {
    chunk = std::max<std::size_t>(chunk, 1);
    std::size_t threads = std::min(cores(), std::max<std::size_t>(1, n / std::max<std::size_t>(min_per_thread, 1)));
    // KSAIL_THREADS=N uses exactly N threads wherever there is work for them, whatever the input
    // size: for the tests that check the output does not depend on the thread count.
    if (const std::size_t forced = forced_threads(); forced > 0) {
        threads = std::min(forced, std::max<std::size_t>(n, 1));
    }
    std::atomic<std::size_t> next{0};
    const std::function<void()> work = [&] {
        for (std::size_t begin = next.fetch_add(chunk); begin < n; begin = next.fetch_add(chunk)) {
            const std::size_t end = std::min(begin + chunk, n);
            for (std::size_t i = begin; i < end; ++i) body(i);
        }
    };
    if (threads <= 1) {
        work();
        return;
    }
    if (pool().run(threads - 1, work)) return;
    std::vector<std::thread> own;
    for (std::size_t t = 1; t < threads; ++t) own.emplace_back(work);
    work();
    for (auto& t : own) t.join();
}

}  // namespace ksail_benchstat
