// Markdown renderer: a GitHub pull-request comment or job summary, kept under GitHub's size limit.
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/format_cells.hpp"
#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

// Bots find their previous comment by this marker, so it comes first and never changes.
constexpr std::string_view k_marker = "<!-- ksail-benchstat -->\n";
// Report-wide warnings beyond this many are counted, not listed: the text output has them all.
constexpr std::size_t k_max_warnings = 20;

// Backslash-escapes every character that GitHub would read as markup inside inline text or a table
// cell ('|' splits cells, '$' starts math, '&' starts entities); line breaks would end a table row.
std::string escape_md(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto uch = static_cast<unsigned char>(ch);
        if (ch == '\n' || ch == '\r' || ch == '\t') {
            out += ' ';
            continue;
        }
        if (uch < 0x20 || uch == 0x7f) continue;
        if (std::strchr("\\`*_[]<>|~&$#!", ch) != nullptr) out += '\\';
        out += ch;
    }
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

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The shortest path suffix of each Go package that no other package in the report shares:
// usually the last element ("diff"), longer only when two packages end alike.
std::map<std::string, std::string> short_packages(const std::set<std::string>& packages) {
    std::map<std::string, std::vector<std::string>> parts;
    for (const auto& pkg : packages) {
        std::vector<std::string> elems;
        std::size_t start = 0;
        while (true) {
            std::size_t slash = pkg.find('/', start);
            elems.push_back(pkg.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        parts[pkg] = std::move(elems);
    }
    auto suffix = [](const std::vector<std::string>& elems, std::size_t depth) {
        std::string out;
        for (std::size_t i = elems.size() - std::min(depth, elems.size()); i < elems.size(); ++i) {
            if (!out.empty()) out += '/';
            out += elems[i];
        }
        return out;
    };
    std::map<std::string, std::string> result;
    for (const auto& [pkg, elems] : parts) {
        for (std::size_t depth = 1; depth <= elems.size(); ++depth) {
            std::string candidate = suffix(elems, depth);
            bool unique = true;
            for (const auto& [other, other_elems] : parts) {
                if (other != pkg && suffix(other_elems, depth) == candidate) unique = false;
            }
            if (unique || depth == elems.size()) {
                result[pkg] = candidate;
                break;
            }
        }
    }
    return result;
}

// Where a compared (row, input) pair is listed.
enum class Bucket { failing, regressed, possible, improved, below, unstable, unchanged };

struct Item {
    std::size_t table = 0;
    std::size_t row = 0;
    std::size_t input = 0;
    const GateFinding* finding = nullptr;  // the finding that placed the item, if any
};

// One section of the output. `render(keep)` prints it with only its first `keep` items; the size
// cap lowers `keep` of the least important sections first.
struct Block {
    int priority = 0;          // higher survives longer
    std::size_t items = 0;
    std::string item_label;    // "unchanged rows": for the left-out note
    std::string whole_label;   // used instead when a one-item section is left out
    std::function<std::string(std::size_t)> render;
    std::size_t keep = 0;
};

class MarkdownWriter {
public:
    MarkdownWriter(const Report& report, const MarkdownOptions& options) : m_report(report), m_options(options) {
        index_findings();
        collect_packages();
        classify();
        collect_sample_sizes();
    }

    std::string write() {
        build_blocks();
        m_head = headline() + inputs_line();
        for (auto& block : m_blocks) block.keep = block.items;
        std::string doc = assemble();
        if (doc.size() <= m_options.max_chars) return doc;

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
            if (assemble().size() > m_options.max_chars) continue;
            // Dropping the whole section is enough: keep as many of its items as still fit.
            std::size_t lo = 0;
            std::size_t hi = block.items;
            while (lo < hi) {
                std::size_t mid = lo + (hi - lo + 1) / 2;
                block.keep = mid;
                if (assemble().size() <= m_options.max_chars) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            block.keep = lo;
            break;
        }
        doc = assemble();
        if (doc.size() > m_options.max_chars) {
            // Only a tiny cap gets here (the headline alone does not fit); cut on a UTF-8 boundary.
            std::size_t cut = m_options.max_chars;
            while (cut > 0 && (static_cast<unsigned char>(doc[cut]) & 0xC0) == 0x80) --cut;
            doc.resize(cut);
        }
        return doc;
    }

private:
    using Key = std::tuple<std::size_t, std::size_t, std::size_t>;

    void index_findings() {
        for (const auto& f : m_report.gate.findings) m_findings[{f.table, f.row, f.input}].push_back(&f);
    }

    void collect_packages() {
        std::set<std::string> packages;
        for (const auto& table : m_report.tables) {
            std::string_view pkg = config_value(table.config, "pkg");
            if (!pkg.empty()) packages.emplace(pkg);
        }
        m_has_packages = !packages.empty();
        m_short_package = short_packages(packages);
    }

    std::string package_of(std::size_t t) const {
        std::string pkg(config_value(m_report.tables[t].config, "pkg"));
        auto it = m_short_package.find(pkg);
        return it == m_short_package.end() ? pkg : it->second;
    }

    // The benchmark identity used for the headline counts: a benchmark regressed in three units
    // is one regressed benchmark.
    std::tuple<std::string, std::string, std::size_t> benchmark_key(const Item& item) const {
        const Table& table = m_report.tables[item.table];
        return {std::string(config_value(table.config, "pkg")), table.rows[item.row].name, item.input};
    }

    // The finding that decides where an item goes: the most severe non-goal status.
    const GateFinding* placing_finding(const Key& key) const {
        auto it = m_findings.find(key);
        if (it == m_findings.end()) return nullptr;
        const GateFinding* best = nullptr;
        for (const GateFinding* f : it->second) {
            if (f->status == GateStatus::goal_met || f->status == GateStatus::goal_unmet) continue;
            if (best == nullptr || f->status < best->status) best = f;
        }
        return best;
    }

    // The column a table compares against: the first input, or with --col the table's first column.
    std::size_t base_of(const Table& table) const {
        return m_report.columns_are_inputs || table.columns.empty() ? 0 : table.columns.front();
    }

    void classify() {
        const std::size_t n_inputs = m_report.columns.size();
        for (std::size_t t = 0; t < m_report.tables.size(); ++t) {
            const Table& table = m_report.tables[t];
            const std::size_t base = base_of(table);
            for (std::size_t r = 0; r < table.rows.size(); ++r) {
                const Row& row = table.rows[r];
                for (std::size_t in = base + 1; in < n_inputs; ++in) {
                    const bool has_base = row.cells[base].has_value();
                    const bool has_new = row.cells[in].has_value();
                    Item item{t, r, in, nullptr};
                    if (has_base && !has_new) {
                        m_removed.push_back(item);
                        continue;
                    }
                    if (!has_base && has_new) {
                        m_added.push_back(item);
                        continue;
                    }
                    if (!has_base || !row.comparisons[in]) continue;
                    item.finding = placing_finding({t, r, in});
                    m_buckets[bucket_of(item, *row.comparisons[in])].push_back(item);
                }
            }
        }
        for (const auto& f : m_report.gate.findings) {
            if (f.status != GateStatus::goal_met && f.status != GateStatus::goal_unmet) continue;
            m_goals.push_back(&f);
        }
    }

    Bucket bucket_of(const Item& item, const Comparison& cmp) const {
        if (item.finding != nullptr) {
            switch (item.finding->status) {
            case GateStatus::failed: return m_report.gate.enabled ? Bucket::failing : Bucket::regressed;
            case GateStatus::possible_regression: return Bucket::possible;
            case GateStatus::below_threshold: return Bucket::below;
            case GateStatus::unstable: return Bucket::unstable;
            default: break;  // not gated: listed by its verdict
            }
        }
        if (cmp.verdict == Verdict::regressed) return Bucket::regressed;
        if (cmp.verdict == Verdict::improved) return Bucket::improved;
        return Bucket::unchanged;
    }

    void collect_sample_sizes() {
        for (const auto& table : m_report.tables) {
            for (const auto& row : table.rows) {
                for (const auto& cell : row.cells) {
                    if (!cell) continue;
                    m_min_n = std::min(m_min_n, cell->summary.n);
                    m_max_n = std::max(m_max_n, cell->summary.n);
                }
            }
        }
    }

    std::size_t count_benchmarks(const std::vector<Item>& items) const {
        std::set<std::tuple<std::string, std::string, std::size_t>> keys;
        for (const auto& item : items) keys.insert(benchmark_key(item));
        return keys.size();
    }

    std::string headline() const {
        const auto& gate = m_report.gate;
        std::vector<Item> compared;
        for (const auto& [bucket, items] : m_buckets) compared.insert(compared.end(), items.begin(), items.end());
        const std::size_t n_compared = count_benchmarks(compared);
        const std::size_t n_failing = count_benchmarks(bucket(Bucket::failing));
        const std::size_t n_regressed = count_benchmarks(bucket(Bucket::regressed));
        std::size_t n_unmet = 0;
        for (const GateFinding* g : m_goals) n_unmet += g->status == GateStatus::goal_unmet ? 1 : 0;

        std::string verdict;
        if (m_report.columns.size() < 2) {
            verdict = "ℹ️ **nothing to compare** (only one input)";
        } else if (n_compared == 0) {
            verdict = "ℹ️ **nothing to compare** (no benchmark appears in both inputs)";
        } else if (gate.enabled) {
            if (n_failing > 0) verdict = fmt::format("❌ **{} regressed**", plural(n_failing, "benchmark", "benchmarks"));
            if (n_unmet > 0) {
                if (!verdict.empty()) verdict += " · ";
                verdict += fmt::format("❌ **{} not met**", plural(n_unmet, "goal", "goals"));
            }
            if (verdict.empty() && !gate.passed) verdict = "❌ **gate failed**";
            if (verdict.empty()) verdict = n_regressed == 0 ? "✅ **no significant regression**" : "✅ **gate passed**";
        } else {
            const std::size_t n = n_failing + n_regressed;
            verdict = n > 0 ? fmt::format("❌ **{} regressed**", plural(n, "benchmark", "benchmarks"))
                            : "✅ **no significant regression**";
        }
        if (gate.enabled && !gate.rule_text.empty()) verdict += " (gate: " + escape_md(gate.rule_text) + ")";

        std::vector<std::string> counts;
        if (gate.enabled && n_regressed > 0) counts.push_back(fmt::format("🔴 {} regressed, not gating", n_regressed));
        if (std::size_t n = count_benchmarks(bucket(Bucket::possible)); n > 0) counts.push_back(fmt::format("⚠️ {} possibly regressed", n));
        if (std::size_t n = count_benchmarks(bucket(Bucket::improved)); n > 0) counts.push_back(fmt::format("🟢 {} improved", n));
        if (std::size_t n = count_benchmarks(m_added); n > 0) counts.push_back(fmt::format("➕ {} added", n));
        if (std::size_t n = count_benchmarks(m_removed); n > 0) counts.push_back(fmt::format("➖ {} removed", n));
        if (m_report.columns.size() >= 2) counts.push_back(fmt::format("{} compared", n_compared));
        if (m_max_n > 0) {
            const char* side = m_report.columns.size() >= 2 ? " per side" : "";
            counts.push_back(m_min_n == m_max_n ? fmt::format("n={}{}", m_min_n, side)
                                                : fmt::format("n={}–{}{}", m_min_n, m_max_n, side));
        }
        std::string out = verdict;
        for (const auto& c : counts) out += " · " + c;
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
        out += fmt::format(" · α = {} · {}% confidence\n\n", m_report.options.alpha, confidence_pct());
        return out;
    }

    std::string confidence_pct() const { return fmt::format("{:.3g}", m_report.options.confidence * 100); }

    const std::vector<Item>& bucket(Bucket b) const {
        static const std::vector<Item> empty;
        auto it = m_buckets.find(b);
        return it == m_buckets.end() ? empty : it->second;
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
        if (m_has_packages) add("Package", false);
        add("Benchmark", false);
        add("Unit", false);
        if (m_report.columns.size() > 2) add("Input", false);
        for (const auto& [name, right] : value_columns) add(name, right);
        return "|" + names + "\n|" + align + "\n";
    }

    std::string compared_header(bool why) const {
        std::vector<std::pair<std::string, bool>> columns = {
            {"Before", true}, {"After", true}, {"Δ", true},
            {fmt::format("Change, {}% CI", confidence_pct()), true}, {"p", true}};
        if (why) columns.emplace_back("Why", false);
        return header(columns);
    }

    std::string why_text(const GateFinding* f) const {
        if (f == nullptr) return {};
        std::string out = escape_md(f->reason);
        if (f->status == GateStatus::possible_regression && f->samples_needed > 0) {
            if (!out.empty()) out += "; ";
            out += fmt::format("about {} samples per side would settle it", f->samples_needed);
        }
        return out;
    }

    std::string compared_row(const Item& item, bool bold, bool why, const GateFinding* finding) const {
        const Table& table = m_report.tables[item.table];
        const Row& row = table.rows[item.row];
        std::vector<double> centers;
        for (std::size_t in : table.columns) {
            if (row.cells[in]) centers.push_back(row.cells[in]->summary.center);
        }
        const Scaler scaler = common_scale(centers, table.unit_class);
        const Comparison* cmp = row.comparisons[item.input] ? &*row.comparisons[item.input] : nullptr;
        auto center = [&](std::size_t in) {
            // Numbers, SI prefixes, '±', '%', '∞' and '?' only: nothing to escape.
            return row.cells[in] ? format_center(row.cells[in]->summary, scaler) : std::string();
        };
        std::string out = "|";
        auto add = [&](const std::string& text) { out += " " + text + " |"; };
        if (m_has_packages) add(escape_md(package_of(item.table)));
        add(escape_md(row.display));
        add(escape_md(table.unit));
        if (m_report.columns.size() > 2) add(escape_md(m_report.columns[item.input].label));
        const std::size_t base = base_of(table);
        add(center(base));
        add(center(item.input));
        if (cmp != nullptr) {
            std::string delta = escape_md(cmp->delta_text);
            add(bold && cmp->significant ? "**" + delta + "**" : delta);
            add(format_change(cmp->change));  // digits, signs, brackets not followed by '(': plain text
            std::string p = cmp->test.p > 0 ? fmt::format("{:.3f}", cmp->test.p) : "—";
            // The headline gives the usual sample size; rows that deviate from it say so.
            if (m_min_n != m_max_n && row.cells[base] && row.cells[item.input]) {
                const std::size_t n1 = row.cells[base]->summary.n;
                const std::size_t n2 = row.cells[item.input]->summary.n;
                if (n1 != n2) {
                    p += fmt::format(" (n={}+{})", n1, n2);
                } else if (n1 != m_max_n) {
                    p += fmt::format(" (n={})", n1);
                }
            }
            add(p);
        } else {
            add("");
            add("");
            add("");
        }
        if (why) add(why_text(finding));
        return out + "\n";
    }

    std::string presence_row(const Item& item, bool added) const {
        const Table& table = m_report.tables[item.table];
        const Row& row = table.rows[item.row];
        const std::size_t in = added ? item.input : base_of(table);
        const Summary& s = row.cells[in]->summary;
        const double one[] = {s.center};
        std::string out = "|";
        auto add = [&](const std::string& text) { out += " " + text + " |"; };
        if (m_has_packages) add(escape_md(package_of(item.table)));
        add(escape_md(row.display));
        add(escape_md(table.unit));
        if (m_report.columns.size() > 2) add(escape_md(m_report.columns[item.input].label));
        add(format_center(s, common_scale(one, table.unit_class)));
        return out + "\n";
    }

    std::string presence_header(bool added) const { return header({{added ? "After" : "Before", true}}); }

    static std::string left_out_line(std::size_t left, std::string_view label) {
        return fmt::format("*… {} more {} left out to fit the size limit.*\n\n", left, label);
    }

    // A section holding one markdown table; `collapsed` puts it in <details>.
    void add_table_block(int priority, std::string heading, bool collapsed, std::string intro, std::string header,
                         std::vector<std::string> rows, std::string item_label) {
        if (rows.empty()) return;
        Block block;
        block.priority = priority;
        block.items = rows.size();
        block.item_label = item_label;
        block.render = [heading = std::move(heading), collapsed, intro = std::move(intro), header = std::move(header),
                        rows = std::move(rows), item_label](std::size_t keep) {
            if (keep == 0) return std::string();
            std::string out = collapsed ? "<details><summary>" + heading + "</summary>\n\n" : "### " + heading + "\n\n";
            out += intro;
            out += header;
            for (std::size_t i = 0; i < keep && i < rows.size(); ++i) out += rows[i];
            out += "\n";
            if (keep < rows.size()) out += left_out_line(rows.size() - keep, item_label);
            if (collapsed) out += "</details>\n\n";
            return out;
        };
        m_blocks.push_back(std::move(block));
    }

    void add_compared_block(int priority, Bucket b, const std::string& title, bool collapsed, bool bold,
                            std::string intro, const std::string& item_label) {
        const auto& items = bucket(b);
        if (items.empty()) return;
        bool why = false;
        for (const auto& item : items) why = why || !why_text(item.finding).empty();
        std::vector<std::string> rows;
        for (const auto& item : items) rows.push_back(compared_row(item, bold, why, item.finding));
        add_table_block(priority, fmt::format("{} ({})", title, items.size()), collapsed, std::move(intro),
                        compared_header(why), std::move(rows), item_label);
    }

    void add_notes_block() {
        std::vector<std::string> lines;
        for (const auto& note : m_report.gate.notes) lines.push_back("- ℹ️ " + escape_md(note) + "\n");
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
        block.render = [lines, unlisted](std::size_t keep) {
            if (keep == 0) return std::string();
            std::string out = "### Notes\n\n";
            for (std::size_t i = 0; i < keep && i < lines.size(); ++i) out += lines[i];
            const std::size_t more = unlisted + (lines.size() - std::min(keep, lines.size()));
            if (more > 0) out += fmt::format("- … and {} more (see the text output)\n", more);
            return out + "\n";
        };
        m_blocks.push_back(std::move(block));
    }

    void add_goals_block() {
        if (m_goals.empty()) return;
        std::vector<std::string> rows;
        const bool multi = m_report.columns.size() > 2;
        for (const GateFinding* g : m_goals) {
            std::string out = "|";
            auto add = [&](const std::string& text) { out += " " + text + " |"; };
            add(g->status == GateStatus::goal_met ? "✅ met" : "❌ not met");
            std::string pkg = g->package;
            if (auto it = m_short_package.find(pkg); it != m_short_package.end()) pkg = it->second;
            std::string display = g->benchmark;
            if (g->table < m_report.tables.size() && g->row < m_report.tables[g->table].rows.size()) {
                display = m_report.tables[g->table].rows[g->row].display;
            }
            if (m_has_packages) add(escape_md(pkg));
            add(escape_md(display));
            add(escape_md(g->unit));
            if (multi) add(g->input < m_report.columns.size() ? escape_md(m_report.columns[g->input].label) : "");
            add(escape_md(g->reason));
            rows.push_back(out + "\n");
        }
        std::string header = "| Goal |";
        std::string align = "|:--|";
        if (m_has_packages) {
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
        add_table_block(10, fmt::format("🎯 Goals ({})", rows.size()), false, "", header + "\n" + align + "\n",
                        std::move(rows), "goal rows");
    }

    void add_presence_block(bool added) {
        const auto& items = added ? m_added : m_removed;
        if (items.empty()) return;
        std::vector<std::string> rows;
        for (const auto& item : items) rows.push_back(presence_row(item, added));
        const std::size_t n = count_benchmarks(items);
        std::string heading = added ? fmt::format("➕ Added: {} ({} rows)", plural(n, "benchmark", "benchmarks"), items.size())
                                    : fmt::format("➖ Removed: {} ({} rows)", plural(n, "benchmark", "benchmarks"), items.size());
        std::string intro = added ? "Only in the compared input; nothing to compare them with.\n\n"
                                  : "Only in the baseline. A benchmark that failed to run is an error, not a removal.\n\n";
        add_table_block(5, std::move(heading), true, std::move(intro), presence_header(added), std::move(rows),
                        added ? "added rows" : "removed rows");
    }

    void add_how_to_block() {
        if (m_report.columns.size() < 2) return;  // it explains comparison columns only
        const std::string conf = confidence_pct();
        std::string text = "<details><summary>📖 How to read this</summary>\n\n";
        text += fmt::format("- **Before / After**: the median ± the half-width of its {}% confidence interval, in percent "
                            "of the median; `∞` means too few samples for an interval.\n",
                            conf);
        text += fmt::format("- **Δ**: the change of the medians when the Mann–Whitney U test finds a difference "
                            "(p ≤ {}); `~` means no significant difference.\n",
                            m_report.options.alpha);
        text += fmt::format("- **Change, {}% CI**: the Hodges–Lehmann estimate of the change with its {}% confidence "
                            "interval; a regression is certain only when the whole interval lies on the worse side.\n",
                            conf, conf);
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
        block.render = [text](std::size_t keep) { return keep > 0 ? text : std::string(); };
        m_blocks.push_back(std::move(block));
    }

    void add_raw_text_block() {
        const std::string text = render_text(m_report);
        if (text.empty()) return;
        std::vector<std::string> lines;
        std::size_t start = 0;
        std::size_t longest_ticks = 0;
        std::size_t ticks = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            ticks = text[i] == '`' ? ticks + 1 : 0;
            longest_ticks = std::max(longest_ticks, ticks);
            if (text[i] == '\n') {
                lines.push_back(text.substr(start, i + 1 - start));
                start = i + 1;
            }
        }
        if (start < text.size()) lines.push_back(text.substr(start) + "\n");
        // A fence longer than any backtick run in the content cannot be closed by it.
        const std::string fence(std::max<std::size_t>(3, longest_ticks + 1), '`');
        // With a single input the text table is the whole content, so it is shown open.
        const bool open = m_report.columns.size() < 2;
        Block block;
        block.priority = 2;
        block.items = lines.size();
        block.item_label = "lines of the text table";
        block.render = [lines, fence, open](std::size_t keep) {
            if (keep == 0) return std::string();
            std::string out = open ? "<details open><summary>🔬 Text table</summary>\n\n"
                                   : "<details><summary>🔬 Text table</summary>\n\n";
            out += fence + "text\n";
            for (std::size_t i = 0; i < keep && i < lines.size(); ++i) out += lines[i];
            out += fence + "\n\n";
            if (keep < lines.size()) out += left_out_line(lines.size() - keep, "lines of the text table");
            return out + "</details>\n\n";
        };
        m_blocks.push_back(std::move(block));
    }

    void build_blocks() {
        const bool gate_on = m_report.gate.enabled;
        add_notes_block();
        add_compared_block(12, Bucket::failing, "❌ Failing regressions", false, true, "", "failing rows");
        add_compared_block(11, Bucket::regressed, gate_on ? "🔴 Regressions, not gating" : "🔴 Regressions", false, true,
                           "", "regression rows");
        add_goals_block();
        add_compared_block(8, Bucket::possible, "⚠️ Possible regressions", false, false,
                           "The estimate is beyond the threshold but the interval reaches inside it: run more samples "
                           "(e.g. a higher `-count`) to settle these.\n\n",
                           "possible-regression rows");
        add_compared_block(7, Bucket::improved, "🟢 Improvements", false, false, "", "improvement rows");
        add_compared_block(3, Bucket::below, "🟡 Significant but below threshold", true, false, "", "below-threshold rows");
        add_compared_block(4, Bucket::unstable, "🌀 Unstable", true, false,
                           "Integer metrics flipping between adjacent values; not a change of the code.\n\n",
                           "unstable rows");
        add_presence_block(true);
        add_presence_block(false);
        add_compared_block(1, Bucket::unchanged, "⚪ Unchanged", true, false, "", "unchanged rows");
        add_how_to_block();
        add_raw_text_block();
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

    std::string assemble() const {
        std::string out(k_marker);
        out += "## 📊 Benchmark comparison\n\n";
        out += m_head;
        out += left_out_note();
        for (const auto& block : m_blocks) out += block.render(block.keep);
        out += "<sub>Generated by ksail-benchstat " KSAIL_BENCHSTAT_VERSION "</sub>\n";
        return out;
    }

    const Report& m_report;
    MarkdownOptions m_options;
    std::map<Key, std::vector<const GateFinding*>> m_findings;
    std::map<std::string, std::string> m_short_package;
    bool m_has_packages = false;
    std::map<Bucket, std::vector<Item>> m_buckets;
    std::vector<Item> m_added;
    std::vector<Item> m_removed;
    std::vector<const GateFinding*> m_goals;
    std::size_t m_min_n = static_cast<std::size_t>(-1);
    std::size_t m_max_n = 0;
    std::vector<Block> m_blocks;
    std::string m_head;  // headline and inputs line: independent of the size cap, computed once
};

}  // namespace

std::string render_markdown(const Report& report, const MarkdownOptions& options) {
    return MarkdownWriter(report, options).write();
}

}  // namespace ksail_benchstat
