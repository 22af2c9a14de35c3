// Tests of how compare() places series into tables, rows and cells when the inputs' order varies.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

// One result line of `name` with three metrics: `ns` nanoseconds per op, then bytes and allocations.
std::string line(std::string_view name, double ns, int i = 0) {
    return std::string(name) + "-8\t1000\t" + std::to_string(ns * (1 + 0.01 * i)) + " ns/op\t" +
           std::to_string(64 + i) + " B/op\t2 allocs/op\n";
}

// Three result lines of `name`, the times `ns` and a little more.
std::string runs(std::string_view name, double ns) {
    std::string out;
    for (int i = 0; i < 3; ++i) out += line(name, ns, i);
    return out;
}

Report compare_texts(const std::string& before, const std::string& after) {
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
    inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
    return compare(std::move(inputs), CompareOptions{});
}

const Table& table_of(const Report& report, std::string_view unit) {
    for (const Table& table : report.tables) {
        if (table.unit == unit) return table;
    }
    ADD_FAILURE() << "no table for " << unit;
    return report.tables.front();
}

std::vector<std::string> row_names(const Table& table) {
    std::vector<std::string> names;
    for (const Row& row : table.rows) names.emplace_back(row.display());
    return names;
}

// A benchmark run again later in the same input, and the other input in another order: each
// benchmark is one row per unit, in the order first seen, and a rerun's samples pool in its cell.
TEST(CompareGrouping, RerunsPoolAndOrderFollowsFirstSight) {
    const std::string header = "pkg: example.com/p\n";
    const std::string before = header + runs("BenchmarkA", 100) + runs("BenchmarkB", 200) + runs("BenchmarkA", 100);
    const std::string after = header + runs("BenchmarkC", 50) + runs("BenchmarkB", 210) + runs("BenchmarkA", 90);
    const Report report = compare_texts(before, after);
    for (std::string_view unit : {"sec/op", "B/op", "allocs/op"}) {
        const Table& table = table_of(report, unit);
        ASSERT_EQ(row_names(table), (std::vector<std::string>{"A-8", "B-8", "C-8"})) << unit;
        ASSERT_GE(table.rows[0].cells.size(), 2u);
        ASSERT_TRUE(table.rows[0].cells[0].has_value());
        ASSERT_TRUE(table.rows[0].cells[1].has_value());
        EXPECT_EQ(table.rows[0].cells[0]->size(), 6u) << unit;  // two runs of A in `before`
        EXPECT_EQ(table.rows[0].cells[1]->size(), 3u) << unit;
        ASSERT_TRUE(table.rows[1].cells[0].has_value());
        EXPECT_EQ(table.rows[1].cells[0]->size(), 3u) << unit;
        EXPECT_FALSE(table.rows[2].cells[0].has_value()) << unit;  // C is only in `after`
    }
}

// Lines of two benchmarks interleaved: each line's series still reach their own rows.
TEST(CompareGrouping, InterleavedBenchmarksKeepTheirRows) {
    const std::string header = "pkg: example.com/p\n";
    std::string before = header;
    std::string after = header;
    for (int i = 0; i < 3; ++i) {
        before += line("BenchmarkX", 100) + line("BenchmarkY", 300);
        after += line("BenchmarkY", 300) + line("BenchmarkX", 100);
    }
    const Report report = compare_texts(before, after);
    const Table& table = table_of(report, "sec/op");
    ASSERT_EQ(row_names(table), (std::vector<std::string>{"X-8", "Y-8"}));
    for (const Row& row : table.rows) {
        ASSERT_TRUE(row.cells[0].has_value());
        ASSERT_TRUE(row.cells[1].has_value());
        EXPECT_EQ(row.cells[0]->size(), 3u);
        EXPECT_EQ(row.cells[1]->size(), 3u);
    }
    EXPECT_NEAR(table.rows[0].cells[0]->summary.center, 100e-9, 1e-12);
    EXPECT_NEAR(table.rows[1].cells[1]->summary.center, 300e-9, 1e-12);
}

}  // namespace
}  // namespace ksail_benchstat
