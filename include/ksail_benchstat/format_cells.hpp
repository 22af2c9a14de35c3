// Cell formatting shared by the human-readable renderers (text, markdown): `median ± CI%` and change intervals.
#pragma once

#include <string>

#include "ksail_benchstat/stats.hpp"
#include "ksail_benchstat/units.hpp"

namespace ksail_benchstat {

// The half-width of a summary's confidence interval as a percentage of its median, benchstat
// style: "3%", "0%", "∞" when a bound is infinite, "?" when the interval crosses zero.
std::string pct_range(const Summary& summary);

// "173.1n ± 3%": the median in `scaler`'s scale with its pct_range.
std::string format_center(const Summary& summary, const Scaler& scaler);

// A signed percentage with one decimal ("+183.3%", "-40.7%", "0.0%").
std::string format_pct(double pct);

// The Hodges-Lehmann change with its interval: "+183.3% [+176.6% … +192.7%]"; unbounded ends
// print as "-∞"/"+∞", an exact change prints without interval. Empty when there is no estimate.
std::string format_change(const ChangeInterval& change);

}  // namespace ksail_benchstat
