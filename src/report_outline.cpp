// Report outline: the classification and headline shared by the markdown and HTML renderers.
#include "ksail_benchstat/report_outline.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "ksail_benchstat/flat_index.hpp"
#include "ksail_benchstat/format_cells.hpp"
#include "ksail_benchstat/parallel.hpp"

namespace ksail_benchstat {
namespace {

// The shortest path suffix of each Go package that no other package in the report shares:
// usually the last element ("diff"), longer only when two packages end alike.
std::map<std::string, std::string, std::less<>> short_packages(const std::set<std::string>& packages) {
    // Each package's path elements, in the set's order.
    std::vector<std::vector<std::string>> parts;
    parts.reserve(packages.size());
    std::size_t deepest = 0;
    for (const auto& pkg : packages) {
        std::vector<std::string> elems;
        std::size_t start = 0;
        while (true) {
            std::size_t slash = pkg.find('/', start);
            elems.push_back(pkg.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        deepest = std::max(deepest, elems.size());
        parts.push_back(std::move(elems));
    }
    auto suffix = [](const std::vector<std::string>& elems, std::size_t depth) {
        std::string out;
        for (std::size_t i = elems.size() - std::min(depth, elems.size()); i < elems.size(); ++i) {
            if (!out.empty()) out += '/';
            out += elems[i];
        }
        return out;
    };
    // Depth by depth, every package's suffix of that many elements (all of it when it has fewer)
    // is counted: a package whose suffix no other package shares takes it, as does one whose whole
    // path it is. Counting rather than comparing each package with every other keeps thousands of
    // packages (a monorepo's) from taking time that grows with their square.
    std::map<std::string, std::string, std::less<>> result;
    std::vector<std::string> candidates(parts.size());
    std::vector<bool> done(parts.size(), false);
    std::size_t left = parts.size();
    for (std::size_t depth = 1; left > 0 && depth <= deepest; ++depth) {
        std::unordered_map<std::string_view, std::size_t> sharing;
        for (std::size_t i = 0; i < parts.size(); ++i) candidates[i] = suffix(parts[i], depth);
        for (const auto& candidate : candidates) ++sharing[candidate];
        std::size_t i = 0;
        for (auto pkg = packages.begin(); pkg != packages.end(); ++pkg, ++i) {
            if (done[i] || (sharing[candidates[i]] != 1 && depth != parts[i].size())) continue;
            result.emplace(*pkg, candidates[i]);
            done[i] = true;
            --left;
        }
    }
    return result;
}

}  // namespace

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

SectionInfo section_info(Bucket bucket, bool gate_enabled) {
    switch (bucket) {
    case Bucket::failing: return {"❌ Failing regressions", false, true, ""};
    case Bucket::regressed: return {gate_enabled ? "🔴 Regressions, not gating" : "🔴 Regressions", false, true, ""};
    case Bucket::possible:
        return {"⚠️ Possible regressions", false, false,
                "The estimate is beyond the threshold but the interval reaches inside it: run more samples "
                "(e.g. a higher `-count`) to settle these."};
    case Bucket::improved: return {"🟢 Improvements", false, false, ""};
    case Bucket::changed:
        return {"↕️ Changed, direction unknown", false, false,
                "Significant changes of units whose better direction the inputs do not state: neither "
                "regressions nor improvements, and not gated. Say which way is better with `--higher-is-better` "
                "or `--lower-is-better`."};
    case Bucket::below: return {"🟡 Significant but below threshold", true, false, ""};
    case Bucket::unstable:
        return {"🌀 Unstable", true, false, "Integer metrics flipping between adjacent values; not a change of the code."};
    case Bucket::inconclusive:
        return {"❔ Inconclusive", true, false, "Neither a significant change nor within ±5%: these samples cannot tell."};
    case Bucket::equivalent: return {"⚪ Equivalent within ±5%", true, false, ""};
    }
    return {};
}

// A part's items are kept as one byte each until they join the lists: a large report has hundreds
// of thousands, and a copy of them all would be megabytes more of memory touched for the first time.
struct ReportOutline::Part {
    static constexpr std::uint8_t k_no_item = 0xFF;
    static constexpr std::uint8_t k_placed = 0x80;  // added to a code when a finding placed the item
    // By (row, input after the baseline), in report order: the list of its item (k_added_list, say),
    // or k_no_item.
    std::vector<std::uint8_t> codes;
    std::vector<const GateFinding*> findings;  // those that placed items, in the items' order
    std::array<std::size_t, k_list_count> list_sizes{};
    std::size_t min_n = static_cast<std::size_t>(-1);
    std::size_t max_n = 0;
};

std::pair<std::size_t, std::size_t> ReportOutline::row_at(std::size_t at) const {
    // The last table starting at or before the row: one with rows, as empty ones start where the next does.
    const auto after = std::upper_bound(m_first_row.begin(), m_first_row.end(), at);
    const std::size_t t = static_cast<std::size_t>(after - m_first_row.begin()) - 1;
    return {t, at - m_first_row[t]};
}

template <class Visit>
void ReportOutline::for_rows(std::size_t begin, std::size_t end, const Visit& visit) const {
    if (begin >= end) return;
    auto [t, r] = row_at(begin);
    std::size_t base = baseline_column(m_report, m_report.tables[t]);
    for (std::size_t at = begin; at < end; ++at, ++r) {
        while (r == m_report.tables[t].rows.size()) {
            ++t;
            r = 0;
            base = baseline_column(m_report, m_report.tables[t]);
        }
        visit(t, r, base);
    }
}

ReportOutline::ReportOutline(const Report& report, const std::function<void()>& beside) : m_report(report) {
    for (const auto& f : m_report.gate.findings) m_findings.push_back(&f);
    // Sorted by (table, row, input), in report order among equals: the items, visited in that
    // order, walk the findings once.
    std::stable_sort(m_findings.begin(), m_findings.end(), [](const GateFinding* a, const GateFinding* b) {
        return std::tie(a->table, a->row, a->input) < std::tie(b->table, b->row, b->input);
    });

    std::set<std::string> packages;
    for (const auto& table : m_report.tables) {
        std::string_view pkg = config_value(table.config, "pkg");
        if (!pkg.empty()) packages.emplace(pkg);
    }
    m_has_packages = !packages.empty();
    m_short_package = short_packages(packages);

    std::size_t rows = 0;
    for (const Table& table : m_report.tables) {
        m_first_row.push_back(rows);
        rows += table.rows.size();
    }
    m_benchmark_of.resize(rows);

    // Numbering the benchmarks is one walk over the rows (each number depends on the rows before
    // it), but the rows are classified in parts that need nothing of each other. On a large report
    // the two cores share that work and `beside`: the two long walks first, then the parts, taken
    // by whichever core is free, so that both finish together.
    constexpr std::size_t k_part_rows = 8192;
    constexpr std::size_t k_parallel_rows = 4096;  // below this, a thread costs more than it saves
    const std::size_t n_parts = (rows + k_part_rows - 1) / k_part_rows;
    const auto part_end = [&](std::size_t part) { return std::min(rows, (part + 1) * k_part_rows); };
    const std::size_t first_part = beside ? 2 : 1;
    const std::size_t tasks = first_part + n_parts;
    std::vector<Part> parts(n_parts);
    std::vector<std::exception_ptr> errors(tasks);
    parallel_for(tasks, rows >= k_parallel_rows ? 1 : tasks + 1, 1, [&](std::size_t task) {
        try {
            if (task >= first_part) {
                const std::size_t part = task - first_part;
                parts[part] = classify(part * k_part_rows, part_end(part));
            } else if (task + 1 == first_part) {
                number_benchmarks();
            } else {
                beside();
            }
        } catch (...) {
            errors[task] = std::current_exception();
        }
    });
    for (const auto& error : errors) {
        if (error) std::rethrow_exception(error);
    }

    // The parts join the lists in report order, each list taking its exact size first rather
    // than growing by doubling (a large report's lists hold hundreds of thousands of items).
    const std::size_t n_inputs = m_report.columns.size();
    std::array<std::size_t, k_list_count> list_sizes{};
    for (const Part& part : parts) {
        for (std::size_t list = 0; list < k_list_count; ++list) list_sizes[list] += part.list_sizes[list];
        m_min_n = std::min(m_min_n, part.min_n);
        m_max_n = std::max(m_max_n, part.max_n);
    }
    const auto list_at = [&](std::size_t list) -> std::vector<OutlineItem>& {
        return list == k_added_list ? m_added : list == k_removed_list ? m_removed : m_buckets[list];
    };
    for (std::size_t list = 0; list < k_list_count; ++list) list_at(list).reserve(list_sizes[list]);
    for (std::size_t p = 0; p < n_parts; ++p) {
        const Part& part = parts[p];
        std::size_t code = 0;
        std::size_t finding = 0;
        for_rows(p * k_part_rows, part_end(p), [&](std::size_t t, std::size_t r, std::size_t base) {
            for (std::size_t in = base + 1; in < n_inputs; ++in) {
                const std::uint8_t c = part.codes[code++];
                if (c == Part::k_no_item) continue;
                const GateFinding* placed = (c & Part::k_placed) != 0 ? part.findings[finding++] : nullptr;
                list_at(static_cast<std::size_t>(c & ~Part::k_placed)).push_back({t, r, in, placed});
            }
        });
    }
    for (const auto& f : m_report.gate.findings) {
        if (f.status == GateStatus::goal_met || f.status == GateStatus::goal_unmet) m_goals.push_back(&f);
    }
}

ReportOutline::Part ReportOutline::classify(std::size_t begin, std::size_t end) const {
    // The list of every item (each input after the baseline that it or the baseline has a cell of).
    Part part;
    const std::size_t n_inputs = m_report.columns.size();
    // Each row has one code when two inputs are compared.
    part.codes.reserve(end - begin);
    // The findings of rows before this part are passed over at once rather than one by one.
    const auto [first_table, first_row] = row_at(begin);
    const Key first{first_table, first_row, 0};
    const auto findings = std::partition_point(m_findings.begin(), m_findings.end(), [&](const GateFinding* f) {
        return Key{f->table, f->row, f->input} < first;
    });
    std::size_t next_finding = static_cast<std::size_t>(findings - m_findings.begin());
    for_rows(begin, end, [&](std::size_t t, std::size_t r, std::size_t base) {
        const Row& row = m_report.tables[t].rows[r];
        for (const auto& cell : row.cells) {
            if (!cell) continue;
            part.min_n = std::min(part.min_n, std::size_t{cell->summary.n});
            part.max_n = std::max(part.max_n, std::size_t{cell->summary.n});
        }
        for (std::size_t in = base + 1; in < n_inputs; ++in) {
            const bool has_base = row.cells[base].has_value();
            const bool has_new = row.cells[in].has_value();
            OutlineItem item{t, r, in, nullptr};
            std::size_t list = has_base ? k_removed_list : k_added_list;
            if (has_base && has_new) {
                const Comparison* cmp = row.comparisons[in];
                if (cmp == nullptr) {
                    part.codes.push_back(Part::k_no_item);
                    continue;
                }
                item.finding = placing_finding(next_finding, {t, r, in});
                list = static_cast<std::size_t>(bucket_of(item, *cmp));
            } else if (!has_base && !has_new) {
                part.codes.push_back(Part::k_no_item);
                continue;
            }
            ++part.list_sizes[list];
            if (item.finding != nullptr) {
                part.findings.push_back(item.finding);
                list |= Part::k_placed;
            }
            part.codes.push_back(static_cast<std::uint8_t>(list));
        }
    });
    return part;
}

const std::vector<OutlineItem>& ReportOutline::bucket(Bucket b) const {
    return m_buckets[static_cast<std::size_t>(b)];
}

std::string ReportOutline::package_of(std::size_t table) const {
    const std::string_view package = config_value(m_report.tables[table].config, "pkg");
    auto it = m_short_package.find(package);
    return it == m_short_package.end() ? std::string(package) : it->second;
}

std::string ReportOutline::short_package(const std::string& package) const {
    auto it = m_short_package.find(package);
    return it == m_short_package.end() ? package : it->second;
}

// The finding that decides where an item goes: the most severe non-goal status.
const GateFinding* ReportOutline::placing_finding(std::size_t& next, const Key& key) const {
    const auto key_of = [](const GateFinding* f) { return Key{f->table, f->row, f->input}; };
    while (next < m_findings.size() && key_of(m_findings[next]) < key) ++next;
    const GateFinding* best = nullptr;
    for (std::size_t i = next; i < m_findings.size() && key_of(m_findings[i]) == key; ++i) {
        const GateFinding* f = m_findings[i];
        if (f->status == GateStatus::goal_met || f->status == GateStatus::goal_unmet) continue;
        if (best == nullptr || f->status < best->status) best = f;
    }
    return best;
}

Bucket ReportOutline::bucket_of(const OutlineItem& item, const Comparison& cmp) const {
    if (item.finding != nullptr) {
        switch (item.finding->status) {
        case GateStatus::failed: return m_report.gate.enabled ? Bucket::failing : Bucket::regressed;
        case GateStatus::possible_regression: return Bucket::possible;
        case GateStatus::below_threshold: return Bucket::below;
        case GateStatus::unstable: return Bucket::unstable;
        default: break;  // not gated: listed by its verdict
        }
    }
    const bool changed = cmp.verdict == Verdict::regressed || cmp.verdict == Verdict::improved;
    if (changed && m_report.tables[item.table].better_unknown) return Bucket::changed;
    if (cmp.verdict == Verdict::regressed) return Bucket::regressed;
    if (cmp.verdict == Verdict::improved) return Bucket::improved;
    return cmp.equivalence == Equivalence::equivalent ? Bucket::equivalent : Bucket::inconclusive;
}

namespace {

// Where a benchmark is first seen, which gives its package and full name: a large report has about
// a hundred thousand, and this is a quarter of the memory that views of the two strings would take.
struct FirstSeen {
    std::uint32_t table;
    std::uint32_t row;
};

}  // namespace

void ReportOutline::number_benchmarks() {
    const auto& tables = m_report.tables;
    std::vector<FirstSeen> first_seen;                      // by number
    std::vector<std::string_view> packages(tables.size());  // by table
    FlatIndex numbers;                                      // a benchmark's number, found by hashing its key
    // A package's tables (one per unit, say) usually list the same benchmarks in the same order,
    // sharing their names: a row whose name is that of the same row in the package's previous
    // table takes its number without hashing the name.
    std::unordered_map<std::string_view, std::size_t> previous_table;  // by package
    for (std::size_t t = 0; t < tables.size(); ++t) {
        const Table& table = tables[t];
        const std::string_view package = packages[t] = config_value(table.config, "pkg");
        const std::size_t package_hash = std::hash<std::string_view>()(package);
        const auto [last, first_of_package] = previous_table.try_emplace(package, t);
        const Table* previous = first_of_package ? nullptr : &tables[last->second];
        const std::size_t previous_first = first_of_package ? 0 : m_first_row[last->second];
        last->second = t;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const SharedText& name = table.rows[r].name;
            std::uint32_t& number = m_benchmark_of[m_first_row[t] + r];
            if (previous != nullptr && r < previous->rows.size() && previous->rows[r].name == name) {
                number = m_benchmark_of[previous_first + r];
                continue;
            }
            const std::size_t name_hash = std::hash<std::string_view>()(name.view());
            const std::size_t hash = name_hash ^ (package_hash * 31 + (name_hash << 6) + (name_hash >> 2));
            const auto same = [&](std::uint32_t at) {
                const FirstSeen& seen = first_seen[at];
                return packages[seen.table] == package && tables[seen.table].rows[seen.row].name == name;
            };
            const auto found = numbers.find_or_insert(hash, same, first_seen.size());
            if (found.inserted) first_seen.push_back({static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(r)});
            number = found.position;
        }
    }
    m_benchmarks = first_seen.size();
}

std::size_t ReportOutline::count_benchmarks(const std::vector<OutlineItem>& items) const {
    const std::vector<OutlineItem>* const lists[] = {&items};
    return count_benchmarks(lists);
}

std::size_t ReportOutline::count_benchmarks(std::span<const std::vector<OutlineItem>* const> lists) const {
    // A benchmark of one input is a number below m_benchmarks * inputs, marked when first seen.
    const std::size_t inputs = std::max<std::size_t>(1, m_report.columns.size());
    std::vector<bool> seen(m_benchmarks * inputs);
    std::size_t count = 0;
    for (const auto* list : lists) {
        for (const auto& item : *list) {
            const std::size_t key = m_benchmark_of[m_first_row[item.table] + item.row] * inputs + item.input;
            if (seen[key]) continue;
            seen[key] = true;
            ++count;
        }
    }
    return count;
}

SectionInfo ReportOutline::section(Bucket b) const {
    SectionInfo info = section_info(b, m_report.gate.enabled);
    const double pct = m_report.options.equivalence_pct;
    if (b == Bucket::equivalent) {
        info.title = fmt::format("⚪ Equivalent within ±{:g}%", pct);
    } else if (b == Bucket::inconclusive) {
        info.intro = fmt::format("Neither a significant change nor within ±{:g}%: these samples cannot tell.", pct);
        if (inconclusive_fails()) {
            // They fail the gate: shown open, next to the other failures.
            info.collapsed = false;
            info.intro += " They fail the gate (`--fail-on-inconclusive`).";
        }
    }
    return info;
}

bool ReportOutline::inconclusive_fails() const {
    return std::any_of(m_report.gate.findings.begin(), m_report.gate.findings.end(),
                       [](const GateFinding& f) { return f.status == GateStatus::inconclusive; });
}

Headline ReportOutline::headline() const {
    const auto& gate = m_report.gate;
    std::vector<const std::vector<OutlineItem>*> compared;
    for (const auto& items : m_buckets) compared.push_back(&items);
    const std::size_t n_compared = count_benchmarks(compared);
    const std::size_t n_failing = count_benchmarks(bucket(Bucket::failing));
    const std::size_t n_regressed = count_benchmarks(bucket(Bucket::regressed));
    std::size_t n_unmet = 0;
    for (const GateFinding* g : m_goals) n_unmet += g->status == GateStatus::goal_unmet ? 1 : 0;
    const std::size_t n_inconclusive = count_benchmarks(bucket(Bucket::inconclusive));
    std::vector<OutlineItem> failing_inconclusive;
    for (const auto& item : bucket(Bucket::inconclusive)) {
        if (item.finding != nullptr && item.finding->status == GateStatus::inconclusive) {
            failing_inconclusive.push_back(item);
        }
    }
    const std::size_t n_failing_inconclusive = count_benchmarks(failing_inconclusive);

    Headline h;
    auto add = [&](std::string icon, std::string emphasis, std::string remark = {}) {
        h.verdicts.push_back({std::move(icon), std::move(emphasis), std::move(remark)});
    };
    // A gate that failed (a goal no benchmark matched) is the verdict even when nothing was compared.
    const bool gate_failed = gate.enabled && !gate.passed;
    if (m_report.columns.size() < 2 && !gate_failed) {
        add("ℹ️", "nothing to compare", " (only one input)");
    } else if (n_compared == 0 && !gate_failed) {
        add("ℹ️", "nothing to compare", " (no benchmark appears in both inputs)");
    } else if (gate.enabled) {
        if (n_failing > 0) add("❌", plural(n_failing, "benchmark", "benchmarks") + " regressed");
        if (n_unmet > 0) add("❌", plural(n_unmet, "goal", "goals") + " not met");
        if (n_failing_inconclusive > 0) {
            add("❌", plural(n_failing_inconclusive, "benchmark", "benchmarks") + " inconclusive");
        }
        if (h.verdicts.empty() && !gate.passed) add("❌", "gate failed");
        if (h.verdicts.empty()) add("✅", n_regressed == 0 ? "no significant regression" : "gate passed");
        h.bad = !gate.passed;
    } else {
        const std::size_t n = n_failing + n_regressed;
        if (n > 0) {
            add("❌", plural(n, "benchmark", "benchmarks") + " regressed");
        } else {
            add("✅", "no significant regression");
        }
        h.bad = n > 0;
    }
    if (gate.enabled) h.gate_rule = gate.rule_text;

    if (gate.enabled && n_regressed > 0) h.counts.push_back(fmt::format("🔴 {} regressed, not gating", n_regressed));
    if (std::size_t n = count_benchmarks(bucket(Bucket::possible)); n > 0) h.counts.push_back(fmt::format("⚠️ {} possibly regressed", n));
    if (std::size_t n = count_benchmarks(bucket(Bucket::improved)); n > 0) h.counts.push_back(fmt::format("🟢 {} improved", n));
    if (std::size_t n = count_benchmarks(bucket(Bucket::changed)); n > 0) h.counts.push_back(fmt::format("↕️ {} changed", n));
    if (n_inconclusive > 0 && n_failing_inconclusive == 0) {
        h.counts.push_back(fmt::format("❔ {} inconclusive", n_inconclusive));
    }
    if (std::size_t n = count_benchmarks(m_added); n > 0) h.counts.push_back(fmt::format("➕ {} added", n));
    if (std::size_t n = count_benchmarks(m_removed); n > 0) h.counts.push_back(fmt::format("➖ {} removed", n));
    if (m_report.columns.size() >= 2) h.counts.push_back(fmt::format("{} compared", n_compared));
    if (m_max_n > 0) {
        const char* side = m_report.columns.size() >= 2 ? " per side" : "";
        h.counts.push_back(m_min_n == m_max_n ? fmt::format("n={}{}", m_min_n, side)
                                              : fmt::format("n={}–{}{}", m_min_n, m_max_n, side));
    }
    return h;
}

ComparedCells ReportOutline::compared_cells(const OutlineItem& item, bool with_detect) const {
    const Table& table = m_report.tables[item.table];
    const Row& row = table.rows[item.row];
    std::vector<double> centers;
    for (std::size_t in : table.columns) {
        if (row.cells[in]) centers.push_back(row.cells[in]->summary.center);
    }
    const Scaler scaler = common_scale(centers, table.unit_class);
    auto center = [&](std::size_t in) {
        return row.cells[in] ? format_center(row.cells[in]->summary, scaler) : std::string();
    };
    ComparedCells cells;
    const std::size_t base = baseline_column(m_report, table);
    cells.before = center(base);
    cells.after = center(item.input);
    const Comparison* cmp = row.comparisons[item.input] ? &*row.comparisons[item.input] : nullptr;
    if (cmp == nullptr) return cells;
    cells.delta = cmp->delta_text();
    cells.significant = cmp->significant;
    cells.change = format_change(cmp->change);
    cells.p = cmp->test.p > 0 ? fmt::format("{:.3f}", cmp->test.p) : "—";
    if (with_detect && row.cells[base] && row.cells[item.input]) {
        // A projected column is no input; its format is the first input's (formats rarely mix).
        std::size_t input = item.input;
        if (item.input < m_report.columns.size() && !m_report.columns[item.input].input) input = 0;
        const InputFormat format =
            input < m_report.inputs.size() ? m_report.inputs[input].parsed.format : InputFormat::go_text;
        cells.detect = detectability_text(*cmp, row.cells[base]->size(), row.cells[item.input]->size(),
                                          m_report.options.equivalence_pct, count_flag(format));
    }
    // The headline gives the usual sample size; rows that deviate from it say so.
    if (m_min_n != m_max_n && row.cells[base] && row.cells[item.input]) {
        const std::size_t n1 = row.cells[base]->summary.n;
        const std::size_t n2 = row.cells[item.input]->summary.n;
        if (n1 != n2) {
            cells.p += fmt::format(" (n={}+{})", n1, n2);
        } else if (n1 != m_max_n) {
            cells.p += fmt::format(" (n={})", n1);
        }
    }
    return cells;
}

std::string ReportOutline::presence_center(const OutlineItem& item, bool added) const {
    const Table& table = m_report.tables[item.table];
    const Summary& s = table.rows[item.row].cells[added ? item.input : baseline_column(m_report, table)]->summary;
    const double one[] = {s.center};
    return format_center(s, common_scale(one, table.unit_class));
}

std::string ReportOutline::why(const GateFinding* finding) const {
    if (finding == nullptr) return {};
    std::string out = finding->reason;
    if (finding->status == GateStatus::possible_regression && finding->samples_needed > 0) {
        if (!out.empty()) out += "; ";
        out += fmt::format("about {} samples per side would settle it", finding->samples_needed);
    }
    return out;
}

std::string ReportOutline::confidence_pct() const { return fmt::format("{:.3g}", m_report.options.confidence * 100); }

}  // namespace ksail_benchstat
