// SharedText: immutable text whose copies share one block.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/parse_gbench_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/shared_text.hpp"

using namespace ksail_benchstat;

TEST(SharedText, EmptyByDefaultAndFromEmptyText) {
    const SharedText none;
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.size(), 0u);
    EXPECT_EQ(none.view(), "");
    EXPECT_EQ(none, "");
    EXPECT_TRUE(SharedText(std::string()).empty());
}

TEST(SharedText, ReadsAndComparesLikeAString) {
    const SharedText name("BenchmarkParse/size=1-8");
    const std::string same = "BenchmarkParse/size=1-8";
    EXPECT_EQ(name.size(), same.size());
    EXPECT_EQ(name.str(), same);
    EXPECT_TRUE(name == same);
    EXPECT_TRUE(name == std::string_view(same));
    EXPECT_TRUE(name == "BenchmarkParse/size=1-8");
    EXPECT_TRUE(same == name);
    EXPECT_FALSE(name == "BenchmarkParse/size=1-4");
    EXPECT_TRUE(name == SharedText(same));  // equal text in two blocks
    EXPECT_FALSE(name.same_block(SharedText(same)));
    EXPECT_LT(SharedText("a"), SharedText("b"));
    EXPECT_EQ(name + " vs x", same + " vs x");
    EXPECT_EQ(fmt::format("[{:>25}]", name), fmt::format("[{:>25}]", same));
    std::ostringstream printed;
    printed << name;
    EXPECT_EQ(printed.str(), same);
    EXPECT_EQ(std::hash<SharedText>{}(name), std::hash<std::string_view>{}(same));
    const std::unordered_set<SharedText> set{name, SharedText(same), SharedText("other")};
    EXPECT_EQ(set.size(), 2u);
}

TEST(SharedText, CopiesShareOneBlockThatOutlivesTheOriginal) {
    SharedText copy;
    {
        const SharedText original("BenchmarkX");
        copy = original;
        EXPECT_TRUE(copy.same_block(original));
        EXPECT_EQ(copy.data(), original.data());
    }
    EXPECT_EQ(copy, "BenchmarkX");  // still held by the copy
    SharedText moved = std::move(copy);
    EXPECT_EQ(moved, "BenchmarkX");
    EXPECT_TRUE(copy.empty());  // NOLINT: a moved-from SharedText is empty
    moved = moved;              // self-assignment keeps the text
    EXPECT_EQ(moved, "BenchmarkX");
    moved = SharedText("Y");
    EXPECT_EQ(moved, "Y");
}

TEST(SharedText, ThreadsCopyAndDropOneBlockAtOnce) {
    const SharedText shared(std::string(100, 'n'));
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&shared] {
            std::vector<SharedText> copies;
            for (int i = 0; i < 20000; ++i) {
                copies.push_back(shared);
                if (copies.size() > 100) copies.clear();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(shared, std::string(100, 'n'));
    // Only `shared` holds the block now: a copy of it and the original can still be dropped in turn.
    SharedText last = shared;
    EXPECT_TRUE(last.same_block(shared));
}

TEST(SharedText, AGoBenchmarksSeriesShareItsName) {
    const ParsedInput parsed = parse_go_text(
        "BenchmarkA-8\t10\t100 ns/op\t64 B/op\t2 allocs/op\n"
        "BenchmarkA-8\t10\t110 ns/op\t64 B/op\t2 allocs/op\n"
        "BenchmarkB-8\t10\t100 ns/op\t64 B/op\n"
        "BenchmarkA-8\t10\t120 ns/op\t64 B/op\t2 allocs/op\t5 MB/s\n",
        "x.txt");
    ASSERT_EQ(parsed.series.size(), 6u);
    EXPECT_EQ(parsed.series[0].name, "BenchmarkA-8");
    EXPECT_TRUE(parsed.series[1].name.same_block(parsed.series[0].name));
    EXPECT_TRUE(parsed.series[2].name.same_block(parsed.series[0].name));
    EXPECT_EQ(parsed.series[3].name, "BenchmarkB-8");
    EXPECT_TRUE(parsed.series[4].name.same_block(parsed.series[3].name));
    // A unit A gains after B was read is a later series, and still shares A's name.
    EXPECT_EQ(parsed.series[5].unit, "B/s");
    EXPECT_TRUE(parsed.series[5].name.same_block(parsed.series[0].name));
    // The series of one unit share it too.
    EXPECT_EQ(parsed.series[3].unit, "sec/op");
    EXPECT_TRUE(parsed.series[3].unit.same_block(parsed.series[0].unit));
    EXPECT_TRUE(parsed.series[4].unit.same_block(parsed.series[1].unit));
    EXPECT_FALSE(parsed.series[0].unit.same_block(parsed.series[1].unit));
}

TEST(SharedText, AGoogleBenchmarksMetricsShareItsName) {
    const ParsedInput parsed = parse_gbench_json(R"({"context": {}, "benchmarks": [
        {"name": "BM_A", "run_type": "iteration", "repetitions": 2, "repetition_index": 0, "iterations": 10,
         "real_time": 10, "cpu_time": 9, "time_unit": "ns"},
        {"name": "BM_A", "run_type": "iteration", "repetitions": 2, "repetition_index": 1, "iterations": 10,
         "real_time": 11, "cpu_time": 10, "time_unit": "ns"}]})",
                                                 "x.json");
    ASSERT_GE(parsed.series.size(), 2u);
    for (const Series& s : parsed.series) {
        EXPECT_EQ(s.name, "BM_A");
        EXPECT_TRUE(s.name.same_block(parsed.series[0].name));
    }
}

TEST(SharedText, AGoogleBenchmarkFilesSeriesShareTheirUnits) {
    const ParsedInput parsed = parse_gbench_json(R"({"context": {}, "benchmarks": [
        {"name": "BM_A", "run_type": "iteration", "iterations": 10, "real_time": 10, "cpu_time": 9, "time_unit": "ns"},
        {"name": "BM_B", "run_type": "iteration", "iterations": 10, "real_time": 11, "cpu_time": 10, "time_unit": "ns"}]})",
                                                 "x.json");
    std::size_t compared = 0;
    for (const Series& a : parsed.series) {
        for (const Series& b : parsed.series) {
            if (a.name == b.name) continue;
            EXPECT_EQ(a.unit == b.unit, a.unit.same_block(b.unit)) << a.unit << " " << b.unit;
            ++compared;
        }
    }
    EXPECT_GE(compared, 4u);
}
