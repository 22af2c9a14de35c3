// CSV renderer: one RFC 4180 row per (benchmark, unit, input), raw numbers in base units.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

constexpr const char* k_header =
    "package,benchmark,unit,better,input,label,n,center,ci_low,ci_high,baseline_input,delta_pct,p_value,"
    "significant,verdict,change_pct,change_low_pct,change_high_pct,gate,gate_reason,config,"
    "equivalence,mde_pct,samples_needed";

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char ch : value) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

// fmt's "{}" is the shortest text that reads back to the same double; non-finite values have no
// CSV spelling that spreadsheets agree on, so they are left empty.
std::string number(std::optional<double> value) {
    if (!value || !std::isfinite(*value)) return {};
    return fmt::format("{}", *value);
}

// Every configuration key except pkg (which has its own column), as "key=value;key=value".
std::string config_text(const Config& config) {
    std::string out;
    for (const auto& [key, value] : config) {
        if (key == "pkg" || value.empty()) continue;
        if (!out.empty()) out += ';';
        out += key + "=" + value;
    }
    return out;
}

using FindingKey = std::tuple<std::size_t, std::size_t, std::size_t>;

}  // namespace

std::string render_csv(const Report& report) {
    // Gate findings by (table, row, input); a row may carry several (say, a goal and a threshold
    // finding), which are joined in GateStatus order so the output does not depend on gate internals.
    std::map<FindingKey, std::vector<const GateFinding*>> findings;
    for (const auto& f : report.gate.findings) findings[{f.table, f.row, f.input}].push_back(&f);
    for (auto& [key, list] : findings) {
        std::stable_sort(list.begin(), list.end(),
                         [](const GateFinding* a, const GateFinding* b) { return a->status < b->status; });
    }

    std::string out = k_header;
    out += '\n';
    // By default a column is an input; with --col, `input` and `label` describe projected columns.
    const std::size_t n_columns = report.columns.size();
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        const Table& table = report.tables[t];
        const std::string package(config_value(table.config, "pkg"));
        const std::string config = config_text(table.config);
        const char* better = table.better == Better::lower ? "lower" : "higher";
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const Row& row = table.rows[r];
            const std::size_t base = baseline_column(report, table);
            const bool has_base = n_columns > base && row.cells[base].has_value();
            for (std::size_t in = base; in < n_columns; ++in) {
                const bool has_cell = row.cells[in].has_value();
                // A baseline-only row still gets a line for each later input, saying "removed".
                if (!has_cell && !(in > base && has_base)) continue;
                std::vector<std::string> f;
                f.reserve(24);
                f.push_back(csv_field(package));
                f.push_back(csv_field(row.name));
                f.push_back(csv_field(table.unit));
                f.push_back(better);
                f.push_back(std::to_string(in));
                f.push_back(csv_field(report.columns[in].label));
                if (has_cell) {
                    const Summary& s = row.cells[in]->summary;
                    f.push_back(std::to_string(s.n));
                    f.push_back(number(s.center));
                    f.push_back(number(s.lo));
                    f.push_back(number(s.hi));
                } else {
                    f.insert(f.end(), 4, std::string());
                }
                if (in == base) {
                    f.insert(f.end(), 10, std::string());
                } else {
                    f.push_back(std::to_string(base));
                    const Comparison* cmp = has_base && has_cell && row.comparisons[in] ? &*row.comparisons[in] : nullptr;
                    if (cmp != nullptr) {
                        f.push_back(number(cmp->delta_pct));
                        f.push_back(number(cmp->test.p));
                        f.push_back(cmp->significant ? "true" : "false");
                        f.push_back(std::string(verdict_name(cmp->verdict)));
                        f.push_back(number(cmp->change.estimate_pct));
                        f.push_back(number(cmp->change.low_pct));
                        f.push_back(number(cmp->change.high_pct));
                    } else {
                        f.push_back({});
                        f.push_back({});
                        f.push_back("false");
                        f.push_back(has_cell ? "added" : "removed");
                        f.insert(f.end(), 3, std::string());
                    }
                    std::string gate;
                    std::string reason;
                    if (auto it = findings.find({t, r, in}); it != findings.end()) {
                        for (const GateFinding* finding : it->second) {
                            if (!gate.empty()) gate += ';';
                            gate += gate_status_name(finding->status);
                            if (!finding->reason.empty()) {
                                if (!reason.empty()) reason += "; ";
                                reason += finding->reason;
                            }
                        }
                    }
                    f.push_back(gate);
                    f.push_back(csv_field(reason));
                }
                f.push_back(csv_field(config));
                const Comparison* compared =
                    in > 0 && has_base && has_cell && row.comparisons[in] ? &*row.comparisons[in] : nullptr;
                if (compared != nullptr) {
                    f.push_back(std::string(equivalence_name(compared->equivalence)));
                    f.push_back(number(compared->detect.mde_pct));
                    f.push_back(compared->detect.samples_needed > 0 ? std::to_string(compared->detect.samples_needed)
                                                                    : std::string());
                } else {
                    f.insert(f.end(), 3, std::string());
                }
                for (std::size_t i = 0; i < f.size(); ++i) {
                    if (i > 0) out += ',';
                    out += f[i];
                }
                out += '\n';
            }
        }
    }
    return out;
}

}  // namespace ksail_benchstat
