// The CI gate: decides, on the interval of each change, which rows fail a pull request.
#pragma once

#include "ksail_benchstat/compare.hpp"

namespace ksail_benchstat {

// Evaluates the gate over `report` and stores the result in report.gate. Findings are recorded
// even when the gate is disabled (so every output can show possible regressions); `passed` is
// false only when options.enabled and a row failed or a goal was unmet.
void apply_gate(Report& report, const GateOptions& options);

// Parses "[UNIT=]PCT" (e.g. "10%", "allocs/op=5", "sec/op=7.5%"). Throws UsageError.
Threshold parse_threshold(const std::string& text);
// Parses "GLOB:UNIT:PCT" (e.g. "BenchmarkClusterCreate*:sec/op:-20%"). Throws UsageError.
Requirement parse_requirement(const std::string& text);
// `s` without leading and trailing blanks (space, tab, CR, LF): how every gate argument and
// gate-configuration value is read.
std::string_view trim(std::string_view s);
// Shell-style glob match ('*', '?', '[...]') of a whole string.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace ksail_benchstat
