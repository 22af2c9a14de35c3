// Cell formatting shared by the human-readable renderers (text, markdown): `median ± CI%` and change intervals.
#pragma once

#include <string>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/stats.hpp"
#include "ksail_benchstat/units.hpp"

namespace ksail_benchstat {

// The half-width of a summary's confidence interval as a percentage of its median, benchstat
// style: "3%", "0%", "∞" when a bound is infinite, "?" when the interval crosses zero.
std::string pct_range(const Summary& summary);

// pct_range appended to `out`.
void append_pct_range(std::string& out, const Summary& summary);

// Room write_pct_range needs: write_fixed's and a '%'.
inline constexpr std::size_t k_pct_range_room = k_fixed_room + 1;
// pct_range written at `out` (room for k_pct_range_room bytes); returns the end, or nullptr for a
// percentage only pct_range writes (see write_fixed).
char* write_pct_range(char* out, const Summary& summary);

// "173.1n ± 3%": the median in `scaler`'s scale with its pct_range.
std::string format_center(const Summary& summary, const Scaler& scaler);

// A signed percentage with one decimal ("+183.3%", "-40.7%", "0.0%").
std::string format_pct(double pct);

// The Hodges-Lehmann change with its interval: "+183.3% [+176.6% … +192.7%]"; unbounded ends
// print as "-∞"/"+∞", an exact change prints without interval. Empty when there is no estimate.
std::string format_change(const ChangeInterval& change);

// The option that sets the repetition count of `format`'s tool: "-count" for Go,
// "--benchmark_repetitions" for Google Benchmark.
std::string_view count_flag(InputFormat format);

// What a comparison could have detected, for people: "n=5: changes under ±9.1% are invisible here;
// -count=12 would resolve ±5%". n1, n2 are the sample counts; `flag` comes from count_flag.
std::string detectability_text(const Comparison& c, std::size_t n1, std::size_t n2, double equivalence_pct,
                               std::string_view flag);

// The three-way verdict of a not significant comparison as a sentence: "equivalent within ±5%:
// +0.4% [-1.2% … +2.0%]" or "inconclusive at ±5%: " followed by detectability_text.
std::string equivalence_text(const Comparison& c, std::size_t n1, std::size_t n2, double equivalence_pct,
                             std::string_view flag);

}  // namespace ksail_benchstat
