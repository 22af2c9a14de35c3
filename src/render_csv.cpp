// CSV renderer: one RFC 4180 row per (benchmark, unit, input), raw numbers in base units.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "ksail_benchstat/number_text.hpp"
#include "ksail_benchstat/render.hpp"
#include "ordered_chunks.hpp"

namespace ksail_benchstat {
namespace {

constexpr const char* k_header =
    "package,benchmark,unit,better,input,label,n,center,ci_low,ci_high,baseline_input,delta_pct,p_value,"
    "significant,verdict,change_pct,change_low_pct,change_high_pct,gate,gate_reason,config,"
    "equivalence,mde_pct,samples_needed";

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
void append_field(std::string& out, std::string_view value) {
    const auto special = [](char ch) { return ch == ',' || ch == '"' || ch == '\r' || ch == '\n'; };
    if (std::none_of(value.begin(), value.end(), special)) {
        out += value;
        return;
    }
    out += '"';
    for (char ch : value) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
}

std::string csv_field(std::string_view value) {
    std::string out;
    append_field(out, value);
    return out;
}

// The shortest text that reads back to the same double, in the layout of fmt's "{}"; non-finite
// values have no CSV spelling that spreadsheets agree on, so they are left empty.
void append_number(std::string& out, std::optional<double> value) {
    if (!value || !std::isfinite(*value)) return;
    char buffer[k_number_text_room];
    out.append(buffer, write_number_text(*value, buffer));
}

void append_count(std::string& out, std::size_t n) {
    char buffer[24];
    out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, n).ptr);
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

// The fields every line of a table shares, quoted once per table.
struct TableFields {
    std::string package;       // package field and its comma
    std::string unit_better;   // ",unit,better,"
    std::string config;        // config field
};

}  // namespace

std::string render_csv(const Report& report) {
    std::string out;
    StringSink sink(out);
    render_csv(report, sink);
    return out;
}

void render_csv(const Report& report, TextSink& sink) {
    // Gate findings by (table, row, input); a row may carry several (say, a goal and a threshold
    // finding), which are joined in GateStatus order so the output does not depend on gate internals.
    std::map<FindingKey, std::vector<const GateFinding*>> findings;
    for (const auto& f : report.gate.findings) findings[{f.table, f.row, f.input}].push_back(&f);
    for (auto& [key, list] : findings) {
        std::stable_sort(list.begin(), list.end(),
                         [](const GateFinding* a, const GateFinding* b) { return a->status < b->status; });
    }

    // By default a column is an input; with --col, `input` and `label` describe projected columns.
    const std::size_t n_columns = report.columns.size();
    std::vector<std::string> labels;  // ",input,label,"
    for (std::size_t in = 0; in < n_columns; ++in) {
        labels.push_back("," + std::to_string(in) + "," + csv_field(report.columns[in].label) + ",");
    }
    std::vector<TableFields> shared;
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        const Table& table = report.tables[t];
        const char* better = table.better == Better::lower ? "lower" : "higher";
        shared.push_back({csv_field(config_value(table.config, "pkg")) + ",",
                          "," + csv_field(table.unit) + "," + better,
                          csv_field(config_text(table.config))});
        for (std::size_t r = 0; r < table.rows.size(); ++r) rows.emplace_back(t, r);
    }

    // One line per (row, column) that has something to say.
    const auto write_row = [&](std::string& out, std::size_t t, std::size_t r) {
        const Table& table = report.tables[t];
        const TableFields& fields = shared[t];
        const Row& row = table.rows[r];
        const std::size_t base = baseline_column(report, table);
        const bool has_base = n_columns > base && row.cells[base].has_value();
        for (std::size_t in = base; in < n_columns; ++in) {
            const bool has_cell = row.cells[in].has_value();
            // A baseline-only row still gets a line for each later input, saying "removed".
            if (!has_cell && !(in > base && has_base)) continue;
            out += fields.package;
            append_field(out, row.name);
            out += fields.unit_better;
            out += labels[in];
            if (has_cell) {
                const Summary& s = row.cells[in]->summary;
                append_count(out, s.n);
                out += ',';
                append_number(out, s.center);
                out += ',';
                append_number(out, s.lo);
                out += ',';
                append_number(out, s.hi);
            } else {
                out += ",,,";
            }
            if (in == base) {
                out += ",,,,,,,,,,";
            } else {
                out += ',';
                append_count(out, base);
                out += ',';
                const Comparison* cmp = has_base && has_cell && row.comparisons[in] ? &*row.comparisons[in] : nullptr;
                if (cmp != nullptr) {
                    append_number(out, cmp->delta_pct);
                    out += ',';
                    append_number(out, cmp->test.p);
                    out += cmp->significant ? ",true," : ",false,";
                    out += verdict_name(cmp->verdict);
                    out += ',';
                    append_number(out, cmp->change.estimate_pct);
                    out += ',';
                    append_number(out, cmp->change.low_pct);
                    out += ',';
                    append_number(out, cmp->change.high_pct);
                } else {
                    out += has_cell ? ",,false,added,,," : ",,false,removed,,,";
                }
                out += ',';
                // The gate's statuses, then their reasons (one field, quoted as needed).
                std::string reason;
                if (auto it = findings.find({t, r, in}); it != findings.end()) {
                    bool first = true;
                    for (const GateFinding* finding : it->second) {
                        if (!first) out += ';';
                        first = false;
                        out += gate_status_name(finding->status);
                        if (!finding->reason.empty()) {
                            if (!reason.empty()) reason += "; ";
                            reason += finding->reason;
                        }
                    }
                }
                out += ',';
                append_field(out, reason);
            }
            out += ',';
            out += fields.config;
            const Comparison* compared =
                in > 0 && has_base && has_cell && row.comparisons[in] ? &*row.comparisons[in] : nullptr;
            if (compared != nullptr) {
                out += ',';
                out += equivalence_name(compared->equivalence);
                out += ',';
                append_number(out, compared->detect.mde_pct);
                out += ',';
                if (compared->detect.samples_needed > 0) append_count(out, compared->detect.samples_needed);
            } else {
                out += ",,,";
            }
            out += '\n';
        }
    };

    sink.write(std::string(k_header) + '\n');
    // Rows are independent: chunks of rows are written on several cores (see ordered_chunks.hpp).
    constexpr std::size_t k_chunk = 256;  // about 100 KB of text: the thread's buffer stays in cache
    write_chunks_in_order(sink, (rows.size() + k_chunk - 1) / k_chunk, 0, [&](std::size_t chunk, std::string& text) {
        for (std::size_t i = chunk * k_chunk; i < std::min(rows.size(), (chunk + 1) * k_chunk); ++i) {
            write_row(text, rows[i].first, rows[i].second);
        }
    });
}

}  // namespace ksail_benchstat
