// Tests of the markdown renderer: GFM validity through a real renderer (cmark-gfm), escaping,
// headlines, sections and the size cap.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

Report report_of(const std::vector<std::string>& texts) {
    std::vector<InputFile> inputs;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::string label = i == 0 ? "before" : (texts.size() == 2 ? "after" : fmt::format("run{}", i));
        inputs.push_back({label, label + ".txt", parse_go_text(texts[i], label + ".txt")});
    }
    return compare(std::move(inputs), {});
}

using testing_support::k_header;
using testing_support::samples;

// What cmark-gfm makes of `markdown`, as HTML. Fails the test when cmark-gfm is missing: these
// tests are the only proof that the output is valid GitHub-flavoured markdown, so skipping silently
// would hide breakage.
std::string to_html(const std::string& markdown) {
    char path[] = "/tmp/ksail_md_testXXXXXX";
    int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    if (fd < 0) return {};
    {
        std::ofstream out(path, std::ios::binary);
        out << markdown;
    }
    close(fd);
    std::string cmd = fmt::format("cmark-gfm -e table '{}' 2>&1", path);
    FILE* pipe = popen(cmd.c_str(), "r");
    std::string html;
    if (pipe != nullptr) {
        char buf[4096];
        std::size_t n = 0;
        while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) html.append(buf, n);
    }
    int status = pipe != nullptr ? pclose(pipe) : -1;
    std::remove(path);
    if (status != 0) {
        ADD_FAILURE() << "cmark-gfm did not run (status " << status << "): " << html
                      << "\nInstall it to run the markdown tests: apt-get install cmark-gfm";
        return {};
    }
    return html;
}

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

// The number of <tr> in each <table> of `html`, in order.
std::vector<std::size_t> table_rows(const std::string& html) {
    std::vector<std::size_t> rows;
    for (std::size_t pos = html.find("<table>"); pos != std::string::npos; pos = html.find("<table>", pos + 1)) {
        std::size_t end = html.find("</table>", pos);
        rows.push_back(count(std::string_view(html).substr(pos, end - pos), "<tr>"));
    }
    return rows;
}

// Every row of every table has as many cells as its header: a stray '|' would add one.
void expect_rectangular(const std::string& html) {
    for (std::size_t pos = html.find("<tr>"); pos != std::string::npos; pos = html.find("<tr>", pos + 1)) {
        std::size_t end = html.find("</tr>", pos);
        std::string_view tr = std::string_view(html).substr(pos, end - pos);
        std::size_t cells = count(tr, "<td") + count(tr, "<th>") + count(tr, "<th ");
        std::size_t table = html.rfind("<table>", pos);
        std::size_t head_end = html.find("</tr>", table);
        std::string_view head = std::string_view(html).substr(table, head_end - table);
        EXPECT_EQ(cells, count(head, "<th>") + count(head, "<th ")) << tr;
    }
}

std::size_t find_row(const Table& table, std::string_view name) {
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].name == name) return r;
    }
    ADD_FAILURE() << "no row " << name;
    return 0;
}

TEST(RenderMarkdown, CmarkGfmIsInstalled) {
    // A clear message up front; to_html fails too, but this names the fix first.
    ASSERT_EQ(std::system("command -v cmark-gfm >/dev/null 2>&1"), 0)
        << "cmark-gfm is required by the markdown tests: apt-get install cmark-gfm";
}

TEST(RenderMarkdown, SectionsParseAsTables) {
    const std::string before = k_header + samples("BenchmarkSlow", 100) + samples("BenchmarkFaster", 200) +
                               samples("BenchmarkSame", 300) + samples("BenchmarkGone", 50);
    const std::string after = k_header + samples("BenchmarkSlow", 150) + samples("BenchmarkFaster", 100) +
                              samples("BenchmarkSame", 300) + samples("BenchmarkNew", 70);
    const std::string md = render_markdown(report_of({before, after}));
    EXPECT_EQ(md.rfind("<!-- ksail-benchstat -->\n", 0), 0u);
    EXPECT_NE(md.find("❌ **1 benchmark regressed**"), std::string::npos) << md;
    EXPECT_NE(md.find("🟢 1 improved · ➕ 1 added · ➖ 1 removed · 3 compared · n=6 per side"), std::string::npos) << md;
    EXPECT_NE(md.find("### 🔴 Regressions (1)"), std::string::npos);
    EXPECT_NE(md.find("| fast | Slow-8 | sec/op | 100.2n ± 0% | 150.4n ± 0% | **+50.00%** | +50.0% ["),
              std::string::npos)
        << md;
    const std::string html = to_html(md);
    // Regressions, improvements, added, removed, unchanged: a header row plus one row each.
    EXPECT_EQ(table_rows(html), (std::vector<std::size_t>{2, 2, 2, 2, 2})) << html;
    expect_rectangular(html);
    EXPECT_EQ(md, render_markdown(report_of({before, after})));  // deterministic
}

TEST(RenderMarkdown, KsailReportFitsAndParses) {
    Report report = report_of({read_testdata("ksail/before.txt"), read_testdata("ksail/after.txt")});
    const std::string md = render_markdown(report);
    EXPECT_LE(md.size(), 65536u);
    EXPECT_NE(md.find("❌ **12 benchmarks regressed** · 🟢 3 improved · ❔ 154 inconclusive · ➕ 1 added · ➖ 6 removed · "
                      "191 compared"),
              std::string::npos)
        << md.substr(0, 400);
    // Too big for one comment: the 353 equivalent rows go first, then most of the text table, and
    // the note says so.
    EXPECT_NE(md.find("left out: all 353 equivalent rows"), std::string::npos) << md.substr(0, 600);
    const std::string html = to_html(md);
    // Regressions (15 rows), improvements (5), added (3), removed (18), inconclusive (200), each plus
    // its header.
    EXPECT_EQ(table_rows(html), (std::vector<std::size_t>{16, 6, 4, 19, 201}));
    expect_rectangular(html);
}

TEST(RenderMarkdown, EscapesBenchmarkNames) {
    const std::string name = "BenchmarkA|b*c_d`e<f>[g](h)\\i~j&k$l";
    const std::string before = k_header + samples(name, 100);
    const std::string after = k_header + samples(name, 100);
    const std::string md = render_markdown(report_of({before, after}));
    const std::string html = to_html(md);
    EXPECT_EQ(table_rows(html), (std::vector<std::size_t>{2}));
    expect_rectangular(html);
    // The name comes through as literal text: no emphasis, code, link or raw HTML.
    EXPECT_NE(html.find("<td align=\"left\">A|b*c_d`e&lt;f&gt;[g](h)\\i~j&amp;k$l-8</td>"), std::string::npos) << html;
    const std::size_t start = html.find("<table>");
    const std::string table = html.substr(start, html.find("</table>") - start);
    for (const char* tag : {"<em>", "<strong>", "<code>", "<a ", "<del>"}) EXPECT_EQ(table.find(tag), std::string::npos) << tag;
}

TEST(RenderMarkdown, NothingToCompare) {
    const std::string one = k_header + samples("BenchmarkA", 100);
    const std::string md = render_markdown(report_of({one}));
    EXPECT_NE(md.find("ℹ️ **nothing to compare** (only one input) · n=6\n"), std::string::npos) << md;
    EXPECT_NE(md.find("<details open><summary>🔬 Text table</summary>"), std::string::npos);
    EXPECT_EQ(md.find("Unchanged"), std::string::npos);

    const std::string other = k_header + samples("BenchmarkB", 100);
    const std::string md2 = render_markdown(report_of({one, other}));
    EXPECT_NE(md2.find("ℹ️ **nothing to compare** (no benchmark appears in both inputs)"), std::string::npos) << md2;
    EXPECT_NE(md2.find("➕ 1 added · ➖ 1 removed · 0 compared"), std::string::npos) << md2;
}

TEST(RenderMarkdown, NoRegression) {
    const std::string text = k_header + samples("BenchmarkA", 100) + samples("BenchmarkB", 7);
    const std::string md = render_markdown(report_of({text, text}));
    EXPECT_NE(md.find("✅ **no significant regression** · 2 compared · n=6 per side"), std::string::npos) << md;
    EXPECT_NE(md.find("<details><summary>⚪ Equivalent within ±5% (2)</summary>"), std::string::npos) << md;
    EXPECT_EQ(md.find("Shortened"), std::string::npos);
}

TEST(RenderMarkdown, GateSectionsFromFindings) {
    const std::string before = k_header + samples("BenchmarkSlow", 100) + samples("BenchmarkMaybe", 200) +
                               samples("BenchmarkGoal", 300);
    const std::string after = k_header + samples("BenchmarkSlow", 150) + samples("BenchmarkMaybe", 230) +
                              samples("BenchmarkGoal", 200);
    Report report = report_of({before, after});
    report.warnings.push_back("after.txt:3: a *warning* with <html>");
    const Table& table = report.tables.at(0);
    report.gate.enabled = true;
    report.gate.passed = false;
    report.gate.rule_text = "the 95% interval beyond +10%";
    report.gate.notes.push_back("CPU differs between inputs");
    report.gate.findings.push_back({0, find_row(table, "BenchmarkSlow-8"), 1, GateStatus::failed, "BenchmarkSlow-8",
                                    "example.com/mod/pkg/fast", "sec/op", "beyond +10%", 0});
    report.gate.findings.push_back({0, find_row(table, "BenchmarkMaybe-8"), 1, GateStatus::possible_regression,
                                    "BenchmarkMaybe-8", "example.com/mod/pkg/fast", "sec/op", "interval reaches +3%", 12});
    report.gate.findings.push_back({0, find_row(table, "BenchmarkGoal-8"), 1, GateStatus::goal_unmet,
                                    "BenchmarkGoal-8", "example.com/mod/pkg/fast", "sec/op", "-33% is not -50%", 0});
    const std::string md = render_markdown(report);
    EXPECT_NE(md.find("❌ **1 benchmark regressed** · ❌ **1 goal not met** (gate: the 95% interval beyond +10%)"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("### ❌ Failing regressions (1)"), std::string::npos);
    EXPECT_NE(md.find("### ⚠️ Possible regressions (1)"), std::string::npos);
    EXPECT_NE(md.find("interval reaches +3%; about 12 samples per side would settle it"), std::string::npos);
    EXPECT_NE(md.find("| ❌ not met | fast | Goal-8 | sec/op | -33% is not -50% |"), std::string::npos) << md;
    EXPECT_NE(md.find("- ℹ️ CPU differs between inputs"), std::string::npos);
    EXPECT_NE(md.find("- ⚠️ after.txt:3: a \\*warning\\* with \\<html\\>"), std::string::npos);
    // The goal row is improved by its verdict and listed there too.
    EXPECT_NE(md.find("### 🟢 Improvements (1)"), std::string::npos);
    const std::string html = to_html(md);
    // Failing, goals, possible, improvements.
    EXPECT_EQ(table_rows(html), (std::vector<std::size_t>{2, 2, 2, 2})) << md;
    expect_rectangular(html);
}

TEST(RenderMarkdown, SeveralInputsAddInputColumn) {
    const std::string a = k_header + samples("BenchmarkA", 100);
    const std::string b = k_header + samples("BenchmarkA", 150);
    const std::string md = render_markdown(report_of({a, a, b}));
    EXPECT_NE(md.find("| Package | Benchmark | Unit | Input | Before | After |"), std::string::npos) << md;
    EXPECT_NE(md.find("| fast | A-8 | sec/op | run2 |"), std::string::npos) << md;
    const std::string html = to_html(md);
    expect_rectangular(html);
}

// 3000 benchmarks: a report far over GitHub's limit must shrink, stay valid and say what it left out.
std::string many(std::size_t n, double factor_every_third) {
    std::string out = k_header;
    for (std::size_t i = 0; i < n; ++i) {
        double ns = 100 + static_cast<double>(i);
        out += samples(fmt::format("BenchmarkCase_{}/size_{}", i, i * 7), i % 3 == 0 ? ns * factor_every_third : ns);
    }
    return out;
}

TEST(RenderMarkdown, SizeCapDropsLeastImportantFirst) {
    Report report = report_of({many(3000, 1), many(3000, 1.5)});
    const std::string md = render_markdown(report);
    ASSERT_LE(md.size(), 65536u);
    EXPECT_EQ(md.rfind("<!-- ksail-benchstat -->\n", 0), 0u);
    EXPECT_NE(md.find("❌ **1000 benchmarks regressed**"), std::string::npos);
    // Equivalent rows and the text table go entirely; the regressions are cut, and the note says so.
    EXPECT_NE(md.find("left out: "), std::string::npos);
    EXPECT_NE(md.find("all 2000 equivalent rows"), std::string::npos) << md.substr(0, 600);
    EXPECT_NE(md.find("lines of the text table"), std::string::npos);
    EXPECT_NE(md.find("of 1000 regression rows"), std::string::npos);
    EXPECT_NE(md.find("more regression rows left out to fit the size limit."), std::string::npos);
    const std::string html = to_html(md);
    const auto rows = table_rows(html);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_GT(rows[0], 100u);
    expect_rectangular(html);

    MarkdownOptions small;
    small.max_chars = 4000;
    const std::string tiny = render_markdown(report, small);
    EXPECT_LE(tiny.size(), 4000u);
    EXPECT_NE(tiny.find("Shortened to fit 4,000 bytes"), std::string::npos);
    EXPECT_EQ(tiny, render_markdown(report, small));
}

// The outline and the text table's shape are made on two threads for a large report (and with
// KSAIL_THREADS for any): the comment must not depend on it, whatever the cap cuts.
TEST(RenderMarkdown, SameOnAnyThreadCount) {
    // 4,500 rows in two packages: above the row count that makes the two walks parallel.
    const auto in_slow_package = [](std::string text) {
        return text.replace(0, k_header.size(), "goos: linux\ngoarch: amd64\npkg: example.com/mod/pkg/slow\n");
    };
    const std::string before = many(3000, 1) + in_slow_package(many(1500, 1));
    const std::string after = many(3000, 1.5) + in_slow_package(many(1500, 0.5));
    const Report large = report_of({before, after});
    const Report small = report_of({many(20, 1), many(20, 1.5)});
    for (const Report* report : {&large, &small}) {
        for (std::size_t cap : {std::size_t{65536}, std::size_t{9000}, std::size_t{1000000}}) {
            MarkdownOptions options;
            options.max_chars = cap;
            std::vector<std::string> outputs;
            for (const char* threads : {"1", "2", "3"}) {
                ::setenv("KSAIL_THREADS", threads, 1);
                outputs.push_back(render_markdown(*report, options));
            }
            ::unsetenv("KSAIL_THREADS");
            outputs.push_back(render_markdown(*report, options));
            for (std::size_t i = 1; i < outputs.size(); ++i) EXPECT_EQ(outputs[0], outputs[i]) << cap;
            EXPECT_LE(outputs[0].size(), cap);
        }
    }
}

TEST(RenderMarkdown, SizeCapWithOnlyUnchangedRows) {
    Report report = report_of({many(3000, 1), many(3000, 1)});
    const std::string md = render_markdown(report);
    ASSERT_LE(md.size(), 65536u);
    EXPECT_NE(md.find("✅ **no significant regression**"), std::string::npos);
    EXPECT_NE(md.find("all 3000 equivalent rows"), std::string::npos) << md.substr(0, 600);
    const std::string html = to_html(md);
    expect_rectangular(html);
}

}  // namespace
}  // namespace ksail_benchstat
