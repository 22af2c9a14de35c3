// parallel_for and WorkBehind: every piece of work is done once, and waited for.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "ksail_benchstat/parallel.hpp"

using namespace ksail_benchstat;

TEST(ParallelFor, VisitsEveryIndexOnce) {
    constexpr std::size_t n = 10007;
    std::vector<std::atomic<int>> visits(n);
    parallel_for(n, 1, 64, [&](std::size_t i) { visits[i].fetch_add(1); });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << i;
}

TEST(WorkBehind, WaitReturnsWhenAllWorkIsDone) {
    std::atomic<int> done{0};
    WorkBehind behind;
    for (int i = 0; i < 5; ++i) behind.run([&done] { done.fetch_add(1); });
    behind.wait();
    EXPECT_EQ(done.load(), 5);
    // It can be used again after a wait.
    behind.run([&done] { done.fetch_add(1); });
    behind.wait();
    EXPECT_EQ(done.load(), 6);
}

TEST(WorkBehind, DestructorWaitsAndTheWorkOwnsWhatItTakes) {
    std::atomic<int> done{0};
    auto big = std::make_shared<std::vector<int>>(100000, 7);
    {
        WorkBehind behind;
        behind.run([taken = std::move(big), &done] {
            long sum = 0;
            for (int v : *taken) sum += v;
            if (sum == 700000) done.fetch_add(1);
        });
    }
    EXPECT_EQ(big, nullptr);
    EXPECT_EQ(done.load(), 1);
}

TEST(WorkBehind, OneThreadDoesTheWorkAtOnce) {
    const char* old = std::getenv("KSAIL_THREADS");
    const std::unique_ptr<char, decltype(&std::free)> saved(old != nullptr ? strdup(old) : nullptr, &std::free);
    ::setenv("KSAIL_THREADS", "1", 1);
    const std::thread::id caller = std::this_thread::get_id();
    std::thread::id ran_on;
    {
        WorkBehind behind;
        behind.run([&ran_on] { ran_on = std::this_thread::get_id(); });
        EXPECT_EQ(ran_on, caller);  // already done, before any wait
    }
    if (saved) {
        ::setenv("KSAIL_THREADS", saved.get(), 1);
    } else {
        ::unsetenv("KSAIL_THREADS");
    }
}
