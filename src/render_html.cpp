// HTML renderer: one self-contained page (no scripts, no network) with the markdown report's
// headline and tables and, for every changed benchmark, an inline SVG plot of its samples.
#include <algorithm>
#include <cmath>
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

// Escapes text for HTML element content and double-quoted attribute values.
std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
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

// Coordinates with one decimal keep the output small and byte-for-byte deterministic.
std::string px(double value) { return fmt::format("{:.1f}", value); }

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

class HtmlWriter {
public:
    explicit HtmlWriter(const Report& report) : m_report(report), m_outline(report) {}

    std::string write() {
        std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        out += "<meta name=\"generator\" content=\"ksail-benchstat " KSAIL_BENCHSTAT_VERSION "\">\n";
        out += "<title>" + escape_html(title()) + "</title>\n";
        out += "<style>" + std::string(k_style) + "</style>\n</head>\n<body>\n";
        out += "<!-- ksail-benchstat -->\n";
        out += headline();
        out += notes();
        out += compared_section(Bucket::failing);
        out += compared_section(Bucket::regressed);
        out += goals();
        // Inconclusive rows that fail the gate (--fail-on-inconclusive) stand next to the other failures.
        const bool inconclusive_fails = m_outline.inconclusive_fails();
        if (inconclusive_fails) out += compared_section(Bucket::inconclusive);
        out += compared_section(Bucket::possible);
        out += compared_section(Bucket::improved);
        out += compared_section(Bucket::below);
        out += compared_section(Bucket::unstable);
        out += presence_section(true);
        out += presence_section(false);
        if (!inconclusive_fails) out += compared_section(Bucket::inconclusive);
        out += compared_section(Bucket::equivalent);
        out += legend();
        out += text_table();
        out += "<footer>Generated by ksail-benchstat " KSAIL_BENCHSTAT_VERSION "</footer>\n</body>\n</html>\n";
        return out;
    }

private:
    std::string title() const {
        std::string out = "Benchmark comparison";
        const auto& inputs = m_report.columns;
        for (std::size_t i = 0; i < inputs.size(); ++i) out += (i == 0 ? ": " : " vs ") + inputs[i].label;
        return out;
    }

    std::string headline() const {
        const Headline h = m_outline.headline();
        std::string out = "<header>\n<h1>📊 Benchmark comparison</h1>\n";
        out += fmt::format("<p class=\"verdict {}\">", h.bad ? "bad" : "good");
        for (std::size_t i = 0; i < h.verdicts.size(); ++i) {
            const auto& v = h.verdicts[i];
            if (i > 0) out += " · ";
            out += escape_html(v.icon) + " <strong>" + escape_html(v.emphasis) + "</strong>" + escape_html(v.remark);
        }
        out += "</p>\n";
        if (!h.gate_rule.empty()) out += "<p class=\"inputs\">Gate: " + escape_html(h.gate_rule) + "</p>\n";
        if (!h.counts.empty()) {
            out += "<p class=\"counts\">";
            for (std::size_t i = 0; i < h.counts.size(); ++i) out += (i > 0 ? " · " : "") + escape_html(h.counts[i]);
            out += "</p>\n";
        }
        const auto& inputs = m_report.columns;
        if (!inputs.empty()) {
            out += "<p class=\"inputs\">";
            if (inputs.size() == 1) {
                out += "Input: <strong>" + escape_html(inputs[0].label) + "</strong>";
            } else {
                out += "Baseline <strong>" + escape_html(inputs[0].label) + "</strong> vs ";
                for (std::size_t i = 1; i < inputs.size(); ++i) {
                    out += (i > 1 ? ", " : "") + std::string("<strong>") + escape_html(inputs[i].label) + "</strong>";
                }
            }
            out += fmt::format(" · α = {} · {}% confidence</p>\n", m_report.options.alpha, m_outline.confidence_pct());
        }
        return out + "</header>\n";
    }

    std::string notes() const {
        if (m_report.gate.notes.empty() && m_report.warnings.empty()) return {};
        std::string out = "<section class=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n";
        for (const auto& note : m_report.gate.notes) out += "<li>ℹ️ " + escape_html(note) + "</li>\n";
        for (const auto& warning : m_report.warnings) out += "<li>⚠️ " + escape_html(warning) + "</li>\n";
        return out + "</ul>\n</section>\n";
    }

    // Opens a section: a plain one with a heading, or a collapsed <details> (readable without scripts).
    static std::string open_section(std::string_view id, const std::string& heading, bool collapsed) {
        if (collapsed) {
            return fmt::format("<details id=\"{}\">\n<summary><h2>{}</h2></summary>\n", id, escape_html(heading));
        }
        return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, escape_html(heading));
    }

    static std::string close_section(bool collapsed) { return collapsed ? "</details>\n" : "</section>\n"; }

    // Header cells naming a row, then `values`.
    std::string header_row(const std::vector<std::string>& values) const {
        std::string out = "<thead><tr>";
        if (m_outline.has_packages()) out += "<th>Package</th>";
        out += "<th>Benchmark</th><th>Unit</th>";
        if (m_report.columns.size() > 2) out += "<th>Input</th>";
        for (const auto& v : values) out += "<th>" + escape_html(v) + "</th>";
        return out + "</tr></thead>\n";
    }

    std::string name_cells(const OutlineItem& item) const {
        const Table& table = m_report.tables[item.table];
        std::string out;
        if (m_outline.has_packages()) out += "<td>" + escape_html(m_outline.package_of(item.table)) + "</td>";
        out += "<td class=\"name\">" + escape_html(table.rows[item.row].display) + "</td>";
        out += "<td>" + escape_html(table.unit) + "</td>";
        if (m_report.columns.size() > 2) out += "<td>" + escape_html(m_report.columns[item.input].label) + "</td>";
        return out;
    }

    static std::string num_cell(const std::string& text, std::string_view cls = {}) {
        if (cls.empty()) return "<td class=\"num\">" + escape_html(text) + "</td>";
        return fmt::format("<td class=\"num\"><span class=\"{}\">{}</span></td>", cls, escape_html(text));
    }

    std::string compared_section(Bucket b) const {
        const auto& items = m_outline.bucket(b);
        if (items.empty()) return {};
        const SectionInfo info = m_outline.section(b);
        const bool plotted = std::find(std::begin(k_plotted), std::end(k_plotted), b) != std::end(k_plotted);
        // Inconclusive rows say what they could have detected, which is also what their gate reason says.
        const bool detect = b == Bucket::inconclusive;
        bool why = false;
        for (const auto& item : items) why = why || (!detect && !m_outline.why(item.finding).empty());

        std::string out = open_section(section_id(b), fmt::format("{} ({})", info.title, items.size()), info.collapsed);
        if (!info.intro.empty()) out += "<p class=\"intro\">" + with_code(info.intro) + "</p>\n";
        std::vector<std::string> columns = {"Before", "After", "Δ",
                                            fmt::format("Change, {}% CI", m_outline.confidence_pct()), "p"};
        if (detect) columns.emplace_back("What could be detected");
        if (why) columns.emplace_back("Why");
        if (plotted) columns.emplace_back("Samples");
        out += "<table>\n" + header_row(columns) + "<tbody>\n";
        for (const auto& item : items) {
            const ComparedCells cells = m_outline.compared_cells(item);
            std::string cls;
            if (info.emphasise && cells.significant) cls = "sig-bad";
            if (b == Bucket::improved && cells.significant) cls = "sig-good";
            out += "<tr>" + name_cells(item) + num_cell(cells.before) + num_cell(cells.after) +
                   num_cell(cells.delta, cls) + num_cell(cells.change) + num_cell(cells.p);
            if (detect) out += "<td class=\"why\">" + escape_html(cells.detect) + "</td>";
            if (why) out += "<td class=\"why\">" + escape_html(m_outline.why(item.finding)) + "</td>";
            if (plotted) out += "<td class=\"plot\">" + plot(item) + "</td>";
            out += "</tr>\n";
        }
        return out + "</tbody>\n</table>\n" + close_section(info.collapsed);
    }

    static std::string_view section_id(Bucket b) {
        switch (b) {
        case Bucket::failing: return "failing";
        case Bucket::regressed: return "regressed";
        case Bucket::possible: return "possible";
        case Bucket::improved: return "improved";
        case Bucket::below: return "below-threshold";
        case Bucket::unstable: return "unstable";
        case Bucket::inconclusive: return "inconclusive";
        case Bucket::equivalent: return "equivalent";
        }
        return "section";
    }

    std::string goals() const {
        const auto& goals = m_outline.goals();
        if (goals.empty()) return {};
        std::string out = open_section("goals", fmt::format("🎯 Goals ({})", goals.size()), false);
        out += "<table>\n<thead><tr><th>Goal</th>";
        if (m_outline.has_packages()) out += "<th>Package</th>";
        out += "<th>Benchmark</th><th>Unit</th>";
        if (m_report.columns.size() > 2) out += "<th>Input</th>";
        out += "<th>Why</th></tr></thead>\n<tbody>\n";
        for (const GateFinding* g : goals) {
            std::string display = g->benchmark;
            if (g->table < m_report.tables.size() && g->row < m_report.tables[g->table].rows.size()) {
                display = m_report.tables[g->table].rows[g->row].display;
            }
            out += g->status == GateStatus::goal_met ? "<tr><td class=\"sig-good\">✅ met</td>"
                                                     : "<tr><td class=\"sig-bad\">❌ not met</td>";
            if (m_outline.has_packages()) out += "<td>" + escape_html(m_outline.short_package(g->package)) + "</td>";
            out += "<td class=\"name\">" + escape_html(display) + "</td><td>" + escape_html(g->unit) + "</td>";
            if (m_report.columns.size() > 2) {
                out += "<td>" + (g->input < m_report.columns.size() ? escape_html(m_report.columns[g->input].label) : "") + "</td>";
            }
            out += "<td>" + escape_html(g->reason) + "</td></tr>\n";
        }
        return out + "</tbody>\n</table>\n</section>\n";
    }

    std::string presence_section(bool added) const {
        const auto& items = added ? m_outline.added() : m_outline.removed();
        if (items.empty()) return {};
        const std::size_t n = m_outline.count_benchmarks(items);
        std::string heading = fmt::format("{}: {} ({} rows)", added ? "➕ Added" : "➖ Removed",
                                          plural(n, "benchmark", "benchmarks"), items.size());
        std::string out = open_section(added ? "added" : "removed", heading, true);
        out += added ? "<p class=\"intro\">Only in the compared input; nothing to compare them with.</p>\n"
                     : "<p class=\"intro\">Only in the baseline. A benchmark that failed to run is an error, not a "
                       "removal.</p>\n";
        out += "<table>\n" + header_row({added ? "After" : "Before"}) + "<tbody>\n";
        for (const auto& item : items) {
            out += "<tr>" + name_cells(item) + num_cell(m_outline.presence_center(item, added)) + "</tr>\n";
        }
        return out + "</tbody>\n</table>\n</details>\n";
    }

    std::string legend() const {
        if (m_report.columns.size() < 2) return {};
        const std::string conf = m_outline.confidence_pct();
        std::string out = "<details id=\"legend\">\n<summary><h2>📖 How to read this</h2></summary>\n<ul class=\"legend\">\n";
        out += fmt::format("<li><b>Before / After</b>: the median ± the half-width of its {}% confidence interval, in "
                           "percent of the median; ∞ means too few samples for an interval.</li>\n",
                           conf);
        out += fmt::format("<li><b>Δ</b>: the change of the medians when the Mann–Whitney U test finds a difference "
                           "(p ≤ {}); ~ means no significant difference.</li>\n",
                           m_report.options.alpha);
        out += fmt::format("<li><b>Change, {0}% CI</b>: the Hodges–Lehmann estimate of the change with its {0}% "
                           "confidence interval; a regression is certain only when the whole interval lies on the "
                           "worse side.</li>\n",
                           conf);
        out += fmt::format("<li><b>Samples</b>: every sample as a dot, the baseline in grey above the compared input; "
                           "the orange bar marks the median and the blue band its {}% confidence interval. The axis is "
                           "logarithmic (marked “log”) when the values span more than a decade.</li>\n",
                           conf);
        if (m_report.gate.enabled) out += "<li><b>Gate</b>: " + escape_html(m_report.gate.rule_text) + ".</li>\n";
        return out + "</ul>\n</details>\n";
    }

    std::string text_table() const {
        const std::string text = render_text(m_report);
        if (text.empty()) return {};
        // With a single input the text table is the whole content, so it is shown open.
        const char* open = m_report.columns.size() < 2 ? " open" : "";
        return fmt::format("<details id=\"text\"{}>\n", open) + "<summary><h2>🔬 Text table</h2></summary>\n<pre>" + escape_html(text) +
               "</pre>\n</details>\n";
    }

    // A strip plot: one lane per input (baseline, then the compared input), every sample a dot, the
    // median a bar and its confidence interval a band, over a shared axis.
    std::string plot(const OutlineItem& item) const {
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
        std::string out = fmt::format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
            "role=\"img\" aria-label=\"{2}\">",
            px(k_plot_width), px(height),
            escape_html(fmt::format("{} {}: {} median {}, {} median {}", row.display, table.unit, m_report.columns[base].label,
                                    scale_value(base_cell.summary.center, table.unit_class),
                                    m_report.columns[item.input].label,
                                    scale_value(head.summary.center, table.unit_class))));
        for (std::size_t lane = 0; lane < 2; ++lane) {
            const std::size_t in = lanes[lane];
            const Cell& cell = *row.cells[in];
            const double mid = k_lane_height * static_cast<double>(lane) + k_lane_height / 2;
            out += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", px(mid + 3.5),
                               escape_html(shorten(m_report.columns[in].label, k_max_label)));
            // An unbounded side of the interval runs to the edge of the plot.
            const double ci_lo = cell.summary.lo ? axis.x(*cell.summary.lo) : Axis::left();
            const double ci_hi = cell.summary.hi ? axis.x(*cell.summary.hi) : Axis::right();
            out += fmt::format("<rect class=\"ci\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(ci_lo),
                               px(mid - 9), px(std::max(ci_hi - ci_lo, 1.0)), px(18));
            const char* cls = lane == 0 ? "base" : "new";
            for (std::size_t i = 0; i < cell.sorted.size(); ++i) {
                // A fixed vertical spread separates equal samples without randomness.
                const double dy = (static_cast<double>(i % 5) - 2) * 2.5;
                out += fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"3\"/>", cls, px(axis.x(cell.sorted[i])),
                                   px(mid + dy));
            }
            const double m = axis.x(cell.summary.center);
            out += fmt::format("<line class=\"median\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>", px(m), px(mid - 10),
                               px(mid + 10));
        }
        const double axis_y = 2 * k_lane_height + 1;
        out += fmt::format("<line class=\"axis\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", px(k_label_width),
                           px(k_plot_width), px(axis_y));
        const auto ticks = axis.ticks();
        const auto labels = tick_labels(ticks, table.unit_class);
        const char* anchors[] = {"start", "middle", "end"};
        for (std::size_t i = 0; i < ticks.size(); ++i) {
            std::string label = labels[i];
            if (i == 1 && axis.log()) label += " (log)";
            const double x = i == 0 ? k_label_width : (i == 1 ? (k_label_width + k_plot_width) / 2 : k_plot_width);
            out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>", px(x), px(axis_y + 12), anchors[i],
                               escape_html(label));
        }
        return out + "</svg>";
    }

    const Report& m_report;
    ReportOutline m_outline;
};

}  // namespace

std::string render_html(const Report& report) { return HtmlWriter(report).write(); }

}  // namespace ksail_benchstat
