// Tests of the HTML renderer: self-containment, escaping, one plot per changed row with every
// sample, log axes, balanced markup and agreement with the markdown report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/cli.hpp"
#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"
#include "ksail_benchstat/report_outline.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

Report report_of(const std::vector<std::string>& texts, const std::vector<std::string>& labels = {"before", "after"}) {
    std::vector<InputFile> inputs;
    for (std::size_t i = 0; i < texts.size(); ++i) inputs.push_back({labels[i], labels[i] + ".txt", parse_go_text(texts[i], labels[i] + ".txt")});
    return compare(std::move(inputs), {});
}

// Six samples of `ns` nanoseconds with a small deterministic spread.
std::string samples(std::string_view name, double ns) {
    std::string out;
    for (int i = 0; i < 6; ++i) out += fmt::format("{}-8\t1000\t{} ns/op\n", name, ns * (1 + 0.001 * i));
    return out;
}

const std::string k_header = "goos: linux\ngoarch: amd64\npkg: example.com/mod/pkg/fast\n";

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The text of the first <svg> element that follows `marker`.
std::string svg_after(const std::string& html, std::string_view marker) {
    const std::size_t at = html.find(marker);
    if (at == std::string::npos) return {};
    const std::size_t start = html.find("<svg", at);
    return html.substr(start, html.find("</svg>", start) + 6 - start);
}

TEST(RenderHtml, SelfContainedPage) {
    const std::string before = k_header + samples("BenchmarkSlow", 100) + samples("BenchmarkSame", 300);
    const std::string after = k_header + samples("BenchmarkSlow", 150) + samples("BenchmarkSame", 300);
    const std::string html = render_html(report_of({before, after}));
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0), 0u);
    EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
    // Nothing to run and nothing to fetch: the only URL is the SVG namespace, which is a name.
    for (const char* banned : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "https:"}) {
        EXPECT_EQ(html.find(banned), std::string::npos) << banned;
    }
    EXPECT_EQ(count(html, "http://"), count(html, "http://www.w3.org/2000/svg"));
    EXPECT_NE(html.find("<title>Benchmark comparison: before vs after</title>"), std::string::npos);
    EXPECT_EQ(html, render_html(report_of({before, after})));  // deterministic
}

TEST(RenderHtml, HeadlineAndTablesMatchTheMarkdownReport) {
    const std::string before = k_header + samples("BenchmarkSlow", 100) + samples("BenchmarkFaster", 200) +
                               samples("BenchmarkSame", 300) + samples("BenchmarkGone", 50);
    const std::string after = k_header + samples("BenchmarkSlow", 150) + samples("BenchmarkFaster", 100) +
                              samples("BenchmarkSame", 300) + samples("BenchmarkNew", 70);
    const Report report = report_of({before, after});
    const std::string html = render_html(report);
    EXPECT_NE(html.find("<p class=\"verdict bad\">❌ <strong>1 benchmark regressed</strong></p>"), std::string::npos) << html;
    EXPECT_NE(html.find("🟢 1 improved · ➕ 1 added · ➖ 1 removed · 3 compared · n=6 per side"), std::string::npos);
    EXPECT_NE(html.find("<h2>🔴 Regressions (1)</h2>"), std::string::npos);
    // The same cells as the markdown row "| fast | Slow-8 | sec/op | 100.2n ± 0% | 150.4n ± 0% | **+50.00%** |".
    EXPECT_NE(html.find("<td>fast</td><td class=\"name\">Slow-8</td><td>sec/op</td><td class=\"num\">100.2n ± 0%</td>"
                        "<td class=\"num\">150.4n ± 0%</td><td class=\"num\"><span class=\"sig-bad\">+50.00%</span></td>"),
              std::string::npos)
        << html;
    // Regressions, improvements, added, removed, equivalent.
    EXPECT_EQ(count(html, "<table>"), 5u);
    EXPECT_EQ(count(html, "<table>"), count(html, "</table>"));
    // Equivalent, added and removed rows are folded away; readable without scripts.
    EXPECT_NE(html.find("<details id=\"equivalent\">\n<summary><h2>⚪ Equivalent within ±5% (1)</h2></summary>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<details id=\"added\">"), std::string::npos);
    EXPECT_NE(html.find("<details id=\"removed\">"), std::string::npos);
    EXPECT_NE(html.find("Generated by ksail-benchstat " KSAIL_BENCHSTAT_VERSION), std::string::npos);
}

TEST(RenderHtml, OnePlotPerChangedRowWithEverySample) {
    const std::string before = k_header + samples("BenchmarkSlow", 100) + samples("BenchmarkFaster", 200) +
                               samples("BenchmarkSame", 300);
    const std::string after = k_header + samples("BenchmarkSlow", 150) + samples("BenchmarkFaster", 100) +
                              samples("BenchmarkSame", 300);
    const std::string html = render_html(report_of({before, after}));
    // Slow and Faster changed; Same did not.
    EXPECT_EQ(count(html, "<svg "), 2u);
    EXPECT_EQ(count(html, "</svg>"), 2u);
    const std::string plot = svg_after(html, "Slow-8");
    // Six samples per input, each a dot; one median bar and one interval band per input.
    EXPECT_EQ(count(plot, "<circle class=\"base\""), 6u) << plot;
    EXPECT_EQ(count(plot, "<circle class=\"new\""), 6u);
    EXPECT_EQ(count(plot, "<line class=\"median\""), 2u);
    EXPECT_EQ(count(plot, "<rect class=\"ci\""), 2u);
    EXPECT_NE(plot.find(">before</text>"), std::string::npos);
    EXPECT_NE(plot.find(">after</text>"), std::string::npos);
    EXPECT_EQ(plot.find("(log)"), std::string::npos);  // 100 → 150 ns: a linear axis
    EXPECT_NE(plot.find("aria-label=\"Slow-8 sec/op: before median 100.2n, after median 150.4n\""), std::string::npos)
        << plot;
}

TEST(RenderHtml, LogAxisWhenValuesSpanDecades) {
    const std::string before = k_header + samples("BenchmarkCached", 20000);
    const std::string after = k_header + samples("BenchmarkCached", 150);
    const std::string html = render_html(report_of({before, after}));
    const std::string plot = svg_after(html, "Cached-8");
    ASSERT_FALSE(plot.empty());
    EXPECT_NE(plot.find("(log)"), std::string::npos) << plot;
    // On a log axis the two medians sit far apart: the baseline's at the right, the new one at the left.
    const std::string bar = "<line class=\"median\" x1=\"";
    const std::size_t first = plot.find(bar);
    const std::size_t second = plot.find(bar, first + 1);
    ASSERT_NE(second, std::string::npos);
    const double x_base = std::stod(plot.substr(first + bar.size()));
    const double x_new = std::stod(plot.substr(second + bar.size()));
    EXPECT_GT(x_base - x_new, 150) << plot;
}

TEST(RenderHtml, ThreeInputsPlotEachAgainstTheBaseline) {
    const std::string base = k_header + samples("BenchmarkA", 100);
    const std::string slower = k_header + samples("BenchmarkA", 150);
    const std::string faster = k_header + samples("BenchmarkA", 50);
    const std::string html = render_html(report_of({base, slower, faster}, {"base", "slow", "fast"}));
    EXPECT_NE(html.find("<th>Input</th>"), std::string::npos);
    EXPECT_EQ(count(html, "<svg "), 2u);
    // Each plot has the baseline's lane and its own input's lane.
    const std::string regressed = svg_after(html, "<section id=\"regressed\">");
    const std::string improved = svg_after(html, "<section id=\"improved\">");
    EXPECT_NE(regressed.find(">base</text>"), std::string::npos);
    EXPECT_NE(regressed.find(">slow</text>"), std::string::npos);
    EXPECT_NE(improved.find(">base</text>"), std::string::npos);
    EXPECT_NE(improved.find(">fast</text>"), std::string::npos) << improved;
}

TEST(RenderHtml, UnboundedIntervalSpansThePlot) {
    // Five samples are too few for a two-sided 95% interval of the median (its lower bound is
    // infinite), yet enough for a significant change when the samples do not overlap.
    std::string before = k_header;
    std::string after = k_header;
    for (int i = 0; i < 5; ++i) {
        before += fmt::format("BenchmarkFew-8\t1000\t{} ns/op\n", 100 + i);
        after += fmt::format("BenchmarkFew-8\t1000\t{} ns/op\n", 300 + i);
    }
    const Report report = report_of({before, after});
    const Summary& base = report.tables.at(0).rows.at(0).cells.at(0)->summary;
    ASSERT_FALSE(base.lo.has_value());
    ASSERT_TRUE(base.hi.has_value());
    const std::string html = render_html(report);
    const std::string plot = svg_after(html, "Few-8");
    ASSERT_FALSE(plot.empty()) << html;
    EXPECT_NE(html.find("± ∞"), std::string::npos);
    // Both bands start at the left edge of the plotting area (x = 74), where the axis has no end.
    EXPECT_EQ(count(plot, "<rect class=\"ci\" x=\"74.0\""), 2u) << plot;
    EXPECT_EQ(plot.find("nan"), std::string::npos);
    EXPECT_EQ(plot.find("inf"), std::string::npos);
}

TEST(RenderHtml, EscapesNamesAndLabels) {
    const std::string name = "BenchmarkA<script>alert(1)</script>&\"'";
    const std::string before = k_header + samples(name, 100);
    const std::string after = k_header + samples(name, 200);
    const std::string html = render_html(report_of({before, after}, {"<b>base</b>!", "new&\"head\""}));
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<b>base"), std::string::npos);
    EXPECT_NE(html.find("A&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;-8"), std::string::npos) << html;
    EXPECT_NE(html.find("<strong>&lt;b&gt;base&lt;/b&gt;!</strong> vs <strong>new&amp;&quot;head&quot;</strong>"),
              std::string::npos);
    // The lane label is shortened to fit beside the plot, and still escaped.
    EXPECT_NE(html.find(">&lt;b&gt;base&lt;/…</text>"), std::string::npos) << html;
}

TEST(RenderHtml, BalancedMarkup) {
    const std::string html = render_html(report_of({read_testdata("ksail/before.txt"), read_testdata("ksail/after.txt")}));
    for (const char* tag : {"table", "tr", "td", "th", "svg", "section", "details", "summary", "ul", "li", "p", "pre"}) {
        EXPECT_EQ(count(html, fmt::format("<{}>", tag)) + count(html, fmt::format("<{} ", tag)),
                  count(html, fmt::format("</{}>", tag)))
            << tag;
    }
}

TEST(RenderHtml, KsailReportPlotsEveryChangedRow) {
    const Report report = report_of({read_testdata("ksail/before.txt"), read_testdata("ksail/after.txt")});
    const std::string html = render_html(report);
    const ReportOutline outline(report);
    std::size_t changed = 0;
    std::size_t dots = 0;
    for (Bucket b : {Bucket::failing, Bucket::regressed, Bucket::possible, Bucket::improved, Bucket::below}) {
        for (const auto& item : outline.bucket(b)) {
            ++changed;
            const Row& row = report.tables[item.table].rows[item.row];
            dots += row.cells[0]->sorted.size() + row.cells[item.input]->sorted.size();
        }
    }
    EXPECT_EQ(changed, 20u);  // 15 regressed rows and 5 improved ones
    EXPECT_EQ(count(html, "<svg "), changed);
    EXPECT_EQ(count(html, "<circle "), dots);
    // Unlike the markdown comment, the page has no size limit: every row that did not change is there.
    EXPECT_NE(html.find("❔ Inconclusive (200)"), std::string::npos);
    EXPECT_NE(html.find("⚪ Equivalent within ±5% (353)"), std::string::npos);
    EXPECT_EQ(html.find("left out"), std::string::npos);
}

TEST(RenderHtml, SingleInputHasNoPlots) {
    const std::string html = render_html(report_of({k_header + samples("BenchmarkA", 100)}, {"only"}));
    EXPECT_NE(html.find("ℹ️ <strong>nothing to compare</strong> (only one input)"), std::string::npos) << html;
    EXPECT_EQ(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("<pre>"), std::string::npos);  // the text table carries the summaries
}

TEST(RenderHtml, CliWritesHtmlWhenTheOutputEndsInHtml) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / fmt::format("ksail_html_test_{}", ::getpid());
    fs::create_directories(dir);
    const std::string data = std::string(KSAIL_TESTDATA_DIR) + "/ksail/";
    std::ostringstream out;
    std::ostringstream err;
    // No --format: the .html suffix chooses HTML.
    const int code = run({"-o", (dir / "report.html").string(), data + "before.txt", data + "after.txt"}, out, err);
    EXPECT_EQ(code, 0) << err.str();
    EXPECT_EQ(out.str(), "");
    const std::string html = slurp((dir / "report.html").string());
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    // An explicit --format wins over the suffix.
    EXPECT_EQ(run({"--format", "text", "-o", (dir / "table.html").string(), data + "before.txt", data + "after.txt"}, out, err), 0);
    EXPECT_EQ(slurp((dir / "table.html").string()).find("<"), std::string::npos);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ksail_benchstat
