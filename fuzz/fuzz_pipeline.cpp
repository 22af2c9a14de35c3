// Fuzz target: the whole pipeline on two inputs (split at the first NUL byte; without one, the
// same text is both baseline and contender) → compare → gate → every renderer. Only InputError
// and UsageError may escape; the JSON report must be valid JSON without NaN or Inf.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/render.hpp"

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
