// Format detection by content, and dispatch to the matching parser.
#include "ksail_benchstat/detect.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_gbench_json.hpp"
#include "ksail_benchstat/parse_go_test_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

std::string_view skip_bom_and_space(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    return text.substr(i);
}

// Times, byte counts, allocation counts and their rates cannot be negative; other units (custom
// counters) may be.
bool never_negative(std::string_view unit) {
    for (std::string_view prefix : {"sec/", "cpu-sec/", "B/", "allocs/", "items/"}) {
        if (unit.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
}

// The last line of defence for every format: a value that is not finite after conversion to base
// units (1e308 MB/s overflows) or a negative time or size would make every statistic a lie, so it
// is dropped with a warning, and a series left without samples disappears.
void drop_impossible_values(ParsedInput& parsed, std::string_view file) {
    for (Series& series : parsed.series) {
        std::size_t infinite = 0;
        std::size_t negative = 0;
        auto bad = [&](double v) {
            if (!std::isfinite(v)) return ++infinite, true;
            if (v < 0 && never_negative(series.unit)) return ++negative, true;
            return false;
        };
        series.values.erase(std::remove_if(series.values.begin(), series.values.end(), bad), series.values.end());
        if (infinite > 0) {
            parsed.warnings.push_back({std::string(file), series.line,
                                       fmt::format("{}: {} {} value{} dropped: too large to represent in base units",
                                                   series.name, infinite, series.unit, infinite == 1 ? "" : "s")});
        }
        if (negative > 0) {
            parsed.warnings.push_back({std::string(file), series.line,
                                       fmt::format("{}: {} negative {} value{} dropped: {} cannot be negative",
                                                   series.name, negative, series.unit, negative == 1 ? "" : "s",
                                                   series.unit)});
        }
    }
    parsed.series.erase(std::remove_if(parsed.series.begin(), parsed.series.end(),
                                       [](const Series& s) { return s.values.empty(); }),
                        parsed.series.end());
}

}  // namespace

InputFormat detect_format(std::string_view text) {
    std::string_view body = skip_bom_and_space(text);
    if (body.empty() || body[0] != '{') return InputFormat::go_text;
    // test2json writes one compact object per line, each with an "Action"; Google Benchmark writes
    // one pretty-printed document with "context" and "benchmarks".
    std::string_view first_line = body.substr(0, body.find('\n'));
    if (first_line.find("\"Action\"") != std::string_view::npos) return InputFormat::go_test_json;
    return InputFormat::gbench_json;
}

ParsedInput parse_input(std::string_view text, std::string_view file) {
    if (skip_bom_and_space(text).empty()) throw InputError(located(file, 0, "the input is empty"));
    std::size_t probe = std::min<std::size_t>(text.size(), 4096);
    if (std::find(text.begin(), text.begin() + static_cast<long>(probe), '\0') != text.begin() + static_cast<long>(probe)) {
        throw InputError(located(file, 0, "the input is binary, not benchmark results"));
    }
    std::string_view body = text;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    ParsedInput parsed;
    switch (detect_format(body)) {
    case InputFormat::go_test_json: parsed = parse_go_test_json(body, file); break;
    case InputFormat::gbench_json: parsed = parse_gbench_json(body, file); break;
    case InputFormat::go_text: parsed = parse_go_text(body, file); break;
    }
    drop_impossible_values(parsed, file);
    bool any = std::any_of(parsed.series.begin(), parsed.series.end(), [](const Series& s) { return !s.values.empty(); });
    if (!any) {
        std::string why = "no benchmark results found";
        if (!parsed.warnings.empty()) {
            const auto& w = parsed.warnings.front();
            throw InputError(located(file, w.line, why + " (first problem: " + w.message + ")"));
        }
        throw InputError(located(file, 0, why));
    }
    return parsed;
}

}  // namespace ksail_benchstat
