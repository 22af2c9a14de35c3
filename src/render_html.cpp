// HTML renderer: one self-contained page (no scripts, no network) with the markdown report's
// headline and tables and, for every changed benchmark, an inline SVG plot of its samples.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/render.hpp"
#include "ksail_benchstat/report_outline.hpp"

namespace ksail_benchstat {
namespace {

// Sections whose rows changed significantly get a plot of their samples.
constexpr Bucket k_plotted[] = {Bucket::failing, Bucket::regressed, Bucket::possible, Bucket::improved, Bucket::below};

// Plot geometry in CSS pixels.
constexpr double k_plot_width = 270;
constexpr double k_label_width = 66;  // lane labels on the left
constexpr double k_pad = 8;           // inside the plotting area, left and right
constexpr double k_lane_height = 22;
constexpr double k_axis_height = 16;
constexpr std::size_t k_max_label = 10;  // characters of an input label shown beside its lane

constexpr std::string_view k_style = R"(
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --bad: #cf222e; --good: #1a7f37; --base: #6e7781; --new: #0969da; --band: rgba(9,105,218,.16); --median: #bc4c00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23;
  --bad: #f85149; --good: #3fb950; --base: #9198a1; --new: #4493f8; --band: rgba(68,147,248,.22); --median: #f0883e; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--fg); margin: 24px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 22px 0 8px; display: inline; }
section { margin: 18px 0; }
summary { cursor: pointer; margin: 14px 0 6px; }
.verdict { font-size: 17px; margin: 6px 0; }
.verdict.bad strong { color: var(--bad); }
.verdict.good strong { color: var(--good); }
.counts, .inputs, .intro, footer, .legend { color: var(--muted); margin: 4px 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 8px; vertical-align: middle; }
th { background: var(--head); text-align: left; }
td.num { text-align: right; white-space: nowrap; }
td.name { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.plot { padding: 2px 4px; }
td.why { min-width: 12em; max-width: 20em; }
.sig-bad { color: var(--bad); font-weight: 600; }
.sig-good { color: var(--good); font-weight: 600; }
ul.notes li { margin: 2px 0; }
pre { font-size: 12px; overflow-x: auto; padding: 8px; background: var(--head); border: 1px solid var(--line); }
svg text { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg .axis { stroke: var(--line); }
svg .base { fill: var(--base); fill-opacity: .75; }
svg .new { fill: var(--new); fill-opacity: .75; }
svg .ci { fill: var(--band); }
svg .median { stroke: var(--median); stroke-width: 2.5; }
)";

// Appends text escaped for HTML element content and double-quoted attribute values.
void append_escaped(std::string& out, std::string_view text) {
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            // Control characters other than tab and line breaks are not allowed in HTML text.
            if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') continue;
            out += ch;
        }
    }
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

// Escaped text with `code` spans (the plain intros of report_outline mark code with backticks).
std::string with_code(std::string_view text) {
    std::string out;
    bool open = false;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t tick = text.find('`', start);
        out += escape_html(text.substr(start, tick == std::string_view::npos ? std::string_view::npos : tick - start));
        if (tick == std::string_view::npos) break;
        out += open ? "</code>" : "<code>";
        open = !open;
        start = tick + 1;
    }
    if (open) out += "</code>";
    return out;
}

// At most `max` characters (UTF-8 code points) of `text`, with "…" when cut.
std::string shorten(std::string_view text, std::size_t max) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (chars == max - 1) {
            std::size_t rest = 0;
            for (std::size_t j = i; j < text.size(); ++j) rest += (static_cast<unsigned char>(text[j]) & 0xC0) != 0x80;
            if (rest > 1) return std::string(text.substr(0, i)) + "…";
            return std::string(text);
        }
        ++chars;
    }
    return std::string(text);
}

// Maps values of one plot to x coordinates, on a log scale when they span more than a decade.
class Axis {
public:
    Axis(double lo, double hi, bool log) : m_log(log) {
        if (m_log) {
            m_lo = std::log10(lo);
            m_hi = std::log10(hi);
        } else {
            m_lo = lo;
            m_hi = hi;
        }
        if (m_hi - m_lo <= 0) {
            // Every value is the same: centre it.
            const double half = m_lo == 0 ? 1 : std::fabs(m_lo) * 0.05;
            m_lo -= half;
            m_hi += half;
        } else if (!m_log) {
            const double margin = (m_hi - m_lo) * 0.04;
            m_lo -= margin;
            m_hi += margin;
        }
    }

    bool log() const { return m_log; }
    // The ends of the plotting area, where an unbounded interval runs to.
    static double left() { return k_label_width + k_pad; }
    static double right() { return k_plot_width - k_pad; }

    double x(double value) const {
        const double v = m_log ? std::log10(value) : value;
        const double t = std::clamp((v - m_lo) / (m_hi - m_lo), 0.0, 1.0);
        return left() + t * (right() - left());
    }

    // Three tick values: both ends and the middle (geometric on a log scale).
    std::vector<double> ticks() const {
        std::vector<double> out;
        for (double t : {0.0, 0.5, 1.0}) {
            const double v = m_lo + t * (m_hi - m_lo);
            out.push_back(m_log ? std::pow(10.0, v) : v);
        }
        return out;
    }

private:
    bool m_log = false;
    double m_lo = 0;
    double m_hi = 1;
};

bool all_distinct(const std::vector<std::string>& labels) {
    for (std::size_t i = 1; i < labels.size(); ++i) {
        if (labels[i] == labels[i - 1]) return false;
    }
    return true;
}

// Tick labels each in its own scale ("760.0m", "4.000"); when that makes two alike (a narrow
// range), in one scale with as many digits as it takes to tell them apart ("138.92Ki", "138.96Ki").
std::vector<std::string> tick_labels(const std::vector<double>& ticks, UnitClass cls) {
    std::vector<std::string> labels;
    for (double t : ticks) labels.push_back(scale_value(t, cls));
    if (all_distinct(labels)) return labels;
    Scaler scaler = common_scale(ticks, cls);
    for (int extra = 0; extra <= 6; ++extra, ++scaler.precision) {
        labels.clear();
        for (double t : ticks) labels.push_back(scaler.format(t));
        if (all_distinct(labels)) break;
    }
    return labels;
}

// Writes the page into one string: a large report has hundreds of thousands of rows, so rows are
// appended in place rather than built from temporary strings.
class HtmlWriter {
public:
    explicit HtmlWriter(const Report& report) : m_report(report), m_outline(report) {
        // The cells naming a row repeat for every row of a table or input: escaped once.
        for (std::size_t t = 0; t < m_report.tables.size(); ++t) {
            const Table& table = m_report.tables[t];
            m_package_cells.push_back(m_outline.has_packages()
                                          ? "<td>" + escape_html(m_outline.package_of(t)) + "</td>"
                                          : std::string());
            m_unit_cells.push_back("<td>" + escape_html(table.unit) + "</td>");
        }
        for (const Column& column : m_report.columns) {
            m_input_cells.push_back("<td>" + escape_html(column.label) + "</td>");
            m_lane_labels.push_back(escape_html(shorten(column.label, k_max_label)));
        }
    }

    std::string write() {
        std::size_t rows = m_outline.added().size() + m_outline.removed().size();
        for (Bucket b : k_buckets) rows += m_outline.bucket(b).size();
        m_out.reserve(k_style.size() + 4096 + rows * k_bytes_per_row);
        m_out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
        m_out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        m_out += "<meta name=\"generator\" content=\"ksail-benchstat " KSAIL_BENCHSTAT_VERSION "\">\n";
        m_out += "<title>";
        append_escaped(m_out, title());
        m_out += "</title>\n";
        m_out += "<style>";
        m_out += k_style;
        m_out += "</style>\n</head>\n<body>\n";
        m_out += "<!-- ksail-benchstat -->\n";
        headline();
        notes();
        compared_section(Bucket::failing);
        compared_section(Bucket::regressed);
        goals();
        // Inconclusive rows that fail the gate (--fail-on-inconclusive) stand next to the other failures.
        const bool inconclusive_fails = m_outline.inconclusive_fails();
        if (inconclusive_fails) compared_section(Bucket::inconclusive);
        compared_section(Bucket::possible);
        compared_section(Bucket::improved);
        compared_section(Bucket::changed);
        compared_section(Bucket::below);
        compared_section(Bucket::unstable);
        presence_section(true);
        presence_section(false);
        if (!inconclusive_fails) compared_section(Bucket::inconclusive);
        compared_section(Bucket::equivalent);
        legend();
        text_table();
        m_out += "<footer>Generated by ksail-benchstat " KSAIL_BENCHSTAT_VERSION "</footer>\n</body>\n</html>\n";
        return std::move(m_out);
    }

private:
    static constexpr Bucket k_buckets[] = {Bucket::failing, Bucket::regressed,    Bucket::possible,
                                           Bucket::improved, Bucket::changed,      Bucket::below,
                                           Bucket::unstable, Bucket::inconclusive, Bucket::equivalent};
    // About what a row takes without a plot; only a hint for reserving the output.
    static constexpr std::size_t k_bytes_per_row = 320;

    template <typename... Args>
    void append_format(fmt::format_string<Args...> format, Args&&... args) {
        fmt::format_to(std::back_inserter(m_out), format, std::forward<Args>(args)...);
    }

    std::string title() const {
        std::string out = "Benchmark comparison";
        const auto& inputs = m_report.columns;
        for (std::size_t i = 0; i < inputs.size(); ++i) out += (i == 0 ? ": " : " vs ") + inputs[i].label;
        return out;
    }

    void headline() {
        const Headline h = m_outline.headline();
        m_out += "<header>\n<h1>📊 Benchmark comparison</h1>\n";
        append_format("<p class=\"verdict {}\">", h.bad ? "bad" : "good");
        for (std::size_t i = 0; i < h.verdicts.size(); ++i) {
            const auto& v = h.verdicts[i];
            if (i > 0) m_out += " · ";
            append_escaped(m_out, v.icon);
            m_out += " <strong>";
            append_escaped(m_out, v.emphasis);
            m_out += "</strong>";
            append_escaped(m_out, v.remark);
        }
        m_out += "</p>\n";
        if (!h.gate_rule.empty()) {
            m_out += "<p class=\"inputs\">Gate: ";
            append_escaped(m_out, h.gate_rule);
            m_out += "</p>\n";
        }
        if (!h.counts.empty()) {
            m_out += "<p class=\"counts\">";
            for (std::size_t i = 0; i < h.counts.size(); ++i) {
                if (i > 0) m_out += " · ";
                append_escaped(m_out, h.counts[i]);
            }
            m_out += "</p>\n";
        }
        const auto& inputs = m_report.columns;
        if (!inputs.empty()) {
            m_out += "<p class=\"inputs\">";
            if (inputs.size() == 1) {
                m_out += "Input: <strong>";
                append_escaped(m_out, inputs[0].label);
                m_out += "</strong>";
            } else {
                m_out += "Baseline <strong>";
                append_escaped(m_out, inputs[0].label);
                m_out += "</strong> vs ";
                for (std::size_t i = 1; i < inputs.size(); ++i) {
                    if (i > 1) m_out += ", ";
                    m_out += "<strong>";
                    append_escaped(m_out, inputs[i].label);
                    m_out += "</strong>";
                }
            }
            append_format(" · α = {} · {}% confidence</p>\n", m_report.options.alpha, m_outline.confidence_pct());
        }
        m_out += "</header>\n";
    }

    void notes() {
        if (m_report.gate.notes.empty() && m_report.warnings.empty()) return;
        m_out += "<section class=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n";
        for (const auto& note : m_report.gate.notes) {
            m_out += "<li>ℹ️ ";
            append_escaped(m_out, note);
            m_out += "</li>\n";
        }
        for (const auto& warning : m_report.warnings) {
            m_out += "<li>⚠️ ";
            append_escaped(m_out, warning);
            m_out += "</li>\n";
        }
        m_out += "</ul>\n</section>\n";
    }

    // Opens a section: a plain one with a heading, or a collapsed <details> (readable without scripts).
    void open_section(std::string_view id, const std::string& heading, bool collapsed) {
        if (collapsed) {
            append_format("<details id=\"{}\">\n<summary><h2>{}</h2></summary>\n", id, escape_html(heading));
        } else {
            append_format("<section id=\"{}\">\n<h2>{}</h2>\n", id, escape_html(heading));
        }
    }

    void close_section(bool collapsed) { m_out += collapsed ? "</details>\n" : "</section>\n"; }

    // Header cells naming a row, then `values`.
    void header_row(const std::vector<std::string>& values) {
        m_out += "<thead><tr>";
        if (m_outline.has_packages()) m_out += "<th>Package</th>";
        m_out += "<th>Benchmark</th><th>Unit</th>";
        if (m_report.columns.size() > 2) m_out += "<th>Input</th>";
        for (const auto& v : values) {
            m_out += "<th>";
            append_escaped(m_out, v);
            m_out += "</th>";
        }
        m_out += "</tr></thead>\n";
    }

    void name_cells(const OutlineItem& item) {
        m_out += m_package_cells[item.table];
        m_out += "<td class=\"name\">";
        append_escaped(m_out, m_report.tables[item.table].rows[item.row].display());
        m_out += "</td>";
        m_out += m_unit_cells[item.table];
        if (m_report.columns.size() > 2) m_out += m_input_cells[item.input];
    }

    void num_cell(const std::string& text, std::string_view cls = {}) {
        if (cls.empty()) {
            m_out += "<td class=\"num\">";
        } else {
            append_format("<td class=\"num\"><span class=\"{}\">", cls);
        }
        append_escaped(m_out, text);
        m_out += cls.empty() ? "</td>" : "</span></td>";
    }

    void compared_section(Bucket b) {
        const auto& items = m_outline.bucket(b);
        if (items.empty()) return;
        const SectionInfo info = m_outline.section(b);
        const bool plotted = std::find(std::begin(k_plotted), std::end(k_plotted), b) != std::end(k_plotted);
        // Inconclusive rows say what they could have detected, which is also what their gate reason says.
        const bool detect = b == Bucket::inconclusive;
        bool why = false;
        for (const auto& item : items) {
            if (why || detect) break;
            why = item.finding != nullptr && !m_outline.why(item.finding).empty();
        }

        open_section(section_id(b), fmt::format("{} ({})", info.title, items.size()), info.collapsed);
        if (!info.intro.empty()) m_out += "<p class=\"intro\">" + with_code(info.intro) + "</p>\n";
        std::vector<std::string> columns = {"Before", "After", "Δ",
                                            fmt::format("Change, {}% CI", m_outline.confidence_pct()), "p"};
        if (detect) columns.emplace_back("What could be detected");
        if (why) columns.emplace_back("Why");
        if (plotted) columns.emplace_back("Samples");
        m_out += "<table>\n";
        header_row(columns);
        m_out += "<tbody>\n";
        for (const auto& item : items) {
            const ComparedCells cells = m_outline.compared_cells(item, detect);
            std::string_view cls;
            if (info.emphasise && cells.significant) cls = "sig-bad";
            if (b == Bucket::improved && cells.significant) cls = "sig-good";
            m_out += "<tr>";
            name_cells(item);
            num_cell(cells.before);
            num_cell(cells.after);
            num_cell(cells.delta, cls);
            num_cell(cells.change);
            num_cell(cells.p);
            if (detect) {
                m_out += "<td class=\"why\">";
                append_escaped(m_out, cells.detect);
                m_out += "</td>";
            }
            if (why) {
                m_out += "<td class=\"why\">";
                append_escaped(m_out, m_outline.why(item.finding));
                m_out += "</td>";
            }
            if (plotted) {
                m_out += "<td class=\"plot\">";
                plot(item);
                m_out += "</td>";
            }
            m_out += "</tr>\n";
        }
        m_out += "</tbody>\n</table>\n";
        close_section(info.collapsed);
    }

    static std::string_view section_id(Bucket b) {
        switch (b) {
        case Bucket::failing: return "failing";
        case Bucket::regressed: return "regressed";
        case Bucket::possible: return "possible";
        case Bucket::improved: return "improved";
        case Bucket::changed: return "changed";
        case Bucket::below: return "below-threshold";
        case Bucket::unstable: return "unstable";
        case Bucket::inconclusive: return "inconclusive";
        case Bucket::equivalent: return "equivalent";
        }
        return "section";
    }

    void goals() {
        const auto& goals = m_outline.goals();
        if (goals.empty()) return;
        open_section("goals", fmt::format("🎯 Goals ({})", goals.size()), false);
        m_out += "<table>\n<thead><tr><th>Goal</th>";
        if (m_outline.has_packages()) m_out += "<th>Package</th>";
        m_out += "<th>Benchmark</th><th>Unit</th>";
        if (m_report.columns.size() > 2) m_out += "<th>Input</th>";
        m_out += "<th>Why</th></tr></thead>\n<tbody>\n";
        for (const GateFinding* g : goals) {
            std::string_view display = g->benchmark;
            if (g->table < m_report.tables.size() && g->row < m_report.tables[g->table].rows.size()) {
                display = m_report.tables[g->table].rows[g->row].display();
            }
            m_out += g->status == GateStatus::goal_met ? "<tr><td class=\"sig-good\">✅ met</td>"
                                                       : "<tr><td class=\"sig-bad\">❌ not met</td>";
            if (m_outline.has_packages()) {
                m_out += "<td>";
                append_escaped(m_out, m_outline.short_package(g->package));
                m_out += "</td>";
            }
            m_out += "<td class=\"name\">";
            append_escaped(m_out, display);
            m_out += "</td><td>";
            append_escaped(m_out, g->unit);
            m_out += "</td>";
            if (m_report.columns.size() > 2) {
                m_out += "<td>";
                if (g->input < m_report.columns.size()) append_escaped(m_out, m_report.columns[g->input].label);
                m_out += "</td>";
            }
            m_out += "<td>";
            append_escaped(m_out, g->reason);
            m_out += "</td></tr>\n";
        }
        m_out += "</tbody>\n</table>\n</section>\n";
    }

    void presence_section(bool added) {
        const auto& items = added ? m_outline.added() : m_outline.removed();
        if (items.empty()) return;
        const std::size_t n = m_outline.count_benchmarks(items);
        std::string heading = fmt::format("{}: {} ({} rows)", added ? "➕ Added" : "➖ Removed",
                                          plural(n, "benchmark", "benchmarks"), items.size());
        open_section(added ? "added" : "removed", heading, true);
        m_out += added ? "<p class=\"intro\">Only in the compared input; nothing to compare them with.</p>\n"
                       : "<p class=\"intro\">Only in the baseline. A benchmark that failed to run is an error, not a "
                         "removal.</p>\n";
        m_out += "<table>\n";
        header_row({added ? "After" : "Before"});
        m_out += "<tbody>\n";
        for (const auto& item : items) {
            m_out += "<tr>";
            name_cells(item);
            num_cell(m_outline.presence_center(item, added));
            m_out += "</tr>\n";
        }
        m_out += "</tbody>\n</table>\n</details>\n";
    }

    void legend() {
        if (m_report.columns.size() < 2) return;
        const std::string conf = m_outline.confidence_pct();
        m_out += "<details id=\"legend\">\n<summary><h2>📖 How to read this</h2></summary>\n<ul class=\"legend\">\n";
        append_format("<li><b>Before / After</b>: the median ± the half-width of its {}% confidence interval, in "
                      "percent of the median; ∞ means too few samples for an interval.</li>\n",
                      conf);
        append_format("<li><b>Δ</b>: the change of the medians when the Mann–Whitney U test finds a difference "
                      "(p ≤ {}); ~ means no significant difference.</li>\n",
                      m_report.options.alpha);
        append_format("<li><b>Change, {0}% CI</b>: the Hodges–Lehmann estimate of the change with its {0}% "
                      "confidence interval; a regression is certain only when the whole interval lies on the "
                      "worse side.</li>\n",
                      conf);
        append_format("<li><b>Samples</b>: every sample as a dot, the baseline in grey above the compared input; "
                      "the orange bar marks the median and the blue band its {}% confidence interval. The axis is "
                      "logarithmic (marked “log”) when the values span more than a decade.</li>\n",
                      conf);
        if (m_report.gate.enabled) {
            m_out += "<li><b>Gate</b>: ";
            append_escaped(m_out, m_report.gate.rule_text);
            m_out += ".</li>\n";
        }
        m_out += "</ul>\n</details>\n";
    }

    void text_table() {
        const std::string text = render_text(m_report);
        if (text.empty()) return;
        // With a single input the text table is the whole content, so it is shown open.
        const char* open = m_report.columns.size() < 2 ? " open" : "";
        append_format("<details id=\"text\"{}>\n", open);
        m_out += "<summary><h2>🔬 Text table</h2></summary>\n<pre>";
        m_out.reserve(m_out.size() + text.size() + text.size() / 8 + 64);
        append_escaped(m_out, text);
        m_out += "</pre>\n</details>\n";
    }

    // A strip plot: one lane per input (baseline, then the compared input), every sample a dot, the
    // median a bar and its confidence interval a band, over a shared axis. Coordinates have one
    // decimal, which keeps the output small and byte-for-byte deterministic.
    void plot(const OutlineItem& item) {
        const Table& table = m_report.tables[item.table];
        const Row& row = table.rows[item.row];
        const std::size_t base = baseline_column(m_report, table);
        const std::size_t lanes[] = {base, item.input};

        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t in : lanes) {
            const Cell& cell = *row.cells[in];
            for (double v : cell.sorted) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            for (const auto& bound : {cell.summary.lo, cell.summary.hi}) {
                if (bound && std::isfinite(*bound)) {
                    lo = std::min(lo, *bound);
                    hi = std::max(hi, *bound);
                }
            }
        }
        const bool log = lo > 0 && hi / lo > 10;
        const Axis axis(lo, hi, log);

        const double height = 2 * k_lane_height + k_axis_height;
        const Cell& base_cell = *row.cells[base];
        const Cell& head = *row.cells[item.input];
        append_format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.1f}\" height=\"{1:.1f}\" "
                      "viewBox=\"0 0 {0:.1f} {1:.1f}\" role=\"img\" aria-label=\"",
                      k_plot_width, height);
        append_escaped(m_out, fmt::format("{} {}: {} median {}, {} median {}", row.display(), table.unit,
                                          m_report.columns[base].label,
                                          scale_value(base_cell.summary.center, table.unit_class),
                                          m_report.columns[item.input].label,
                                          scale_value(head.summary.center, table.unit_class)));
        m_out += "\">";
        for (std::size_t lane = 0; lane < 2; ++lane) {
            const std::size_t in = lanes[lane];
            const Cell& cell = *row.cells[in];
            const double mid = k_lane_height * static_cast<double>(lane) + k_lane_height / 2;
            append_format("<text x=\"0\" y=\"{:.1f}\">{}</text>", mid + 3.5, m_lane_labels[in]);
            // An unbounded side of the interval runs to the edge of the plot.
            const double ci_lo = cell.summary.lo ? axis.x(*cell.summary.lo) : Axis::left();
            const double ci_hi = cell.summary.hi ? axis.x(*cell.summary.hi) : Axis::right();
            append_format("<rect class=\"ci\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", ci_lo,
                          mid - 9, std::max(ci_hi - ci_lo, 1.0), 18.0);
            const char* cls = lane == 0 ? "base" : "new";
            for (std::size_t i = 0; i < cell.sorted.size(); ++i) {
                // A fixed vertical spread separates equal samples without randomness.
                const double dy = (static_cast<double>(i % 5) - 2) * 2.5;
                append_format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"/>", cls,
                              axis.x(cell.sorted[i]), mid + dy);
            }
            const double m = axis.x(cell.summary.center);
            append_format("<line class=\"median\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>", m,
                          mid - 10, mid + 10);
        }
        const double axis_y = 2 * k_lane_height + 1;
        append_format("<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>",
                      k_label_width, k_plot_width, axis_y);
        const auto ticks = axis.ticks();
        const auto labels = tick_labels(ticks, table.unit_class);
        const char* anchors[] = {"start", "middle", "end"};
        for (std::size_t i = 0; i < ticks.size(); ++i) {
            const double x = i == 0 ? k_label_width : (i == 1 ? (k_label_width + k_plot_width) / 2 : k_plot_width);
            append_format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">", x, axis_y + 12, anchors[i]);
            append_escaped(m_out, labels[i]);
            if (i == 1 && axis.log()) m_out += " (log)";
            m_out += "</text>";
        }
        m_out += "</svg>";
    }

    const Report& m_report;
    ReportOutline m_outline;
    std::string m_out;
    std::vector<std::string> m_package_cells;  // by table: "<td>diff</td>", or "" without packages
    std::vector<std::string> m_unit_cells;     // by table
    std::vector<std::string> m_input_cells;    // by column
    std::vector<std::string> m_lane_labels;    // by column: the label beside a plot lane, escaped
};

}  // namespace

std::string render_html(const Report& report) { return HtmlWriter(report).write(); }

}  // namespace ksail_benchstat
