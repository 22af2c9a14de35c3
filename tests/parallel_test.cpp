// parallel_for: every index is visited once.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <vector>

#include "ksail_benchstat/parallel.hpp"

using namespace ksail_benchstat;

TEST(ParallelFor, VisitsEveryIndexOnce) {
    constexpr std::size_t n = 10007;
    std::vector<std::atomic<int>> visits(n);
    parallel_for(n, 1, 64, [&](std::size_t i) { visits[i].fetch_add(1); });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << i;
}

// Loops follow each other on the same workers, with whatever thread counts their sizes ask for.
TEST(ParallelFor, ManyLoopsInARow) {
    for (std::size_t n : {0, 1, 2, 3, 100, 5000, 7, 20000}) {
        for (std::size_t chunk : {1, 64}) {
            std::vector<std::atomic<int>> visits(n);
            parallel_for(n, 1, chunk, [&](std::size_t i) { visits[i].fetch_add(1); });
            for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << n << " " << chunk << " " << i;
        }
    }
}

// A loop inside a loop's body runs on threads of its own, while the outer loop keeps the workers.
TEST(ParallelFor, NestedLoops) {
    constexpr std::size_t outer = 8;
    constexpr std::size_t inner = 3000;
    std::vector<std::atomic<int>> visits(outer * inner);
    parallel_for(outer, 1, 1, [&](std::size_t o) {
        parallel_for(inner, 1, 16, [&](std::size_t i) { visits[o * inner + i].fetch_add(1); });
    });
    for (std::size_t i = 0; i < visits.size(); ++i) ASSERT_EQ(visits[i].load(), 1) << i;
}

// Iterations that wait for the one before them (as the ordered writers' chunks do) finish: indices
// are handed out in increasing order, so the awaited one is always already taken.
TEST(ParallelFor, EachIterationWaitsForThePreviousOne) {
    constexpr std::size_t n = 2000;
    std::atomic<std::size_t> done{0};
    std::vector<std::size_t> order;
    parallel_for(n, 1, 1, [&](std::size_t i) {
        for (std::size_t d = done.load(); d != i; d = done.load()) done.wait(d);
        order.push_back(i);
        done.store(i + 1);
        done.notify_all();
    });
    ASSERT_EQ(order.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(order[i], i);
}
