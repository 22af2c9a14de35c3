// Tests of the report outline: where rows are listed, how benchmarks are counted, the headline in
// parts, short package names and the cells of compared rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/report_outline.hpp"

namespace ksail_benchstat {
namespace {

Report report_of(const std::vector<std::string>& texts) {
    std::vector<InputFile> inputs;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::string label = i == 0 ? "before" : fmt::format("after{}", i);
        inputs.push_back({label, label + ".txt", parse_go_text(texts[i], label + ".txt")});
    }
    return compare(std::move(inputs), {});
}

// `count` samples of `ns` nanoseconds (and 64 B/op) with a small deterministic spread.
std::string samples(std::string_view name, double ns, int count = 6) {
    std::string out;
    for (int i = 0; i < count; ++i) out += fmt::format("{}-8\t1000\t{} ns/op\t64 B/op\n", name, ns * (1 + 0.001 * i));
    return out;
}

std::string pkg(std::string_view path) { return fmt::format("goos: linux\ngoarch: amd64\npkg: {}\n", path); }

std::size_t row_of(const Table& table, std::string_view name) {
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].name == name) return r;
    }
    ADD_FAILURE() << "no row " << name;
    return 0;
}

TEST(ReportOutline, ListsRowsByVerdictWithoutFindings) {
    const std::string before = pkg("example.com/a") + samples("BenchmarkSlow", 100) + samples("BenchmarkFast", 200) +
                               samples("BenchmarkSame", 300) + samples("BenchmarkGone", 50);
    const std::string after = pkg("example.com/a") + samples("BenchmarkSlow", 150) + samples("BenchmarkFast", 100) +
                              samples("BenchmarkSame", 300) + samples("BenchmarkNew", 70);
    const Report report = report_of({before, after});
    const ReportOutline outline(report);
    // Two units (sec/op, B/op) per benchmark: Slow and Fast changed only in time.
    EXPECT_EQ(outline.bucket(Bucket::regressed).size(), 1u);
    EXPECT_EQ(outline.bucket(Bucket::improved).size(), 1u);
    // Steady samples: the unchanged rows are equivalent within ±5%, none inconclusive.
    EXPECT_EQ(outline.bucket(Bucket::equivalent).size(), 4u);
    EXPECT_TRUE(outline.bucket(Bucket::inconclusive).empty());
    EXPECT_TRUE(outline.bucket(Bucket::failing).empty());
    EXPECT_EQ(outline.added().size(), 2u);
    EXPECT_EQ(outline.removed().size(), 2u);
    // Rows of one benchmark in two units count once.
    EXPECT_EQ(outline.count_benchmarks(outline.added()), 1u);
    EXPECT_EQ(outline.count_benchmarks(outline.bucket(Bucket::equivalent)), 3u);

    const Headline h = outline.headline();
    ASSERT_EQ(h.verdicts.size(), 1u);
    EXPECT_EQ(h.verdicts[0].icon, "❌");
    EXPECT_EQ(h.verdicts[0].emphasis, "1 benchmark regressed");
    EXPECT_TRUE(h.bad);
    EXPECT_EQ(h.gate_rule, "");
    EXPECT_EQ(h.counts, (std::vector<std::string>{"🟢 1 improved", "➕ 1 added", "➖ 1 removed", "3 compared",
                                                  "n=6 per side"}));
}

TEST(ReportOutline, FindingsPlaceRowsAndFillTheHeadline) {
    const std::string before = pkg("example.com/a") + samples("BenchmarkSlow", 100) + samples("BenchmarkMaybe", 200);
    const std::string after = pkg("example.com/a") + samples("BenchmarkSlow", 150) + samples("BenchmarkMaybe", 230);
    Report report = report_of({before, after});
    const std::size_t t = report.tables[0].unit == "sec/op" ? 0 : 1;
    const Table& table = report.tables[t];
    report.gate.enabled = true;
    report.gate.passed = false;
    report.gate.rule_text = "the interval beyond +10%";
    report.gate.findings.push_back({t, row_of(table, "BenchmarkSlow-8"), 1, GateStatus::failed, "BenchmarkSlow-8",
                                    "example.com/a", "sec/op", "beyond +10%", 0});
    report.gate.findings.push_back({t, row_of(table, "BenchmarkMaybe-8"), 1, GateStatus::possible_regression,
                                    "BenchmarkMaybe-8", "example.com/a", "sec/op", "reaches +3%", 12});
    report.gate.findings.push_back({t, row_of(table, "BenchmarkMaybe-8"), 1, GateStatus::goal_unmet,
                                    "BenchmarkMaybe-8", "example.com/a", "sec/op", "not -50%", 0});
    const ReportOutline outline(report);
    ASSERT_EQ(outline.bucket(Bucket::failing).size(), 1u);
    ASSERT_EQ(outline.bucket(Bucket::possible).size(), 1u);
    EXPECT_EQ(outline.goals().size(), 1u);
    // A goal never places a row: the possible regression does.
    EXPECT_EQ(outline.bucket(Bucket::possible)[0].finding->status, GateStatus::possible_regression);
    EXPECT_EQ(outline.why(outline.bucket(Bucket::possible)[0].finding),
              "reaches +3%; about 12 samples per side would settle it");

    const Headline h = outline.headline();
    ASSERT_EQ(h.verdicts.size(), 2u);
    EXPECT_EQ(h.verdicts[0].emphasis, "1 benchmark regressed");
    EXPECT_EQ(h.verdicts[1].emphasis, "1 goal not met");
    EXPECT_EQ(h.gate_rule, "the interval beyond +10%");
    EXPECT_TRUE(h.bad);

    // Without the gate a failed finding is a plain regression.
    report.gate.enabled = false;
    const ReportOutline ungated(report);
    EXPECT_TRUE(ungated.bucket(Bucket::failing).empty());
    EXPECT_EQ(ungated.bucket(Bucket::regressed).size(), 1u);
}

// The distinct (package, full name, input) triples among `lists`, counted the plain way.
std::size_t distinct_benchmarks(const Report& report, const std::vector<const std::vector<OutlineItem>*>& lists) {
    std::set<std::tuple<std::string, std::string, std::size_t>> seen;
    for (const auto* list : lists) {
        for (const auto& item : *list) {
            const Table& table = report.tables[item.table];
            seen.emplace(config_value(table.config, "pkg"), table.rows[item.row].name.str(), item.input);
        }
    }
    return seen.size();
}

TEST(ReportOutline, CountsBenchmarksAsDistinctNames) {
    // Rows without a package; one name in two packages (two benchmarks); a package whose tables
    // differ (OnlyTime has no B/op row, so the rows of its two tables do not line up); a benchmark
    // missing from one input (added or removed); three inputs.
    const auto only_time = [](std::string_view name, double ns) {
        std::string out;
        for (int i = 0; i < 6; ++i) out += fmt::format("{}-8\t1000\t{} ns/op\n", name, ns * (1 + 0.001 * i));
        return out;
    };
    const auto input = [&](double scale, bool with_gone, bool with_new) {
        std::string out = samples("BenchmarkNoPackage", 40 * scale);
        out += pkg("example.com/x/diff") + samples("BenchmarkA", 100 * scale) + samples("BenchmarkB", 100);
        out += only_time("BenchmarkOnlyTime", 70 * scale) + samples("BenchmarkC", 300);
        out += pkg("example.com/y/diff") + samples("BenchmarkA", 100) + samples("BenchmarkB", 120 / scale);
        if (with_gone) out += samples("BenchmarkGone", 50);
        if (with_new) out += samples("BenchmarkNew", 60);
        out += pkg("example.com/x/diff") + samples("BenchmarkD", 90 * scale);
        return out;
    };
    for (const auto& texts : {std::vector<std::string>{input(1, true, false), input(1.5, false, true)},
                              std::vector<std::string>{input(1, true, false), input(1.5, false, true),
                                                       input(0.5, true, true)}}) {
        const Report report = report_of(texts);
        const ReportOutline outline(report);
        std::vector<const std::vector<OutlineItem>*> all;
        for (Bucket b : {Bucket::failing, Bucket::regressed, Bucket::possible, Bucket::improved, Bucket::changed,
                         Bucket::below, Bucket::unstable, Bucket::inconclusive, Bucket::equivalent}) {
            const auto& items = outline.bucket(b);
            EXPECT_EQ(outline.count_benchmarks(items), distinct_benchmarks(report, {&items}));
            all.push_back(&items);
        }
        EXPECT_EQ(outline.count_benchmarks(all), distinct_benchmarks(report, all));
        EXPECT_EQ(outline.count_benchmarks(outline.added()), distinct_benchmarks(report, {&outline.added()}));
        EXPECT_EQ(outline.count_benchmarks(outline.removed()), distinct_benchmarks(report, {&outline.removed()}));
        EXPECT_FALSE(outline.added().empty());
        EXPECT_FALSE(outline.removed().empty());
        all.push_back(&outline.added());
        all.push_back(&outline.removed());
        // Lists holding one item twice, and every other item of the report.
        std::vector<OutlineItem> twice;
        std::vector<OutlineItem> every_other;
        std::size_t i = 0;
        for (const auto* list : all) {
            for (const auto& item : *list) {
                twice.push_back(item);
                twice.push_back(item);
                if (i++ % 2 == 0) every_other.push_back(item);
            }
        }
        EXPECT_EQ(outline.count_benchmarks(twice), distinct_benchmarks(report, {&twice}));
        EXPECT_EQ(outline.count_benchmarks(every_other), distinct_benchmarks(report, {&every_other}));
        // NoPackage, A and B in two packages, OnlyTime, C, D, Gone and New, in each compared input.
        EXPECT_EQ(outline.count_benchmarks(all), 10 * (texts.size() - 1));
    }
}

// A large report's rows are classified in parts, on several threads (and with KSAIL_THREADS on any
// number): the lists must come out whole, in report order, and alike on any thread count, with
// findings placing rows on both sides of the parts' borders.
TEST(ReportOutline, LargeReportSameOnAnyThreadCount) {
    // 9,000 benchmarks in two units, some only before or after: 18,000 rows, three parts.
    std::string before = pkg("example.com/big");
    std::string after = before;
    for (int i = 0; i < 9000; ++i) {
        const std::string name = fmt::format("BenchmarkB{}", i);
        if (i % 101 != 0) before += samples(name, 100, 4);
        if (i % 103 != 0) after += samples(name, i % 3 == 0 ? 150 : i % 5 == 0 ? 70 : 100, 4);
    }
    Report report = report_of({before, after});
    report.gate.enabled = true;
    report.gate.passed = false;
    // Findings on every 97th row and on the rows around each multiple of 8,192 (in report order);
    // two on some rows, where the more severe one places the row.
    const GateStatus statuses[] = {GateStatus::failed, GateStatus::possible_regression, GateStatus::below_threshold,
                                   GateStatus::unstable, GateStatus::goal_unmet};
    using Key = std::tuple<std::size_t, std::size_t, std::size_t>;
    std::map<Key, GateStatus> placing;  // by item: the most severe status that places it
    std::size_t first_row = 0;
    std::size_t n = 0;
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        const Table& table = report.tables[t];
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const std::size_t from_border = (first_row + r + 2) % 8192;
            if ((r % 97 != 0 && from_border >= 4) || !table.rows[r].comparisons[1]) continue;
            for (std::size_t twice = 0; twice < (n % 3 == 0 ? 2 : 1); ++twice) {
                const GateStatus status = statuses[n++ % 5];
                report.gate.findings.push_back({t, r, 1, status, table.rows[r].name.str(), "example.com/big",
                                                table.unit, "", 0});
                if (status == GateStatus::goal_unmet) continue;
                const auto [at, inserted] = placing.emplace(Key{t, r, 1}, status);
                if (!inserted) at->second = std::min(at->second, status);
            }
        }
        first_row += table.rows.size();
    }
    ASSERT_GT(first_row, 2u * 8192);
    // Findings out of report order: the outline sorts them.
    std::reverse(report.gate.findings.begin(), report.gate.findings.end());

    const auto lists_of = [](const ReportOutline& outline) {
        std::vector<const std::vector<OutlineItem>*> lists;
        for (Bucket b : {Bucket::failing, Bucket::regressed, Bucket::possible, Bucket::improved, Bucket::changed,
                         Bucket::below, Bucket::unstable, Bucket::inconclusive, Bucket::equivalent}) {
            lists.push_back(&outline.bucket(b));
        }
        lists.push_back(&outline.added());
        lists.push_back(&outline.removed());
        return lists;
    };
    const auto bucket_placed_by = [](GateStatus status) {
        switch (status) {
        case GateStatus::failed: return Bucket::failing;
        case GateStatus::possible_regression: return Bucket::possible;
        case GateStatus::below_threshold: return Bucket::below;
        default: return Bucket::unstable;
        }
    };
    using Listed = std::tuple<std::size_t, std::size_t, std::size_t, const GateFinding*>;
    std::vector<std::vector<Listed>> first;
    std::vector<std::string> first_counts;
    for (const char* threads : {"1", "2", "5"}) {
        ::setenv("KSAIL_THREADS", threads, 1);
        int beside_runs = 0;
        const ReportOutline outline(report, [&] { ++beside_runs; });
        EXPECT_EQ(beside_runs, 1);
        std::vector<std::vector<Listed>> listed;
        std::set<Key> seen;
        for (const auto* list : lists_of(outline)) {
            listed.emplace_back();
            for (std::size_t i = 0; i < list->size(); ++i) {
                const OutlineItem& item = (*list)[i];
                const Key key{item.table, item.row, item.input};
                if (i > 0) {
                    EXPECT_LT((Key{(*list)[i - 1].table, (*list)[i - 1].row, (*list)[i - 1].input}), key);
                }
                EXPECT_TRUE(seen.insert(key).second);
                listed.back().emplace_back(item.table, item.row, item.input, item.finding);
                const auto placed = placing.find(key);
                if (placed == placing.end()) continue;
                ASSERT_NE(item.finding, nullptr);
                EXPECT_EQ(item.finding->status, placed->second);
                EXPECT_EQ(&outline.bucket(bucket_placed_by(placed->second)), list);
            }
        }
        // Every row has a cell in one input at least: one item each.
        EXPECT_EQ(seen.size(), first_row) << threads;
        EXPECT_EQ(outline.min_n(), 4u);
        EXPECT_EQ(outline.max_n(), 4u);
        if (first.empty()) {
            first = listed;
            first_counts = outline.headline().counts;
        } else {
            EXPECT_EQ(listed, first) << threads;
            EXPECT_EQ(outline.headline().counts, first_counts) << threads;
        }
    }
    ::unsetenv("KSAIL_THREADS");
    EXPECT_FALSE(first[0].empty());
    EXPECT_FALSE(first[9].empty());   // added
    EXPECT_FALSE(first[10].empty());  // removed

    // What the work beside the outline throws reaches the caller, once all the work is done.
    EXPECT_THROW(ReportOutline(report, [] { throw std::runtime_error("beside"); }), std::runtime_error);
}

TEST(ReportOutline, ShortPackagesStayUnique) {
    const std::string before = pkg("example.com/x/diff") + samples("BenchmarkA", 100) + pkg("example.com/y/diff") +
                               samples("BenchmarkA", 100) + pkg("example.com/z/cipher") + samples("BenchmarkB", 100);
    const Report report = report_of({before, before});
    const ReportOutline outline(report);
    EXPECT_TRUE(outline.has_packages());
    EXPECT_EQ(outline.short_package("example.com/x/diff"), "x/diff");
    EXPECT_EQ(outline.short_package("example.com/y/diff"), "y/diff");
    EXPECT_EQ(outline.short_package("example.com/z/cipher"), "cipher");
    EXPECT_EQ(outline.short_package("not/in/the/report"), "not/in/the/report");
}

// A package whose whole path is another's end keeps all of it; the others grow until no other
// package ends alike. Counted depth by depth for every package at once, as a monorepo has thousands.
TEST(ReportOutline, ShortPackagesOfPathsThatEndAlike) {
    std::string before;
    for (const char* path : {"b/c", "a/b/c", "x/b/c", "m/q", "example.com/v2", "example.org/v2", "v2/x/c/d"}) {
        before += pkg(path) + samples("BenchmarkA", 100);
    }
    for (int i = 0; i < 300; ++i) before += pkg("example.com/gen/p" + std::to_string(i) + "/api") + samples("BenchmarkA", 100);
    const Report report = report_of({before, before});
    const ReportOutline outline(report);
    EXPECT_EQ(outline.short_package("b/c"), "b/c");
    EXPECT_EQ(outline.short_package("a/b/c"), "a/b/c");
    EXPECT_EQ(outline.short_package("x/b/c"), "x/b/c");
    EXPECT_EQ(outline.short_package("m/q"), "q");
    EXPECT_EQ(outline.short_package("example.com/v2"), "example.com/v2");
    EXPECT_EQ(outline.short_package("example.org/v2"), "example.org/v2");
    EXPECT_EQ(outline.short_package("v2/x/c/d"), "d");
    EXPECT_EQ(outline.short_package("example.com/gen/p7/api"), "p7/api");
    EXPECT_EQ(outline.short_package("example.com/gen/p299/api"), "p299/api");
}

TEST(ReportOutline, ComparedCellsNameUnusualSampleSizes) {
    const std::string before = pkg("example.com/a") + samples("BenchmarkA", 100) + samples("BenchmarkB", 100, 8);
    const std::string after = pkg("example.com/a") + samples("BenchmarkA", 150) + samples("BenchmarkB", 150, 8);
    const Report report = report_of({before, after});
    const ReportOutline outline(report);
    EXPECT_EQ(outline.min_n(), 6u);
    EXPECT_EQ(outline.max_n(), 8u);
    const Headline h = outline.headline();
    EXPECT_EQ(h.counts.back(), "n=6–8 per side");
    bool seen_a = false;
    for (const auto& item : outline.bucket(Bucket::regressed)) {
        const Table& table = report.tables[item.table];
        if (table.unit != "sec/op" || table.rows[item.row].name != "BenchmarkA-8") continue;
        seen_a = true;
        const ComparedCells cells = outline.compared_cells(item);
        EXPECT_EQ(cells.before, "100.2n ± 0%");
        EXPECT_EQ(cells.after, "150.4n ± 0%");
        EXPECT_EQ(cells.delta, "+50.00%");
        EXPECT_TRUE(cells.significant);
        EXPECT_EQ(cells.p, "0.002 (n=6)");  // the usual size is 8: this row says it has fewer
        EXPECT_EQ(cells.change.rfind("+50.0% [", 0), 0u) << cells.change;
    }
    EXPECT_TRUE(seen_a);
}

TEST(ReportOutline, NothingToCompare) {
    const Report one = report_of({pkg("example.com/a") + samples("BenchmarkA", 100)});
    const Headline h = ReportOutline(one).headline();
    ASSERT_EQ(h.verdicts.size(), 1u);
    EXPECT_EQ(h.verdicts[0].emphasis, "nothing to compare");
    EXPECT_EQ(h.verdicts[0].remark, " (only one input)");
    EXPECT_FALSE(h.bad);
    EXPECT_EQ(h.counts, (std::vector<std::string>{"n=6"}));
}

TEST(ReportOutline, SectionInfo) {
    EXPECT_EQ(section_info(Bucket::regressed, false).title, "🔴 Regressions");
    EXPECT_EQ(section_info(Bucket::regressed, true).title, "🔴 Regressions, not gating");
    EXPECT_TRUE(section_info(Bucket::failing, true).emphasise);
    EXPECT_TRUE(section_info(Bucket::equivalent, false).collapsed);
    EXPECT_TRUE(section_info(Bucket::inconclusive, false).collapsed);
    EXPECT_NE(section_info(Bucket::possible, true).intro.find("`-count`"), std::string::npos);
}

}  // namespace
}  // namespace ksail_benchstat
