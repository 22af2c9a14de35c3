// Tests of the CSV renderer: RFC 4180 quoting, rectangular rows, round-trip numbers, comparison columns.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

Report report_of(const std::vector<std::string>& texts) {
    std::vector<InputFile> inputs;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::string label = i == 0 ? "before" : "after";
        inputs.push_back({label, label + ".txt", parse_go_text(texts[i], label + ".txt")});
    }
    return compare(std::move(inputs), {});
}

std::string samples(std::string_view name, double ns, std::string_view extra = "") {
    std::string out;
    for (int i = 0; i < 6; ++i) out += fmt::format("{}-8\t1000\t{} ns/op{}\n", name, ns * (1 + 0.001 * i), extra);
    return out;
}

const std::string k_header = "goos: linux\ngoarch: amd64\npkg: example.com/mod/fast\ncpu: Some CPU, 8 cores\n";

// A strict RFC 4180 reader (LF records): quoted fields may hold commas, quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    bool field_started = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                field += ch;
            }
        } else if (ch == '"') {
            EXPECT_FALSE(field_started) << "quote inside an unquoted field at byte " << i;
            quoted = true;
        } else if (ch == ',') {
            record.push_back(field);
            field.clear();
            field_started = false;
            continue;
        } else if (ch == '\n') {
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            field_started = false;
            continue;
        } else {
            field += ch;
        }
        field_started = true;
    }
    EXPECT_TRUE(record.empty() && field.empty()) << "last record lacks its line end";
    return records;
}

const std::vector<std::string> k_columns = {
    "package", "benchmark", "unit", "better", "input", "label", "n", "center", "ci_low", "ci_high", "baseline_input",
    "delta_pct", "p_value", "significant", "verdict", "change_pct", "change_low_pct", "change_high_pct", "gate",
    "gate_reason", "config", "equivalence", "mde_pct", "samples_needed"};

std::size_t col(std::string_view name) {
    for (std::size_t i = 0; i < k_columns.size(); ++i) {
        if (k_columns[i] == name) return i;
    }
    ADD_FAILURE() << name;
    return 0;
}

TEST(RenderCsv, HeaderRowsAndColumns) {
    const std::string before = k_header + samples("BenchmarkSlow", 100, "\t64 B/op") + samples("BenchmarkGone", 5);
    const std::string after = k_header + samples("BenchmarkSlow", 150, "\t64 B/op") + samples("BenchmarkNew", 7);
    Report report = report_of({before, after});
    const std::string csv = render_csv(report);
    const auto records = parse_csv(csv);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records[0], k_columns);
    for (const auto& r : records) EXPECT_EQ(r.size(), k_columns.size()) << fmt::format("{}", fmt::join(r, ","));
    // Slow (sec/op, B/op) × 2 inputs, Gone: before + removed, New: after only.
    ASSERT_EQ(records.size(), 1u + 4u + 2u + 1u);

    const auto& base = records[1];
    EXPECT_EQ(base[col("package")], "example.com/mod/fast");
    EXPECT_EQ(base[col("benchmark")], "BenchmarkSlow-8");
    EXPECT_EQ(base[col("unit")], "sec/op");
    EXPECT_EQ(base[col("better")], "lower");
    EXPECT_EQ(base[col("input")], "0");
    EXPECT_EQ(base[col("label")], "before");
    EXPECT_EQ(base[col("n")], "6");
    EXPECT_EQ(base[col("baseline_input")], "");
    EXPECT_EQ(base[col("verdict")], "");
    EXPECT_EQ(base[col("config")], "goos=linux;goarch=amd64;cpu=Some CPU, 8 cores");
    // Shortest round-trip text: reading it back gives the model's double exactly.
    const Summary& s = report.tables[0].rows[0].cells[0]->summary;
    EXPECT_EQ(std::stod(base[col("center")]), s.center);
    EXPECT_EQ(std::stod(base[col("ci_low")]), *s.lo);

    const auto& cmp = records[2];
    EXPECT_EQ(cmp[col("input")], "1");
    EXPECT_EQ(cmp[col("baseline_input")], "0");
    EXPECT_EQ(cmp[col("significant")], "true");
    EXPECT_EQ(cmp[col("verdict")], "regressed");
    EXPECT_NEAR(std::stod(cmp[col("delta_pct")]), 50, 1e-9);
    EXPECT_NEAR(std::stod(cmp[col("p_value")]), 0.002165, 1e-6);
    EXPECT_FALSE(cmp[col("change_low_pct")].empty());
    EXPECT_EQ(cmp[col("gate")], "");
    EXPECT_EQ(cmp[col("equivalence")], "regressed");
    // Samples this steady could see a change far below 1%, and 4 per side would already do.
    EXPECT_GT(std::stod(cmp[col("mde_pct")]), 0);
    EXPECT_LT(std::stod(cmp[col("mde_pct")]), 1);
    EXPECT_EQ(cmp[col("samples_needed")], "4");
    EXPECT_EQ(base[col("equivalence")], "");

    bool saw_removed = false;
    bool saw_added = false;
    for (const auto& r : records) {
        if (r[col("verdict")] == "removed") {
            saw_removed = true;
            EXPECT_EQ(r[col("benchmark")], "BenchmarkGone-8");
            EXPECT_EQ(r[col("n")], "");
            EXPECT_EQ(r[col("center")], "");
        }
        if (r[col("verdict")] == "added") {
            saw_added = true;
            EXPECT_EQ(r[col("benchmark")], "BenchmarkNew-8");
            EXPECT_EQ(r[col("input")], "1");
            EXPECT_EQ(r[col("n")], "6");
        }
    }
    EXPECT_TRUE(saw_removed);
    EXPECT_TRUE(saw_added);
    EXPECT_EQ(csv.find('\r'), std::string::npos);  // LF line ends, as documented
}

TEST(RenderCsv, QuotesFieldsThatNeedIt) {
    const std::string name = "BenchmarkA,\"b\"";
    const std::string text = k_header + samples(name, 100);
    const std::string csv = render_csv(report_of({text, text}));
    EXPECT_NE(csv.find("example.com/mod/fast,\"BenchmarkA,\"\"b\"\"-8\",sec/op,"), std::string::npos) << csv;
    const auto records = parse_csv(csv);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[1][col("benchmark")], "BenchmarkA,\"b\"-8");
    EXPECT_EQ(records[2][col("verdict")], "unchanged");
}

TEST(RenderCsv, GateColumnsFromFindings) {
    const std::string before = k_header + samples("BenchmarkSlow", 100);
    const std::string after = k_header + samples("BenchmarkSlow", 150);
    Report report = report_of({before, after});
    report.gate.enabled = true;
    report.gate.findings.push_back(
        {0, 0, 1, GateStatus::goal_unmet, "BenchmarkSlow-8", "example.com/mod/fast", "sec/op", "goal -10%", 0});
    report.gate.findings.push_back(
        {0, 0, 1, GateStatus::failed, "BenchmarkSlow-8", "example.com/mod/fast", "sec/op", "beyond +10%, \"clearly\"", 0});
    const auto records = parse_csv(render_csv(report));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[2][col("gate")], "failed;goal_unmet");
    EXPECT_EQ(records[2][col("gate_reason")], "beyond +10%, \"clearly\"; goal -10%");
    EXPECT_EQ(records[1][col("gate")], "");
}

// A field quoted the plain RFC 4180 way, byte by byte, to check the renderer's word-at-a-time test.
std::string quoted_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char ch : value) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

TEST(RenderCsv, QuotesSpecialCharactersAnywhereInLongAndShortFields) {
    // Each special character at every position of names from 1 to 20 bytes (within and across the
    // eight-byte words the renderer tests together), and plain names of the same lengths.
    std::vector<std::string> names;
    for (std::size_t size = 1; size <= 20; ++size) {
        names.push_back(std::string(size, 'x'));
        for (char special : {',', '"', '\r', '\n'}) {
            for (std::size_t at = 0; at < size; ++at) {
                std::string name(size, 'b');
                name[at] = special;
                names.push_back(name);
            }
        }
    }
    names.push_back("");
    names.push_back("x\ty");  // a tab, below the line breaks, is not special
    names.push_back("Benchmark\tWith\vTabs\f-8");
    names.push_back("Benchmark\xE2\x80\xA6/\x01\x7F\xFF-8");  // bytes near the ones tested for, unquoted
    // Benchmarks of plain names, renamed once compared (an input line cannot hold a line break).
    std::string text = k_header;
    for (std::size_t i = 0; i < names.size(); ++i) text += samples(fmt::format("BenchmarkN{}", i), 100);
    Report report = report_of({text, text});
    ASSERT_EQ(report.tables.size(), 1u);
    ASSERT_EQ(report.tables[0].rows.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) report.tables[0].rows[i].name = SharedText(names[i]);
    // A config value and a label that need quoting too.
    report.tables[0].config.emplace_back("note", "a,\"b\"\nc");
    report.columns[1].label = "after, \"tuned\"";

    const std::string csv = render_csv(report);
    const std::string config = quoted_field("goos=linux;goarch=amd64;cpu=Some CPU, 8 cores;note=a,\"b\"\nc");
    std::size_t at = csv.find('\n') + 1;
    for (const std::string& name : names) {
        for (const std::string_view label : {",0,before,", ",1,\"after, \"\"tuned\"\"\","}) {
            const std::string start = "example.com/mod/fast," + quoted_field(name) + ",sec/op,lower" + std::string(label);
            ASSERT_EQ(csv.compare(at, start.size(), start), 0) << fmt::format("{:?}", name);
            const std::size_t end = csv.find(config, at + start.size());
            ASSERT_NE(end, std::string::npos);
            at = csv.find('\n', end + config.size()) + 1;
        }
    }
    EXPECT_EQ(at, csv.size());

    const auto records = parse_csv(csv);
    ASSERT_EQ(records.size(), 1 + 2 * names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(records[1 + 2 * i][col("benchmark")], names[i]);
        EXPECT_EQ(records[2 + 2 * i][col("benchmark")], names[i]);
        EXPECT_EQ(records[2 + 2 * i][col("label")], "after, \"tuned\"");
        EXPECT_EQ(records[2 + 2 * i][col("config")], "goos=linux;goarch=amd64;cpu=Some CPU, 8 cores;note=a,\"b\"\nc");
    }
}

TEST(RenderCsv, GateFindingsOfManyRowsAndInputsInAnyOrder) {
    // Three inputs, three rows; findings listed out of order, some without a reason, one whose
    // reason needs quoting, one on a baseline line (which has no gate fields).
    const std::string before = k_header + samples("BenchmarkA", 100) + samples("BenchmarkB", 100) +
                               samples("BenchmarkC", 100);
    const std::string after = k_header + samples("BenchmarkA", 150) + samples("BenchmarkB", 100);
    Report report = report_of({before, after, after});
    ASSERT_EQ(report.tables.size(), 1u);
    ASSERT_EQ(report.tables[0].rows.size(), 3u);
    report.gate.enabled = true;
    const auto add = [&](std::size_t row, std::size_t input, GateStatus status, std::string reason) {
        report.gate.findings.push_back({0, row, input, status, "", "", "sec/op", std::move(reason), 0});
    };
    add(0, 2, GateStatus::goal_unmet, "");
    add(2, 1, GateStatus::failed, "gone");
    add(0, 1, GateStatus::goal_unmet, "goal -10%");
    add(0, 2, GateStatus::failed, "beyond +10%");
    add(0, 1, GateStatus::failed, "beyond \"+10%\"\nclearly");
    add(1, 2, GateStatus::goal_unmet, "");
    add(0, 0, GateStatus::failed, "not on a baseline line");
    add(1, 2, GateStatus::goal_unmet, "twice");

    const auto records = parse_csv(render_csv(report));
    ASSERT_EQ(records.size(), 1u + 9u);
    const auto gate = [&](std::size_t line) {
        return std::pair{records[line][col("gate")], records[line][col("gate_reason")]};
    };
    using Fields = std::pair<std::string, std::string>;
    EXPECT_EQ(gate(1), Fields("", ""));
    EXPECT_EQ(gate(2), Fields("failed;goal_unmet", "beyond \"+10%\"\nclearly; goal -10%"));
    EXPECT_EQ(gate(3), Fields("failed;goal_unmet", "beyond +10%"));
    EXPECT_EQ(gate(4), Fields("", ""));
    EXPECT_EQ(gate(5), Fields("", ""));
    EXPECT_EQ(gate(6), Fields("goal_unmet;goal_unmet", "twice"));
    EXPECT_EQ(gate(7), Fields("", ""));
    EXPECT_EQ(records[8][col("verdict")], "removed");
    EXPECT_EQ(gate(8), Fields("failed", "gone"));
    EXPECT_EQ(gate(9), Fields("", ""));
    // Only the field that needs it is quoted.
    const std::string csv = render_csv(report);
    EXPECT_NE(csv.find(",failed;goal_unmet,\"beyond \"\"+10%\"\"\nclearly; goal -10%\","), std::string::npos);
    EXPECT_NE(csv.find(",failed;goal_unmet,beyond +10%,"), std::string::npos);
}

TEST(RenderCsv, GateFindingsAcrossManyChunksOfRows) {
    // Rows are written in chunks on several threads; each chunk finds its first finding, then walks.
    std::string before = k_header;
    std::string after = k_header;
    for (int b = 0; b < 1500; ++b) {
        const std::string name = fmt::format("BenchmarkB{}", b);
        before += samples(name, 100 + b, "\t64 B/op");
        after += samples(name, 100 + b, "\t64 B/op");
    }
    Report report = report_of({before, after});
    ASSERT_EQ(report.tables.size(), 2u);
    report.gate.enabled = true;
    // Listed from the last row to the first, on every seventh row and the rows around chunk ends.
    for (std::size_t t = report.tables.size(); t-- > 0;) {
        for (std::size_t r = report.tables[t].rows.size(); r-- > 0;) {
            if (r % 7 != 0 && r % 256 != 255 && r % 256 != 0) continue;
            report.gate.findings.push_back(
                {t, r, 1, GateStatus::failed, "", "", "", fmt::format("reason {},{}", t, r), 0});
        }
    }
    const auto records = parse_csv(render_csv(report));
    std::size_t line = 1;
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        for (std::size_t r = 0; r < report.tables[t].rows.size(); ++r, line += 2) {
            ASSERT_LT(line + 1, records.size());
            EXPECT_EQ(records[line][col("gate")], "");
            const bool found = r % 7 == 0 || r % 256 == 255 || r % 256 == 0;
            EXPECT_EQ(records[line + 1][col("gate")], found ? "failed" : "") << t << " " << r;
            EXPECT_EQ(records[line + 1][col("gate_reason")], found ? fmt::format("reason {},{}", t, r) : "");
        }
    }
    EXPECT_EQ(line, records.size());
}

TEST(RenderCsv, SingleInputHasNoComparisons) {
    const std::string text = k_header + samples("BenchmarkA", 100);
    const auto records = parse_csv(render_csv(report_of({text})));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1][col("input")], "0");
    for (std::size_t c = col("baseline_input"); c <= col("gate_reason"); ++c) EXPECT_EQ(records[1][c], "") << c;
}

// A line repeats numbers (an exact change of a deterministic metric is its own interval, an
// interval may end at its center), whose text the renderer copies rather than writes again: every
// number field must still be the model's value as fmt writes it.
TEST(RenderCsv, RepeatedNumbersAreWrittenAsTheModelHoldsThem) {
    std::string before = k_header;
    std::string after = k_header;
    for (int i = 0; i < 6; ++i) {
        before += fmt::format("BenchmarkA-8\t1000\t{} ns/op\t64 B/op\t3 allocs/op\n", 100 + i % 2);
        after += fmt::format("BenchmarkA-8\t1000\t{} ns/op\t80 B/op\t3 allocs/op\n", 90.5 + i);
    }
    const Report report = report_of({before, after});
    const auto records = parse_csv(render_csv(report));
    const auto text = [](OptionalDouble v) { return v && std::isfinite(*v) ? fmt::format("{}", *v) : std::string(); };
    std::size_t line = 1;
    for (const Table& table : report.tables) {
        ASSERT_EQ(table.rows.size(), 1u);
        const Row& row = table.rows[0];
        for (std::size_t in = 0; in < 2; ++in, ++line) {
            ASSERT_LT(line, records.size());
            const auto& r = records[line];
            const Summary& s = row.cells[in]->summary;
            EXPECT_EQ(r[col("center")], text(s.center)) << line;
            EXPECT_EQ(r[col("ci_low")], text(s.lo)) << line;
            EXPECT_EQ(r[col("ci_high")], text(s.hi)) << line;
            if (in == 0) continue;
            const Comparison& c = *row.comparisons[in];
            EXPECT_EQ(r[col("delta_pct")], text(c.delta_pct)) << line;
            EXPECT_EQ(r[col("p_value")], text(c.test.p)) << line;
            EXPECT_EQ(r[col("change_pct")], text(c.change.estimate_pct)) << line;
            EXPECT_EQ(r[col("change_low_pct")], text(c.change.low_pct)) << line;
            EXPECT_EQ(r[col("change_high_pct")], text(c.change.high_pct)) << line;
            EXPECT_EQ(r[col("mde_pct")], text(c.detect.mde_pct)) << line;
        }
    }
    EXPECT_EQ(line, records.size());
}

// The p-values of lines come from a cache of texts by p-value: each must be the text of that
// comparison's own, over rows of many sample counts whose p-values repeat (and more of them than
// the cache holds).
TEST(RenderCsv, PValuesAreThoseOfEachComparison) {
    std::string before = k_header;
    std::string after = k_header;
    std::mt19937 random(11);
    for (int b = 0; b < 3000; ++b) {
        const std::string name = fmt::format("BenchmarkP{}-8\t1000\t", b);
        const int n_before = 2 + static_cast<int>(random() % 7);
        const int n_after = 2 + static_cast<int>(random() % 7);
        const int shift = static_cast<int>(random() % 5);
        for (int i = 0; i < n_before; ++i) before += fmt::format("{}{} ns/op\n", name, 10 + random() % 6);
        for (int i = 0; i < n_after; ++i) after += fmt::format("{}{} ns/op\n", name, 10 + shift + random() % 6);
    }
    const Report report = report_of({before, after});
    const auto records = parse_csv(render_csv(report));
    std::size_t line = 1;
    std::set<std::string> distinct;
    for (const Table& table : report.tables) {
        for (const Row& row : table.rows) {
            line += 1;  // the baseline's line
            ASSERT_LT(line, records.size());
            const Comparison* c = row.comparisons[1];
            ASSERT_NE(c, nullptr);
            EXPECT_EQ(records[line][col("p_value")], fmt::format("{}", c->test.p)) << line;
            distinct.insert(records[line][col("p_value")]);
            ++line;
        }
    }
    EXPECT_EQ(line, records.size());
    EXPECT_GT(distinct.size(), 256U);
    EXPECT_LT(distinct.size(), report.tables[0].rows.size() / 2);
}

// A sink that keeps every piece it is handed, to see that output arrives piece by piece.
class PieceSink final : public TextSink {
public:
    void write(std::string_view text) override { pieces.emplace_back(text); }
    std::string joined() const {
        std::string out;
        for (const auto& p : pieces) out += p;
        return out;
    }
    std::vector<std::string> pieces;
};

TEST(RenderSinks, StreamedOutputIsTheStringOutputInPieces) {
    // Enough rows for many chunks of CSV and JSON rows, and three tables of text.
    std::string before = k_header;
    std::string after = k_header;
    for (int b = 0; b < 3000; ++b) {
        const std::string name = fmt::format("BenchmarkB{}", b);
        before += samples(name, 100 + b, "\t64 B/op\t2 allocs/op");
        after += samples(name, 100 + b * (b % 3 == 0 ? 1.2 : 1.0), "\t64 B/op\t2 allocs/op");
    }
    const Report report = report_of({before, after});
    ASSERT_EQ(report.tables.size(), 3U);
    PieceSink csv;
    render_csv(report, csv);
    EXPECT_EQ(csv.joined(), render_csv(report));
    EXPECT_GT(csv.pieces.size(), 10U);
    PieceSink json;
    render_json(report, json);
    EXPECT_EQ(json.joined(), render_json(report));
    EXPECT_GT(json.pieces.size(), 10U);
    PieceSink text;
    render_text(report, {}, text);
    EXPECT_EQ(text.joined(), render_text(report));
    EXPECT_GE(text.pieces.size(), 3U);  // a table of a thousand rows or more is a piece of its own
    // A stream gets the same bytes.
    std::ostringstream stream;
    StreamSink stream_sink(stream);
    render_json(report, stream_sink);
    EXPECT_EQ(stream.str(), render_json(report));
}

// Thousands of small tables (a package each) go out in groups, not one by one, on any number of
// threads, and the text is what the string output holds.
TEST(RenderSinks, SmallTablesGoOutInGroups) {
    std::string before;
    std::string after;
    for (int p = 0; p < 1500; ++p) {
        const std::string pkg = fmt::format("goos: linux\npkg: example.com/mod/p{}\n", p);
        before += pkg + samples("BenchmarkA", 100 + p) + samples("BenchmarkB", 50);
        after += pkg + samples("BenchmarkA", 100 + p * (p % 2 == 0 ? 1.2 : 1.0)) + samples("BenchmarkB", 50);
    }
    const Report report = report_of({before, after});
    ASSERT_EQ(report.tables.size(), 1500U);
    PieceSink text;
    render_text(report, {}, text);
    EXPECT_EQ(text.joined(), render_text(report));
    EXPECT_GT(text.pieces.size(), 2U);
    EXPECT_LT(text.pieces.size(), 20U);  // about a thousand rows a group
}

}  // namespace
}  // namespace ksail_benchstat
