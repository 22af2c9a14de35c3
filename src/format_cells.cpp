// Cell formatting shared by the human-readable renderers (text, markdown).
#include "ksail_benchstat/format_cells.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

namespace ksail_benchstat {
namespace {

int sign(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

// "9.1", "12", "0.4": one decimal below 10 percent, none above.
std::string magnitude(double pct) { return fixed_text(pct, pct >= 10 ? 0 : 1); }

}  // namespace

std::string pct_range(const Summary& summary) {
    std::string out;
    append_pct_range(out, summary);
    return out;
}

namespace {

// What pct_range shows: one of its fixed texts, or a percentage to print with no decimals.
struct PctRange {
    std::string_view text;  // "∞", "?" or "0%", or empty for `pct`
    double pct = 0;
};

PctRange pct_range_of(const Summary& summary) {
    if (!summary.lo || !summary.hi) return {"∞"};
    // A relative range means nothing when the interval spans zero (benchstat prints "?").
    const int cs = sign(summary.center);
    if (cs != sign(*summary.lo) || cs != sign(*summary.hi)) return {"?"};
    if (summary.center == 0) return {"0%"};
    return {{}, 100 * std::max(*summary.hi / summary.center - 1, 1 - *summary.lo / summary.center)};
}

}  // namespace

void append_pct_range(std::string& out, const Summary& summary) {
    const PctRange range = pct_range_of(summary);
    if (range.text.empty()) {
        append_fixed(out, range.pct, 0, "%");
    } else {
        out += range.text;
    }
}

char* write_pct_range(char* out, const Summary& summary) {
    const PctRange range = pct_range_of(summary);
    if (!range.text.empty()) {
        std::memcpy(out, range.text.data(), range.text.size());
        return out + range.text.size();
    }
    char* end = write_fixed(out, range.pct, 0);
    if (end != nullptr) *end++ = '%';
    return end;
}

std::string format_center(const Summary& summary, const Scaler& scaler) {
    return scaler.format(summary.center) + " ± " + pct_range(summary);
}

std::string format_pct(double pct) {
    if (pct == 0) return "0.0%";
    // One decimal hides the small but significant changes of byte counts (-0.02%), so smaller
    // magnitudes get more digits instead of printing a misleading "0.0%".
    const double mag = std::fabs(pct);
    if (mag >= 1) return fixed_text(pct, 1, "%", true);
    if (mag >= 0.01) return fixed_text(pct, 2, "%", true);
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

std::string_view count_flag(InputFormat format) {
    return format == InputFormat::gbench_json ? "--benchmark_repetitions" : "-count";
}

std::string detectability_text(const Comparison& c, std::size_t n1, std::size_t n2, double equivalence_pct,
                               std::string_view flag) {
    const std::string n = n1 == n2 ? fmt::format("n={}", n1) : fmt::format("n={}+{}", n1, n2);
    const std::string target = fmt::format("±{:g}%", equivalence_pct);
    std::string out;
    if (c.detect.mde_pct) {
        out = fmt::format("{}: changes under ±{}% are invisible here", n, magnitude(*c.detect.mde_pct));
    } else if (c.significance_impossible) {
        out = fmt::format("{}: no change can be significant with so few samples", n);
    } else {
        out = fmt::format("{}: no relative change can be measured here", n);
    }
    const std::size_t need = c.detect.samples_needed;
    if (need >= k_max_samples_needed) {
        out += fmt::format("; more than {}={} would be needed to resolve {}", flag, k_max_samples_needed, target);
    } else if (need > std::max(n1, n2)) {
        out += fmt::format("; {}={} would resolve {}", flag, need, target);
    }
    return out;
}

std::string equivalence_text(const Comparison& c, std::size_t n1, std::size_t n2, double equivalence_pct,
                             std::string_view flag) {
    if (c.equivalence == Equivalence::equivalent) {
        return fmt::format("equivalent within ±{:g}%: {}", equivalence_pct, format_change(c.change));
    }
    return fmt::format("inconclusive at ±{:g}%: {}", equivalence_pct,
                       detectability_text(c, n1, n2, equivalence_pct, flag));
}

}  // namespace ksail_benchstat
