// JSON renderer: the versioned machine-readable report (schema in docs/output-formats.md).
#include <cmath>

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

    Json rows = Json::array();
    const std::size_t n_inputs = report.inputs.size();
    for (const auto& table : report.tables) {
        std::string_view pkg = config_value(table.config, "pkg");
        Json config = Json::object();
        for (const auto& [k, v] : table.config) {
            if (!v.empty()) config[k] = v;
        }
        for (const auto& row : table.rows) {
            Json r;
            r["benchmark"] = row.name;
            r["package"] = pkg.empty() ? Json(nullptr) : Json(std::string(pkg));
            r["unit"] = table.unit;
            r["better"] = table.better == Better::lower ? "lower" : "higher";
            r["config"] = config;
            Json summaries = Json::array();
            for (std::size_t in = 0; in < n_inputs; ++in) {
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
            for (std::size_t in = 1; in < n_inputs; ++in) {
                Json c;
                c["input"] = in;
                c["baseline"] = 0;
                const bool has_base = row.cells[0].has_value();
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
    doc["gate"] = {{"enabled", false}, {"passed", true}, {"failures", Json::array()}};
    doc["warnings"] = report.warnings;
    return doc.dump(2) + "\n";
}

}  // namespace ksail_benchstat
