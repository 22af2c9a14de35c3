// Markdown renderer: a GitHub pull-request comment or job summary, kept under GitHub's size limit.
#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/format_cells.hpp"
#include "ksail_benchstat/render.hpp"
#include "ksail_benchstat/report_outline.hpp"

namespace ksail_benchstat {
namespace {

// Bots find their previous comment by this marker, so it comes first and never changes.
constexpr std::string_view k_marker = "<!-- ksail-benchstat -->\n";
// Report-wide warnings beyond this many are counted, not listed: the text output has them all.
constexpr std::size_t k_max_warnings = 20;

// What escape_md does with each byte: GitHub would read some as markup inside inline text or a
// table cell ('|' splits cells, '$' starts math, '&' starts entities), and line breaks would end a
// table row.
enum class ByteKind : unsigned char { plain, markup, blank, dropped };
constexpr std::array<ByteKind, 256> k_byte_kinds = [] {
    std::array<ByteKind, 256> kinds{};
    for (std::size_t b = 0; b < 0x20; ++b) kinds[b] = ByteKind::dropped;
    kinds[0x7f] = ByteKind::dropped;
    for (const char ch : {'\n', '\r', '\t'}) kinds[static_cast<unsigned char>(ch)] = ByteKind::blank;
    for (const char ch : std::string_view("\\`*_[]<>|~&$#!")) kinds[static_cast<unsigned char>(ch)] = ByteKind::markup;
    return kinds;
}();

// Appends `text` with every markup character backslash-escaped, line breaks and tabs as spaces and
// other control characters left out. Plain runs are copied whole: table rows are made by the
// hundred while the size cap is measured.
void append_escaped(std::string& out, std::string_view text) {
    std::size_t plain_from = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const ByteKind kind = k_byte_kinds[static_cast<unsigned char>(text[i])];
        if (kind == ByteKind::plain) continue;
        out.append(text.substr(plain_from, i - plain_from));
        plain_from = i + 1;
        if (kind == ByteKind::blank) {
            out += ' ';
        } else if (kind == ByteKind::markup) {
            out += '\\';
            out += text[i];
        }
    }
    out.append(text.substr(plain_from));
}

std::string escape_md(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

// "12,345": for sizes in the left-out note; locale-independent so output stays byte-identical.
std::string group_digits(std::size_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// One section of the output: `open`, then its first `keep` items, then `close(keep)`; nothing
// when `keep` is 0. The size cap lowers `keep` of the least important sections first. Items are
// made on demand: a huge report has hundreds of thousands of rows, and only those the cap can hold
// are ever measured or printed.
struct Block {
    int priority = 0;          // higher survives longer
    std::size_t items = 0;
    std::string item_label;    // "unchanged rows": for the left-out note
    std::string whole_label;   // used instead when a one-item section is left out
    std::string open;
    std::function<std::string(std::size_t)> item;
    std::function<std::string(std::size_t)> close;
    std::size_t keep = 0;
    // The items measured so far, and prefix[i]: the bytes of items [0, i).
    std::vector<std::string> made;
    std::vector<std::size_t> prefix = {0};

    std::string render(std::size_t keep_items) const {
        if (keep_items == 0) return {};
        std::string out = open;
        for (std::size_t i = 0; i < keep_items && i < items; ++i) out += i < made.size() ? made[i] : item(i);
        return out + close(keep_items);
    }

    // The size of render(keep_items), or some size above `limit` when it is larger than that:
    // items are measured only until they exceed it.
    std::size_t size(std::size_t keep_items, std::size_t limit) {
        if (keep_items == 0) return 0;
        keep_items = std::min(keep_items, items);
        while (prefix.size() <= keep_items && prefix.back() <= limit) {
            made.push_back(item(made.size()));
            prefix.push_back(prefix.back() + made.back().size());
        }
        if (prefix.size() <= keep_items) return limit + 1;
        return open.size() + prefix[keep_items] + close(keep_items).size();
    }
};

class MarkdownWriter {
public:
    MarkdownWriter(const Report& report, const MarkdownOptions& options) : m_report(report), m_options(options) {}

    std::string write() {
        prepare();
        for (auto& block : m_blocks) block.keep = block.items;
        if (fits()) return assemble();

        // Least important first; among equals the later section goes first.
        std::vector<std::size_t> order(m_blocks.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (m_blocks[a].priority != m_blocks[b].priority) return m_blocks[a].priority < m_blocks[b].priority;
            return a > b;
        });
        for (std::size_t i : order) {
            Block& block = m_blocks[i];
            block.keep = 0;
            if (!fits()) continue;
            // Dropping the whole section is enough: keep as many of its items as still fit.
            std::size_t lo = 0;
            std::size_t hi = block.items;
            while (lo < hi) {
                std::size_t mid = lo + (hi - lo + 1) / 2;
                block.keep = mid;
                if (fits()) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            block.keep = lo;
            break;
        }
        std::string doc = assemble();
        if (doc.size() > m_options.max_chars) {
            // Only a tiny cap gets here (the headline alone does not fit); cut on a UTF-8 boundary.
            std::size_t cut = m_options.max_chars;
            while (cut > 0 && (static_cast<unsigned char>(doc[cut]) & 0xC0) == 0x80) --cut;
            doc.resize(cut);
        }
        return doc;
    }

private:
    using Item = OutlineItem;

    // Makes the outline, the head and the sections. The text table's shape, which only the last
    // section (the text block) needs, is another walk over every row: it is made beside the
    // outline's walks, which on a large report share two cores with it.
    void prepare() {
        m_outline.emplace(m_report, [&] { m_text_shape = text_shape(m_report); });
        build_blocks();
        m_head = headline() + inputs_line();
        add_raw_text_block();
    }

    std::string headline() const {
        const Headline h = m_outline->headline();
        std::string out;
        for (const auto& v : h.verdicts) {
            if (!out.empty()) out += " · ";
            out += v.icon + " **" + v.emphasis + "**" + v.remark;
        }
        if (!h.gate_rule.empty()) out += " (gate: " + escape_md(h.gate_rule) + ")";
        for (const auto& c : h.counts) out += " · " + c;
        return out + "\n\n";
    }

    std::string inputs_line() const {
        const auto& inputs = m_report.columns;
        if (inputs.empty()) return {};
        std::string out;
        if (inputs.size() == 1) {
            out = "Input: **" + escape_md(inputs[0].label) + "**";
        } else {
            out = "Baseline **" + escape_md(inputs[0].label) + "** vs ";
            for (std::size_t i = 1; i < inputs.size(); ++i) {
                if (i > 1) out += ", ";
                out += "**" + escape_md(inputs[i].label) + "**";
            }
        }
        out += fmt::format(" · α = {} · {}% confidence\n\n", m_report.options.alpha, m_outline->confidence_pct());
        return out;
    }

    // Table header for compared rows; `why` adds the gate's reason column.
    // A table header: the columns naming the row (package, benchmark, unit, input), then
    // `value_columns` as (name, right-aligned) pairs.
    std::string header(const std::vector<std::pair<std::string, bool>>& value_columns) const {
        std::string names;
        std::string align;
        auto add = [&](std::string_view name, bool right) {
            names += fmt::format(" {} |", name);
            align += right ? "--:|" : ":--|";
        };
        if (m_outline->has_packages()) add("Package", false);
        add("Benchmark", false);
        add("Unit", false);
        if (m_report.columns.size() > 2) add("Input", false);
        for (const auto& [name, right] : value_columns) add(name, right);
        return "|" + names + "\n|" + align + "\n";
    }

    std::string compared_header(bool why, bool detect) const {
        std::vector<std::pair<std::string, bool>> columns = {
            {"Before", true}, {"After", true}, {"Δ", true},
            {fmt::format("Change, {}% CI", m_outline->confidence_pct()), true}, {"p", true}};
        if (detect) columns.emplace_back("What could be detected", false);
        if (why) columns.emplace_back("Why", false);
        return header(columns);
    }

    std::string why_text(const GateFinding* f) const { return escape_md(m_outline->why(f)); }

    // Appends " text |": one cell of a table row.
    static void append_cell(std::string& out, std::string_view text) {
        out += ' ';
        out += text;
        out += " |";
    }
    static void append_escaped_cell(std::string& out, std::string_view text) {
        out += ' ';
        append_escaped(out, text);
        out += " |";
    }

    // "|" and the columns naming a row: package, benchmark, unit and, with several compared inputs, the input.
    std::string row_start(const Item& item) const {
        const Table& table = m_report.tables[item.table];
        std::string out = "|";
        out.reserve(256);  // a whole row, usually
        if (m_outline->has_packages()) append_escaped_cell(out, m_outline->package_of(item.table));
        append_escaped_cell(out, table.rows[item.row].display());
        append_escaped_cell(out, table.unit);
        if (m_report.columns.size() > 2) append_escaped_cell(out, m_report.columns[item.input].label);
        return out;
    }

    std::string compared_row(const Item& item, bool bold, bool why, bool detect, const GateFinding* finding) const {
        const ComparedCells cells = m_outline->compared_cells(item, detect);
        std::string out = row_start(item);
        // Numbers, SI prefixes, '±', '%', '∞', '?', signs and brackets not followed by '(': nothing to escape.
        append_cell(out, cells.before);
        append_cell(out, cells.after);
        if (bold && cells.significant) {
            out += " **";
            append_escaped(out, cells.delta);
            out += "** |";
        } else {
            append_escaped_cell(out, cells.delta);
        }
        append_cell(out, cells.change);
        append_cell(out, cells.p);
        if (detect) append_escaped_cell(out, cells.detect);
        if (why) append_escaped_cell(out, m_outline->why(finding));
        out += '\n';
        return out;
    }

    std::string presence_row(const Item& item, bool added) const {
        std::string out = row_start(item);
        append_cell(out, m_outline->presence_center(item, added));
        out += '\n';
        return out;
    }

    std::string presence_header(bool added) const { return header({{added ? "After" : "Before", true}}); }

    static std::string left_out_line(std::size_t left, std::string_view label) {
        return fmt::format("*… {} more {} left out to fit the size limit.*\n\n", left, label);
    }

    // A section holding one markdown table of `items` rows made by `row`; `collapsed` puts it in <details>.
    void add_table_block(int priority, const std::string& heading, bool collapsed, const std::string& intro,
                         const std::string& header, std::size_t items, std::function<std::string(std::size_t)> row,
                         std::string item_label) {
        if (items == 0) return;
        Block block;
        block.priority = priority;
        block.items = items;
        block.item_label = item_label;
        block.open = collapsed ? "<details><summary>" + heading + "</summary>\n\n" : "### " + heading + "\n\n";
        block.open += intro;
        block.open += header;
        block.item = std::move(row);
        block.close = [items, collapsed, item_label](std::size_t keep) {
            std::string out = "\n";
            if (keep < items) out += left_out_line(items - keep, item_label);
            if (collapsed) out += "</details>\n\n";
            return out;
        };
        m_blocks.push_back(std::move(block));
    }

    void add_compared_block(int priority, Bucket b, const std::string& item_label) {
        const auto& items = m_outline->bucket(b);
        if (items.empty()) return;
        const SectionInfo info = m_outline->section(b);
        std::string intro = info.intro.empty() ? "" : info.intro + "\n\n";
        // Inconclusive rows say what they could have detected, which is also what their gate reason says.
        const bool detect = b == Bucket::inconclusive;
        bool why = false;
        for (const auto& item : items) {
            if (why || detect) break;
            why = item.finding != nullptr && !why_text(item.finding).empty();
        }
        auto row = [this, &items, emphasise = info.emphasise, why, detect](std::size_t i) {
            return compared_row(items[i], emphasise, why, detect, items[i].finding);
        };
        add_table_block(priority, fmt::format("{} ({})", info.title, items.size()), info.collapsed, intro,
                        compared_header(why, detect), items.size(), row, item_label);
    }

    void add_notes_block() {
        std::vector<std::string> lines;
        for (const auto& note : m_report.gate.notes) lines.push_back("- ℹ️ " + escape_md(note) + "\n");
        if (!m_report.detectability.warning.empty()) {
            lines.push_back("- ⚠️ " + escape_md(m_report.detectability.warning) + "\n");
        }
        const auto& warnings = m_report.warnings;
        for (std::size_t i = 0; i < warnings.size() && i < k_max_warnings; ++i) {
            lines.push_back("- ⚠️ " + escape_md(warnings[i]) + "\n");
        }
        if (lines.empty()) return;
        const std::size_t unlisted = warnings.size() > k_max_warnings ? warnings.size() - k_max_warnings : 0;
        Block block;
        block.priority = 9;
        block.items = lines.size();
        block.item_label = "notes and warnings";
        block.open = "### Notes\n\n";
        block.close = [unlisted, n = lines.size()](std::size_t keep) {
            std::string out;
            const std::size_t more = unlisted + (n - std::min(keep, n));
            if (more > 0) out += fmt::format("- … and {} more (see the text output)\n", more);
            return out + "\n";
        };
        block.item = [lines = std::move(lines)](std::size_t i) { return lines[i]; };
        m_blocks.push_back(std::move(block));
    }

    void add_goals_block() {
        if (m_outline->goals().empty()) return;
        std::vector<std::string> rows;
        const bool multi = m_report.columns.size() > 2;
        for (const GateFinding* g : m_outline->goals()) {
            std::string out = "|";
            auto add = [&](const std::string& text) { out += " " + text + " |"; };
            add(g->status == GateStatus::goal_met ? "✅ met" : "❌ not met");
            std::string pkg = m_outline->short_package(g->package);
            std::string display = g->benchmark;
            if (g->table < m_report.tables.size() && g->row < m_report.tables[g->table].rows.size()) {
                display = m_report.tables[g->table].rows[g->row].display();
            }
            if (m_outline->has_packages()) add(escape_md(pkg));
            add(escape_md(display));
            add(escape_md(g->unit));
            if (multi) add(g->input < m_report.columns.size() ? escape_md(m_report.columns[g->input].label) : "");
            add(escape_md(g->reason));
            rows.push_back(out + "\n");
        }
        std::string header = "| Goal |";
        std::string align = "|:--|";
        if (m_outline->has_packages()) {
            header += " Package |";
            align += ":--|";
        }
        header += " Benchmark | Unit |";
        align += ":--|:--|";
        if (multi) {
            header += " Input |";
            align += ":--|";
        }
        header += " Why |";
        align += ":--|";
        const std::size_t n = rows.size();
        add_table_block(10, fmt::format("🎯 Goals ({})", n), false, "", header + "\n" + align + "\n", n,
                        [rows = std::move(rows)](std::size_t i) { return rows[i]; }, "goal rows");
    }

    void add_presence_block(bool added) {
        const auto& items = added ? m_outline->added() : m_outline->removed();
        if (items.empty()) return;
        const std::size_t n = m_outline->count_benchmarks(items);
        std::string heading = added ? fmt::format("➕ Added: {} ({} rows)", plural(n, "benchmark", "benchmarks"), items.size())
                                    : fmt::format("➖ Removed: {} ({} rows)", plural(n, "benchmark", "benchmarks"), items.size());
        std::string intro = added ? "Only in the compared input; nothing to compare them with.\n\n"
                                  : "Only in the baseline. A benchmark that failed to run is an error, not a removal.\n\n";
        add_table_block(5, heading, true, intro, presence_header(added), items.size(),
                        [this, &items, added](std::size_t i) { return presence_row(items[i], added); },
                        added ? "added rows" : "removed rows");
    }

    void add_how_to_block() {
        if (m_report.columns.size() < 2) return;  // it explains comparison columns only
        const std::string conf = m_outline->confidence_pct();
        std::string text = "<details><summary>📖 How to read this</summary>\n\n";
        const Center center = m_report.options.center;
        const std::string_view what = center == Center::mean ? "mean" : center == Center::min ? "minimum" : "median";
        if (center == Center::min) {
            text += "- **Before / After**: the minimum (the fastest run); it has no confidence interval (`∞`).\n";
        } else {
            text += fmt::format("- **Before / After**: the {} ± the half-width of its {}% confidence interval, in "
                                "percent of the {}; `∞` means too few samples for an interval.\n",
                                what, conf, what);
        }
        text += fmt::format("- **Δ**: the change of the {} when the Mann–Whitney U test finds a difference "
                            "(p ≤ {}); `~` means no significant difference.\n",
                            what == "minimum" ? "minima" : std::string(what) + "s", m_report.options.alpha);
        text += fmt::format("- **Change, {}% CI**: the Hodges–Lehmann estimate of the change with its {}% confidence "
                            "interval; a regression is certain only when the whole interval lies on the worse side.\n",
                            conf, conf);
        text += fmt::format("- **Equivalent** rows have the whole interval of the change within ±{:g}%; "
                            "**inconclusive** rows are neither a significant change nor equivalent: their samples "
                            "could not tell. *What could be detected* gives the smallest change these samples would "
                            "detect (80% of the time at α = {}) and the count that would resolve ±{:g}%.\n",
                            m_report.options.equivalence_pct, m_report.options.alpha,
                            m_report.options.equivalence_pct);
        text += "- **p**: two-sided Mann–Whitney U test. Lower is better for time, bytes and allocations; "
                "higher is better for rates (…/s).\n";
        if (m_report.gate.enabled) {
            text += "- **Gate**: " + escape_md(m_report.gate.rule_text) +
                    ". A *possible regression* has its estimate beyond the threshold while its interval reaches "
                    "inside it: more samples would settle it. *Below threshold* changes are real but smaller than "
                    "the threshold.\n";
        }
        text += "\n</details>\n\n";
        Block block;
        block.priority = 6;
        block.items = 1;
        block.whole_label = "the “how to read this” section";
        block.item = [text = std::move(text)](std::size_t) { return text; };
        block.close = [](std::size_t) { return std::string(); };
        m_blocks.push_back(std::move(block));
    }

    // The text table, collapsed. Its size is known without rendering it (text_shape), and only the
    // first tables are rendered: the cap never holds more than its first max_chars bytes.
    void add_raw_text_block() {
        const TextShape& shape = m_text_shape;
        if (shape.lines == 0) return;
        // A fence longer than any backtick run in the content cannot be closed by it.
        const std::string fence(std::max<std::size_t>(3, shape.longest_backticks + 1), '`');
        // With a single input the text table is the whole content, so it is shown open.
        const bool open = m_report.columns.size() < 2;
        Block block;
        block.priority = 2;
        block.items = shape.lines;
        block.item_label = "lines of the text table";
        block.open = open ? "<details open><summary>🔬 Text table</summary>\n\n"
                          : "<details><summary>🔬 Text table</summary>\n\n";
        block.open += fence + "text\n";
        // Items are asked for only while the ones before them fit the cap, so a line starting
        // within the first max_chars bytes is the last ever needed; the prefix ends on a line end.
        auto lines = std::make_shared<std::vector<std::string>>();
        block.item = [this, lines](std::size_t i) {
            if (lines->empty()) *lines = split_lines(render_text_prefix(m_report, m_options.max_chars + 1));
            return i < lines->size() ? (*lines)[i] : std::string();
        };
        block.close = [fence, n = shape.lines](std::size_t keep) {
            std::string out = fence + "\n\n";
            if (keep < n) out += left_out_line(n - keep, "lines of the text table");
            return out + "</details>\n\n";
        };
        m_blocks.push_back(std::move(block));
    }

    // Lines with their line breaks; a last line without one gets one.
    static std::vector<std::string> split_lines(const std::string& text) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') {
                lines.push_back(text.substr(start, i + 1 - start));
                start = i + 1;
            }
        }
        if (start < text.size()) lines.push_back(text.substr(start) + "\n");
        return lines;
    }

    void build_blocks() {
        add_notes_block();
        add_compared_block(12, Bucket::failing, "failing rows");
        add_compared_block(11, Bucket::regressed, "regression rows");
        add_goals_block();
        // Inconclusive rows that fail the gate (--fail-on-inconclusive) stand next to the other failures.
        const bool inconclusive_fails = m_outline->inconclusive_fails();
        if (inconclusive_fails) add_compared_block(10, Bucket::inconclusive, "inconclusive rows");
        add_compared_block(8, Bucket::possible, "possible-regression rows");
        add_compared_block(7, Bucket::improved, "improvement rows");
        add_compared_block(6, Bucket::changed, "rows of unknown direction");
        add_compared_block(3, Bucket::below, "below-threshold rows");
        add_compared_block(4, Bucket::unstable, "unstable rows");
        add_presence_block(true);
        add_presence_block(false);
        if (!inconclusive_fails) add_compared_block(2, Bucket::inconclusive, "inconclusive rows");
        add_compared_block(1, Bucket::equivalent, "equivalent rows");
        add_how_to_block();
        // Then the text block (add_raw_text_block), once the text table's shape is known.
    }

    std::string left_out_note() const {
        std::vector<std::string> parts;
        for (const auto& block : m_blocks) {
            if (block.keep >= block.items) continue;
            if (block.keep == 0 && !block.whole_label.empty()) {
                parts.push_back(block.whole_label);
            } else if (block.keep == 0) {
                parts.push_back(fmt::format("all {} {}", block.items, block.item_label));
            } else {
                parts.push_back(fmt::format("{} of {} {}", block.items - block.keep, block.items, block.item_label));
            }
        }
        if (parts.empty()) return {};
        std::string out = fmt::format("> ✂️ Shortened to fit {} bytes; left out: ", group_digits(m_options.max_chars));
        for (std::size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? ", " : "") + parts[i];
        return out + ". Use `--format text`, `csv` or `json` for everything.\n\n";
    }

    static constexpr std::string_view k_title = "## 📊 Benchmark comparison\n\n";
    static constexpr std::string_view k_footer = "<sub>Generated by ksail-benchstat " KSAIL_BENCHSTAT_VERSION "</sub>\n";

    std::string assemble() const {
        std::string out(k_marker);
        out += k_title;
        out += m_head;
        out += left_out_note();
        for (const auto& block : m_blocks) out += block.render(block.keep);
        out += k_footer;
        return out;
    }

    // Whether assemble() would fit the cap, measuring only as much of each section as it takes to
    // tell: a section is measured against what the sections before it leave of the cap.
    bool fits() {
        const std::size_t cap = m_options.max_chars;
        std::size_t size = k_marker.size() + k_title.size() + m_head.size() + left_out_note().size() + k_footer.size();
        for (auto& block : m_blocks) {
            if (size > cap) return false;
            size += block.size(block.keep, cap - size);
        }
        return size <= cap;
    }

    const Report& m_report;
    MarkdownOptions m_options;
    TextShape m_text_shape;
    std::optional<ReportOutline> m_outline;  // made by prepare()
    std::vector<Block> m_blocks;
    std::string m_head;  // headline and inputs line: independent of the size cap, computed once
};

}  // namespace

std::string render_markdown(const Report& report, const MarkdownOptions& options) {
    return MarkdownWriter(report, options).write();
}

}  // namespace ksail_benchstat
