// A minimal parallel loop over independent iterations (no pool kept between calls).
#include "ksail_benchstat/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

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

std::size_t cores() { return std::max(1u, std::thread::hardware_concurrency()); }

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
    const auto work = [&] {
        for (std::size_t begin = next.fetch_add(chunk); begin < n; begin = next.fetch_add(chunk)) {
            const std::size_t end = std::min(begin + chunk, n);
            for (std::size_t i = begin; i < end; ++i) body(i);
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
}

}  // namespace ksail_benchstat
