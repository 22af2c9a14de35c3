// Cell formatting shared by the human-readable renderers (text, markdown).
#include "ksail_benchstat/format_cells.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ksail_benchstat {
namespace {

int sign(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

}  // namespace

std::string pct_range(const Summary& summary) {
    if (!summary.lo || !summary.hi) return "∞";
    // A relative range means nothing when the interval spans zero (benchstat prints "?").
    const int cs = sign(summary.center);
    if (cs != sign(*summary.lo) || cs != sign(*summary.hi)) return "?";
    if (summary.center == 0) return "0%";
    const double v = std::max(*summary.hi / summary.center - 1, 1 - *summary.lo / summary.center);
    return fmt::format("{:.0f}%", 100 * v);
}

std::string format_center(const Summary& summary, const Scaler& scaler) {
    return scaler.format(summary.center) + " ± " + pct_range(summary);
}

std::string format_pct(double pct) {
    if (pct == 0) return "0.0%";
    // One decimal hides the small but significant changes of byte counts (-0.02%), so smaller
    // magnitudes get more digits instead of printing a misleading "0.0%".
    const double mag = std::fabs(pct);
    if (mag >= 1) return fmt::format("{:+.1f}%", pct);
    if (mag >= 0.01) return fmt::format("{:+.2f}%", pct);
    return fmt::format("{:+.2g}%", pct);
}

std::string format_change(const ChangeInterval& change) {
    if (!change.estimate_pct || !std::isfinite(*change.estimate_pct)) return {};
    std::string text = format_pct(*change.estimate_pct);
    if (change.exact) return text;
    const std::string low = change.low_pct && std::isfinite(*change.low_pct) ? format_pct(*change.low_pct) : "-∞";
    const std::string high = change.high_pct && std::isfinite(*change.high_pct) ? format_pct(*change.high_pct) : "+∞";
    return text + " [" + low + " … " + high + "]";
}

}  // namespace ksail_benchstat
