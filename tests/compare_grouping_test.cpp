// Tests of how compare() places series into tables, rows and cells when the inputs' order varies.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "ksail_benchstat/cli.hpp"
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

// A comparison of thousands of rows frames its tables and makes its rows on several threads. With
// packages, benchmarks that are only in one input, reruns and projections that take the grouping's
// general paths, every output must be the same as on one thread.
TEST(CompareGrouping, ProjectionsDoNotDependOnTheThreadCount) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("ksail-grouping-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string before;
    std::string after;
    for (int p = 0; p < 4; ++p) {
        const std::string header = "pkg: example.com/p" + std::to_string(p) + "\n";
        before += header;
        after += header;
        for (int b = 0; b < 1600; ++b) {
            const std::string name = "BenchmarkN" + std::to_string(b) + "/size=" + std::to_string(b % 4);
            if (b % 97 != 0) before += runs(name, 100 + b);
            if (b % 89 != 0) after += runs(name, b % 5 == 0 ? 130 + b : 100 + b);
        }
        before += "goos: " + std::string(p % 2 == 0 ? "linux" : "darwin") + "\n" + runs("BenchmarkN7/size=3", 107);
    }
    std::ofstream(dir / "before.txt") << before;
    std::ofstream(dir / "after.txt") << after;
    const std::vector<std::vector<std::string>> option_sets = {
        {},
        {"--filter", ".unit:sec/op"},
        {"--row", ".name", "--col", "/size"},
        {"--table", "pkg", "--row", ".fullname"},
        {"--ignore", "goos"},
        {"--row", "/size", "--col", ".file"},
    };
    for (const auto& options : option_sets) {
        for (const std::string format : {"text", "csv"}) {
            std::vector<std::string> args = options;
            args.insert(args.end(), {"--format", format, (dir / "before.txt").string(), (dir / "after.txt").string()});
            std::string outputs[2];
            for (int t = 0; t < 2; ++t) {
                ::setenv("KSAIL_THREADS", t == 0 ? "1" : "2", 1);
                std::ostringstream out;
                std::ostringstream err;
                EXPECT_EQ(run(args, out, err), 0) << err.str();
                outputs[t] = out.str() + err.str();
            }
            ::unsetenv("KSAIL_THREADS");
            EXPECT_GT(outputs[0].size(), 1000u);
            EXPECT_EQ(outputs[0], outputs[1]) << testing::PrintToString(args);
        }
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ksail_benchstat
