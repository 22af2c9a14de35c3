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
