// JSON renderer: the versioned machine-readable report (schema in docs/output-formats.md).
#include <cmath>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

}  // namespace

std::string render_json(const Report& report) {
    Json doc;
    doc["schema_version"] = 1;
    doc["tool"] = "ksail-benchstat";
    doc["version"] = KSAIL_BENCHSTAT_VERSION;
    doc["alpha"] = report.options.alpha;
    doc["confidence"] = report.options.confidence;
    Json inputs = Json::array();
    for (const auto& in : report.inputs) {
        inputs.push_back({{"label", in.label}, {"path", in.path}, {"format", std::string(format_name(in.parsed.format))}});
    }
    doc["inputs"] = std::move(inputs);
    // With --col, cells are indexed by projected columns rather than inputs: list them.
    if (!report.columns_are_inputs) {
        Json columns = Json::array();
        for (const auto& column : report.columns) columns.push_back({{"label", column.label}, {"values", column.values}});
        doc["column_keys"] = report.column_keys;
        doc["columns"] = std::move(columns);
    }

    // Gate status per (table, row, input), for the rows' comparisons.
    std::map<std::tuple<std::size_t, std::size_t, std::size_t>, GateStatus> status_of;
    for (const auto& f : report.gate.findings) {
        if (f.status != GateStatus::goal_met && f.status != GateStatus::goal_unmet) {
            status_of[{f.table, f.row, f.input}] = f.status;
        }
    }
    Json rows = Json::array();
    const std::size_t n_columns = report.columns.size();
    for (std::size_t ti = 0; ti < report.tables.size(); ++ti) {
        const Table& table = report.tables[ti];
        std::string_view pkg = config_value(table.config, "pkg");
        Json config = Json::object();
        for (const auto& [k, v] : table.config) {
            if (!v.empty()) config[k] = v;
        }
        const std::size_t base = baseline_column(report, table);
        for (std::size_t ri = 0; ri < table.rows.size(); ++ri) {
            const Row& row = table.rows[ri];
            Json r;
            r["benchmark"] = row.name;
            r["package"] = pkg.empty() ? Json(nullptr) : Json(std::string(pkg));
            r["unit"] = table.unit;
            r["better"] = table.better == Better::lower ? "lower" : "higher";
            r["config"] = config;
            Json summaries = Json::array();
            for (std::size_t in = 0; in < n_columns; ++in) {
                if (!row.cells[in]) continue;
                const Cell& c = *row.cells[in];
                summaries.push_back({{"input", in},
                                     {"n", c.summary.n},
                                     {"center", c.summary.center},
                                     {"ci_low", number_or_null(c.summary.lo)},
                                     {"ci_high", number_or_null(c.summary.hi)},
                                     {"warnings", c.warnings}});
            }
            r["summaries"] = std::move(summaries);
            Json comparisons = Json::array();
            for (std::size_t in = base + 1; in < n_columns; ++in) {
                Json c;
                c["input"] = in;
                c["baseline"] = base;
                const bool has_base = row.cells[base].has_value();
                const bool has_new = row.cells[in].has_value();
                if (has_base && has_new && row.comparisons[in]) {
                    const Comparison& cmp = *row.comparisons[in];
                    c["delta_pct"] = number_or_null(cmp.delta_pct);
                    c["p_value"] = cmp.test.p;
                    c["significant"] = cmp.significant;
                    c["verdict"] = std::string(verdict_name(cmp.verdict));
                    c["change_pct"] = number_or_null(cmp.change.estimate_pct);
                    c["change_low_pct"] = number_or_null(cmp.change.low_pct);
                    c["change_high_pct"] = number_or_null(cmp.change.high_pct);
                    c["change_exact"] = cmp.change.exact;
                    c["delta_text"] = cmp.delta_text;
                    c["test_text"] = cmp.test_text;
                    c["warnings"] = cmp.warnings;
                    auto st = status_of.find({ti, ri, in});
                    c["gate"] = st == status_of.end() ? Json(nullptr) : Json(std::string(gate_status_name(st->second)));
                } else if (!has_base && !has_new) {
                    continue;
                } else {
                    c["delta_pct"] = nullptr;
                    c["p_value"] = nullptr;
                    c["significant"] = false;
                    c["verdict"] = has_new ? "added" : "removed";
                    c["change_pct"] = nullptr;
                    c["change_low_pct"] = nullptr;
                    c["change_high_pct"] = nullptr;
                }
                comparisons.push_back(std::move(c));
            }
            r["comparisons"] = std::move(comparisons);
            rows.push_back(std::move(r));
        }
    }
    doc["rows"] = std::move(rows);
    const GateResult& gate = report.gate;
    Json failures = Json::array();
    Json findings = Json::array();
    for (const auto& f : gate.findings) {
        Json item = {{"benchmark", f.benchmark},
                     {"package", f.package.empty() ? Json(nullptr) : Json(f.package)},
                     {"unit", f.unit},
                     {"input", f.input},
                     {"status", std::string(gate_status_name(f.status))},
                     {"reason", f.reason}};
        if (f.samples_needed > 0) item["samples_needed"] = f.samples_needed;
        if (f.status == GateStatus::failed || f.status == GateStatus::goal_unmet) {
            failures.push_back({{"benchmark", f.benchmark}, {"unit", f.unit}, {"reason", f.reason}});
        }
        findings.push_back(std::move(item));
    }
    doc["gate"] = {{"enabled", gate.enabled},
                   {"passed", gate.passed},
                   {"rule", gate.rule_text},
                   {"failures", std::move(failures)},
                   {"findings", std::move(findings)},
                   {"notes", gate.notes}};
    doc["warnings"] = report.warnings;
    return doc.dump(2) + "\n";
}

}  // namespace ksail_benchstat
