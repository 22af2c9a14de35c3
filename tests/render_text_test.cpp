// Unit tests of the text renderer's shortcuts: text_shape and render_text_prefix must agree with
// render_text itself, because the markdown report relies on them instead of laying tables out.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/format_cells.hpp"
#include "ksail_benchstat/projection.hpp"
#include "ksail_benchstat/render.hpp"
#include "test_support.hpp"

using namespace ksail_benchstat;
using testing_support::k_header;
using testing_support::read_testdata;
using testing_support::samples;

namespace {

Report report_of(const std::vector<std::string>& texts) {
    std::vector<InputFile> inputs;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string label = "input" + std::to_string(i);
        inputs.push_back({label, label + ".txt", parse_input(texts[i], label + ".txt")});
    }
    return compare(std::move(inputs), {});
}

// The report of test data files (paths under testdata/), and their names for messages.
Report report_of_files(const std::vector<std::string>& files, std::string& what) {
    std::vector<std::string> texts;
    what.clear();
    for (const auto& f : files) {
        texts.push_back(read_testdata(f));
        what += f + " ";
    }
    return report_of(texts);
}

std::size_t longest_backticks(const std::string& text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

void expect_shortcuts_agree(const Report& report, const std::string& what) {
    for (const bool detectability : {false, true}) {
        RenderOptions options;
        options.detectability = detectability;
        const std::string text = render_text(report, options);
        const TextShape shape = text_shape(report, options);
        EXPECT_EQ(shape.lines, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'))) << what;
        EXPECT_EQ(shape.longest_backticks, longest_backticks(text)) << what;
        for (const std::size_t min_bytes : {std::size_t{0}, std::size_t{1}, std::size_t{200}, text.size(), text.size() + 1}) {
            const std::string prefix = render_text_prefix(report, min_bytes, options);
            EXPECT_EQ(text.compare(0, prefix.size(), prefix), 0) << what << " at " << min_bytes;
            EXPECT_GE(prefix.size(), std::min(min_bytes, text.size())) << what << " at " << min_bytes;
        }
    }
}

}  // namespace

TEST(RenderText, ShapeAndPrefixAgreeWithTheTablesOnEveryTestInput) {
    const std::vector<std::vector<std::string>> cases = {
        {"benchstat/old.txt", "benchstat/new.txt"},
        {"benchstat/old.txt"},
        {"benchstat/crc-old.txt", "benchstat/crc-new.txt"},
        {"benchstat/smallSample.txt", "benchstat/smallSample.txt"},
        {"ksail/before.txt", "ksail/after.txt"},
        {"ksail/before.txt", "ksail/after.txt", "ksail/before.txt"},
    };
    for (const auto& files : cases) {
        std::string what;
        const Report report = report_of_files(files, what);
        expect_shortcuts_agree(report, what);
    }
}

// Go text of `values` as one benchmark's runs, in ns/op.
std::string runs_of(std::string_view name, const std::vector<double>& values) {
    std::string out = k_header;
    for (double v : values) out += fmt::format("{}-8\t1000\t{} ns/op\n", name, v);
    return out;
}

// The command line leaves the rows' detectability and the change's interval out
// (CompareOptions::detectability, CompareOptions::change_interval) when the output is plain text
// without --equivalence and without a gate: the text and the verdicts must be the same. The text
// that shows detectability (for inconclusive rows) is where it would differ, so the test can tell.
TEST(RenderText, TextWithoutDetectabilityNeedsNoneMadeInTheRows) {
    // Equal medians (15 and 15) with a significant shift (exact U test, p about 0.02): the
    // verdict's direction comes from the change's estimate, which is made even when left out.
    std::vector<double> low;
    std::vector<double> high = {11, 11.5, 12, 12.5, 13, 13.25, 13.5, 13.75, 13.9, 14, 16};
    for (int v = 1; v <= 10; ++v) low.push_back(v);
    for (int v = 20; v <= 29; ++v) low.push_back(v);
    for (int v = 100; v <= 108; ++v) high.push_back(v);
    const std::vector<std::vector<std::string>> cases = {
        {"benchstat/old.txt", "benchstat/new.txt"},
        {"ksail/before.txt", "ksail/after.txt"},
        {"ksail/before.txt", "ksail/after.txt", "ksail/before.txt"},
        {"gbench/before.json", "gbench/after.json"},
        {runs_of("BenchmarkSameMedian", low), runs_of("BenchmarkSameMedian", high)},
    };
    bool shown_differs = false;
    bool same_center_decided = false;
    for (const auto& files : cases) {
        std::vector<InputFile> with;
        std::vector<InputFile> without;
        std::string what;
        for (const std::string& file : files) {
            const bool inline_text = file.find('\n') != std::string::npos;
            const std::string text = inline_text ? file : read_testdata(file);
            const std::string name = inline_text ? fmt::format("inline{}", with.size()) : file;
            what += name + " ";
            with.push_back({name, name, parse_input(text, name)});
            without.push_back({name, name, parse_input(text, name)});
        }
        CompareOptions lean;
        lean.detectability = false;
        lean.change_interval = false;
        const Report full = compare(std::move(with), {});
        const Report bare = compare(std::move(without), lean);
        std::size_t compared = 0;
        for (std::size_t t = 0; t < bare.tables.size(); ++t) {
            for (std::size_t r = 0; r < bare.tables[t].rows.size(); ++r) {
                const auto bare_comparisons = bare.tables[t].rows[r].comparisons.all();
                const auto full_comparisons = full.tables[t].rows[r].comparisons.all();
                ASSERT_EQ(bare_comparisons.size(), full_comparisons.size()) << what;
                for (std::size_t k = 0; k < bare_comparisons.size(); ++k) {
                    const Comparison& c = bare_comparisons[k];
                    ++compared;
                    EXPECT_FALSE(c.detect.mde_pct.has_value()) << what;
                    EXPECT_EQ(c.detect.samples_needed, 0u) << what;
                    EXPECT_EQ(c.verdict, full_comparisons[k].verdict) << what;
                    EXPECT_EQ(c.test.p, full_comparisons[k].test.p) << what;
                    if (c.significant && c.same_center) {
                        same_center_decided = true;
                        EXPECT_EQ(c.change.estimate_pct, full_comparisons[k].change.estimate_pct) << what;
                    } else {
                        EXPECT_FALSE(c.change.estimate_pct.has_value()) << what;
                    }
                }
            }
        }
        EXPECT_GT(compared, 0u) << what;
        EXPECT_EQ(render_text(bare, RenderOptions{}), render_text(full, RenderOptions{})) << what;
        RenderOptions shown;
        shown.detectability = true;
        shown_differs = shown_differs || render_text(bare, shown) != render_text(full, shown);
    }
    EXPECT_TRUE(shown_differs);
    EXPECT_TRUE(same_center_decided);
}

TEST(RenderText, ShapeCountsBackticksInNamesAndConfiguration) {
    const std::string header = "goos: linux\ngoarch: amd64\npkg: example.com/```quoted\n";
    const std::string before = header + samples("BenchmarkTick````s", 100) + samples("BenchmarkPlain", 50);
    const std::string after = header + samples("BenchmarkTick````s", 150) + samples("BenchmarkPlain", 50);
    expect_shortcuts_agree(report_of({before, after}), "backticks");
    expect_shortcuts_agree(report_of({k_header + samples("BenchmarkOnly", 10)}), "one input");
}

// The shape skips eight bytes at a time when they hold no backtick: runs of every length at
// every position of names of every length, across and at the ends of those eight-byte steps.
TEST(RenderText, ShapeCountsBacktickRunsAtEveryPositionOfANameAndItsEnd) {
    for (std::size_t size = 1; size <= 20; ++size) {
        for (std::size_t at = 0; at < size; ++at) {
            for (std::size_t run = 1; at + run <= size && run <= 10; run += 3) {
                std::string name = "BenchmarkX" + std::string(size, 'a');
                name.replace(10 + at, run, std::string(run, '`'));
                const std::string before = k_header + samples(name, 100) + samples("BenchmarkPlain", 50);
                const std::string after = k_header + samples(name, 150) + samples("BenchmarkPlain", 50);
                expect_shortcuts_agree(report_of({before, after}), name);
            }
        }
    }
}

// The test column is written in place with the shortcut of append_fixed: it must print p with
// three decimals as std::to_chars rounds them, and the counts as before.
TEST(RenderText, TestColumnWrittenInPlaceMatchesToChars) {
    std::uint64_t state = 5;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 11;
    };
    std::vector<double> ps = {0, 1, 0.5, 0.0005, 0.0015, 0.0025, 0.9995, 1e-300, 0.002, 0.05};
    for (int i = 0; i < 20000; ++i) ps.push_back(static_cast<double>(next()) / 9007199254740992.0);
    for (const double p : ps) {
        Comparison c;
        c.test.p = p;
        c.n1 = static_cast<std::uint32_t>(next() % 4);
        c.n2 = next() % 2 == 0 ? c.n1 : static_cast<std::uint32_t>(next() % 100000);
        std::string expected;
        if (p != 0) {
            char buf[32];
            const auto res = std::to_chars(buf, buf + sizeof buf, p, std::chars_format::fixed, 3);
            expected = "p=" + std::string(buf, res.ptr) + " ";
        }
        expected += "n=" + std::to_string(c.n1);
        if (c.n1 != c.n2) expected += "+" + std::to_string(c.n2);
        std::string text = "(";
        c.append_test_text(text);
        EXPECT_EQ(text, "(" + expected) << p;
        EXPECT_EQ(c.test_text(), expected) << p;
        char written[k_test_text_room];
        char* end = c.write_test_text(written);
        ASSERT_NE(end, nullptr) << p;
        EXPECT_EQ(std::string(written, end), expected) << p;
    }
    // A p-value only fmt writes is left to test_text.
    Comparison c;
    c.test.p = std::nan("");
    char written[k_test_text_room];
    EXPECT_EQ(c.write_test_text(written), nullptr);
}

// The ± column is written in place by write_pct_range: its text must be pct_range's for intervals
// that are unbounded, cross zero, sit around zero or a negative center, are exact, or are so wide
// that the percentage is huge or infinite (which write_pct_range leaves to pct_range).
TEST(RenderText, PctRangeWrittenInPlaceMatchesPctRange) {
    std::vector<Summary> summaries;
    auto add = [&](double center, std::optional<double> lo, std::optional<double> hi) {
        Summary s;
        s.center = center;
        if (lo) s.lo = *lo;
        if (hi) s.hi = *hi;
        summaries.push_back(s);
    };
    add(1, std::nullopt, 2);
    add(1, 0.5, std::nullopt);
    add(1, -1, 2);
    add(0, 0, 0);
    add(0, -1, 1);
    add(-2, -3, -1);
    add(5, 5, 5);
    add(1e-300, 1e-300, 1e300);
    add(1, 1, std::numeric_limits<double>::infinity());
    add(std::nan(""), std::nan(""), std::nan(""));
    std::uint64_t state = 17;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / 9007199254740992.0;
    };
    for (int i = 0; i < 20000; ++i) {
        const double center = std::ldexp(next() + 0.01, static_cast<int>(next() * 60) - 30);
        add(center, center * (1 - next() * 0.5), center * (1 + next() * 0.5));
    }
    for (const Summary& s : summaries) {
        char written[k_pct_range_room];
        const char* end = write_pct_range(written, s);
        if (end == nullptr) {
            // Only a percentage write_fixed refuses.
            ASSERT_TRUE(s.lo && s.hi);
            char number[k_fixed_room];
            EXPECT_EQ(write_fixed(number, 100 * std::max(*s.hi / s.center - 1, 1 - *s.lo / s.center), 0), nullptr);
            continue;
        }
        EXPECT_EQ(std::string(static_cast<const char*>(written), end), pct_range(s)) << s.center;
    }
}

// A table of more rows than RenderOptions::rows_per_piece is laid out piece by piece, each piece
// with the widths of the whole table: the text must be the one a whole-table layout gives, for
// any piece size, footnotes, colour and detectability notes included.
void expect_pieces_match_whole(const Report& report, const std::string& what) {
    for (const bool color : {false, true}) {
        for (const bool detectability : {false, true}) {
            RenderOptions whole;
            whole.color = color;
            whole.detectability = detectability;
            const std::string expected = render_text(report, whole);
            for (const std::size_t piece : {1, 2, 3, 7, 100}) {
                RenderOptions pieces = whole;
                pieces.rows_per_piece = piece;
                EXPECT_EQ(render_text(report, pieces), expected) << what << " in pieces of " << piece;
                // A prefix may end within a large table, after the piece that reaches min_bytes.
                for (const std::size_t min_bytes : {std::size_t{0}, std::size_t{1}, std::size_t{300},
                                                    expected.size() / 2, expected.size(), expected.size() + 1}) {
                    const std::string prefix = render_text_prefix(report, min_bytes, pieces);
                    EXPECT_EQ(expected.compare(0, prefix.size(), prefix), 0) << what << " at " << min_bytes;
                    EXPECT_GE(prefix.size(), std::min(min_bytes, expected.size())) << what << " at " << min_bytes;
                    EXPECT_TRUE(prefix.empty() || prefix.back() == '\n') << what << " at " << min_bytes;
                }
            }
        }
    }
}

TEST(RenderText, TablesLaidOutInPiecesMatchWholeTables) {
    const std::vector<std::vector<std::string>> cases = {
        {"benchstat/old.txt", "benchstat/new.txt"},
        {"benchstat/crc-old.txt", "benchstat/crc-new.txt"},
        {"benchstat/smallSample.txt", "benchstat/smallSample.txt"},
        {"benchstat/units.txt"},
        {"ksail/before.txt", "ksail/after.txt", "ksail/before.txt"},
    };
    for (const auto& files : cases) {
        std::string what;
        const Report report = report_of_files(files, what);
        expect_pieces_match_whole(report, what);
    }
}

TEST(RenderText, LargeTablesLaidOutInPiecesOnSeveralThreadsMatchWholeTables) {
    // Enough rows for the tables to be laid out in parallel, names of growing length so that the
    // widest cell of a column is in a late piece, and tied samples for footnotes all along.
    std::string before = k_header;
    std::string after = k_header;
    for (int i = 0; i < 3000; ++i) {
        const std::string name = "BenchmarkRow" + std::string(static_cast<std::size_t>(i / 300), 'x') + std::to_string(i);
        for (int run = 0; run < 6; ++run) {
            const int spread = i % 7 == 0 ? 0 : run;
            before += fmt::format("{}-8 1000 {} ns/op {} B/op\n", name, 100 + i + spread, 64);
            after += fmt::format("{}-8 1000 {} ns/op {} B/op\n", name, 100 + i * (i % 3) + spread, 64 + i % 5);
        }
    }
    const Report report = report_of({before, after});
    ASSERT_EQ(report.tables.size(), 2u);
    ASSERT_EQ(report.tables[0].rows.size(), 3000u);
    for (const std::size_t piece : {std::size_t{1000}, std::size_t{999}}) {
        RenderOptions pieces;
        pieces.rows_per_piece = piece;
        EXPECT_EQ(render_text(report, pieces), render_text(report)) << "pieces of " << piece;
    }
    // A short prefix of a large table stops after a piece rather than laying out the whole table.
    RenderOptions pieces;
    pieces.rows_per_piece = 100;
    const std::string whole = render_text(report);
    const std::string prefix = render_text_prefix(report, 1000, pieces);
    EXPECT_EQ(whole.compare(0, prefix.size(), prefix), 0);
    EXPECT_GE(prefix.size(), 1000u);
    EXPECT_LT(prefix.size(), whole.size() / 10);
}

TEST(RenderText, ProjectedColumnsLaidOutInPiecesMatchWholeTables) {
    // Two --col keys: two header lines whose labels span several columns, so the widths of the
    // spanning cells are settled after every piece's widths are in.
    std::string text = k_header;
    for (int i = 0; i < 40; ++i) {
        for (const char* format : {"gob", "json"}) {
            for (const char* size : {"small", "larger"}) {
                for (int run = 0; run < 6; ++run) {
                    const int ns = 100 + i * 7 + run + (format[0] == 'j' ? 30 : 0) + (size[0] == 'l' ? i * i : 0);
                    text += fmt::format("BenchmarkCodec{}/format={}/size={}-8 1000 {} ns/op\n", i, format, size, ns);
                }
            }
        }
    }
    std::vector<InputFile> inputs;
    inputs.push_back({"input0", "input0.txt", parse_input(text, "input0.txt")});
    CompareOptions options;
    options.projections = ProjectionSet::parse(".config", ".name", "/format,/size", "");
    const Report report = compare(std::move(inputs), options);
    ASSERT_EQ(report.columns.size(), 4u);
    ASSERT_FALSE(report.columns_are_inputs);
    const std::string whole = render_text(report);
    for (const std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
        RenderOptions pieces;
        pieces.rows_per_piece = piece;
        EXPECT_EQ(render_text(report, pieces), whole) << "pieces of " << piece;
    }
}
