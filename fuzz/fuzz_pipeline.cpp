// Fuzz target: the whole pipeline on two inputs (split at the first NUL byte; without one, the
// same text is both baseline and contender) → compare → gate → every renderer. Only InputError
// and UsageError may escape; the JSON report must be valid JSON without NaN or Inf.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/render.hpp"

namespace {

void check_finite(const std::optional<double>& v, const char* what) {
    if (v && !std::isfinite(*v)) ksail_benchstat::fuzz::fail(what);
}

// Every number the report will show is finite and every p-value a probability: the JSON
// renderer would turn a NaN into null, so the model is checked directly.
void check_report(const ksail_benchstat::Report& report) {
    using ksail_benchstat::fuzz::fail;
    for (const auto& table : report.tables) {
        for (const auto& row : table.rows) {
            for (const auto& cell : row.cells) {
                if (!cell) continue;
                if (!std::isfinite(cell->summary.center)) fail("a non-finite median");
                check_finite(cell->summary.lo, "a non-finite interval bound");
                check_finite(cell->summary.hi, "a non-finite interval bound");
            }
            for (std::size_t in = 0; in < row.cells.size(); ++in) {
                const ksail_benchstat::Comparison* c = row.comparisons[in];
                if (!c) continue;
                if (!(c->test.p >= 0 && c->test.p <= 1)) fail("a p-value outside [0, 1]");
                check_finite(c->delta_pct, "a non-finite delta");
                check_finite(c->change.estimate_pct, "a non-finite change estimate");
                check_finite(c->change.low_pct, "a non-finite change bound");
                check_finite(c->change.high_pct, "a non-finite change bound");
            }
        }
        for (const auto& summary : table.summaries) {
            check_finite(summary.geomean, "a non-finite geomean");
            check_finite(summary.ratio, "a non-finite geomean ratio");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ksail_benchstat;
    std::string_view all = fuzz::as_text(data, size);
    auto nul = all.find('\0');
    std::string_view old_text = nul == std::string_view::npos ? all : all.substr(0, nul);
    std::string_view new_text = nul == std::string_view::npos ? all : all.substr(nul + 1);
    try {
        std::vector<InputFile> inputs(2);
        inputs[0].label = inputs[0].path = "old";
        inputs[1].label = inputs[1].path = "new";
        inputs[0].parsed = parse_input(old_text, "old");
        inputs[1].parsed = parse_input(new_text, "new");
        fuzz::check_parsed(inputs[0].parsed);
        fuzz::check_parsed(inputs[1].parsed);
        Report report = compare(std::move(inputs), CompareOptions{});
        GateOptions gate;
        gate.enabled = true;
        apply_gate(report, gate);
        check_report(report);
        std::string json = render_json(report);
        // JSON has no NaN or Inf literal, so a report that let one through does not parse.
        if (!nlohmann::json::accept(json)) fuzz::fail("render_json wrote invalid JSON");
        (void)render_text(report);
        (void)render_markdown(report);
        (void)render_csv(report);
    } catch (const InputError&) {
    } catch (const UsageError&) {
    }
    return 0;
}
