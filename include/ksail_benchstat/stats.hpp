// Statistics core: medians, order-statistic confidence intervals, the Mann-Whitney U test and the
// Hodges-Lehmann interval of the change, as specified in docs/statistics.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ksail_benchstat/compact.hpp"

namespace ksail_benchstat {

// Median of an ascending-sorted, non-empty sample. Even n uses a + 0.5*(b - a), bit-identical to
// benchstat. Precondition: !sorted.empty().
double median_of_sorted(std::span<const double> sorted);

// 1-based order statistics [lo, hi] bounding the median at `confidence` for a sample of size n.
// lo < 1 means the lower bound is -infinity; hi > n means the upper bound is +infinity.
struct OrderInterval {
    long lo = 0;
    long hi = 0;
};
OrderInterval median_ci_orders(std::size_t n, double confidence);

// The smallest n whose median interval at `confidence` is finite on both sides.
std::size_t min_samples_for_ci(double confidence);

// Summary of one sample: its size, median, and the confidence interval of the median.
struct Summary {
    std::uint32_t n = 0;
    bool all_equal = false;  // every value identical
    double center = 0;
    OptionalDouble lo;       // empty when the bound is -infinity
    OptionalDouble hi;       // empty when the bound is +infinity
};
// Summarises `values` (any order). Precondition: !values.empty().
Summary summarize(std::span<const double> values, double confidence);

// Values known to be in ascending order, as a comparison holds every sample once it has sorted it:
// the overloads that take them skip checking the order, which on a large suite is a noticeable
// share of the statistics' time. The order is asserted in debug builds.
struct Ascending {
    std::span<const double> values;
};

// What a sample's center is: the median (default, with the order-statistic interval), the mean
// (with a Student t interval) or the minimum (the fastest run; no interval exists for it).
enum class Center { median, mean, min };
std::string_view center_name(Center center);

// Summarises `values` (any order) around `center`. For the mean the interval is
// mean ± t(n-1, (1+c)/2) · s / sqrt(n), absent below 2 values; for the minimum lo and hi stay empty.
// Precondition: !values.empty().
Summary summarize(std::span<const double> values, double confidence, Center center);
Summary summarize(Ascending values, double confidence, Center center);

// Result of the two-sided Mann-Whitney U test of x (baseline) against y.
enum class UTestMethod { all_equal, exact, exact_ties, normal };
struct UTestResult {
    double u1 = 0;  // U of x: #(x > y) + 0.5 #(x == y)
    double p = 1;
    UTestMethod method = UTestMethod::exact;
    bool has_ties = false;
    double tie_sum = 0;  // sum of t^3 - t over the tie groups (sizes t) of x and y pooled; 0 without ties
};
// Runs the test per STATS.md. Preconditions: x and y non-empty. Exact distributions for each
// (n1, n2) are computed once and cached (thread-safe).
UTestResult mann_whitney(std::span<const double> x, std::span<const double> y);
UTestResult mann_whitney(Ascending x, Ascending y);

// The smallest p-value the test can produce for these sample sizes: 2 / C(n1 + n2, n1), capped at 1.
double min_possible_p(std::size_t n1, std::size_t n2);

// The smallest n (same for both sides) whose minimal possible p-value is <= alpha.
std::size_t min_samples_for_alpha(double alpha);

// Hodges-Lehmann estimate of the change from x to y with its confidence interval.
struct ChangeInterval {
    bool log_scale = false;          // true when every value is > 0 (change is a ratio)
    bool exact = false;              // every sample on each side identical: the interval is a point
    bool negative_baseline = false;  // raw scale with a negative baseline median: the percentages (of
                                     // that median) have the opposite sign to the values' movement
    OptionalDouble estimate_pct;     // empty when a raw-scale change has a zero baseline median,
                                     // or the percentage is beyond a double's range
    OptionalDouble low_pct;          // empty when unbounded (samples too small) or undefined
    OptionalDouble high_pct;
    std::size_t samples_needed = 0;  // when unbounded: per-side count that would bound it (else 0)
};
// `test`, when given, is mann_whitney(x, y), whose finding of ties is then not made again.
ChangeInterval hodges_lehmann(std::span<const double> x, std::span<const double> y, double confidence,
                              const UTestResult* test = nullptr);
ChangeInterval hodges_lehmann(Ascending x, Ascending y, double confidence, const UTestResult* test = nullptr);

// The k-th smallest (1-based) of the n1*n2 differences sorted_y[j] - sorted_x[i]; large products are
// selected without materialising them. Preconditions: both ascending and non-empty, 1 <= k <= n1*n2.
double pairwise_difference_order(std::span<const double> sorted_x, std::span<const double> sorted_y,
                                 std::size_t k);

// How many standard errors the (1 - alpha) interval of the change reaches to each side at sizes
// (n1, n2) (docs/statistics.md): the normal quantile for large samples, larger for small ones
// because the exact interval is discrete. Infinite when the sizes cannot bound the interval.
double interval_z(std::size_t n1, std::size_t n2, double alpha);
// interval_z(n, n, alpha), the same number, read from a built-in table at alpha 0.05 (the default).
double equal_sizes_interval_z(std::size_t n, double alpha);

// What two samples could have detected (docs/statistics.md, "What could we have detected?").
struct Detectability {
    // The smallest change (percent, applies to both directions) that a test at alpha would detect
    // with probability k_mde_power, given the noise the samples show. Empty when these sizes cannot
    // reach alpha at all, or when no percentage exists (a raw-scale zero baseline median).
    OptionalDouble mde_pct;
    // Per-side count whose detectable change would be at most `target_pct`; never below the count
    // that can reach alpha. 0 when the noise cannot be estimated. Capped at k_max_samples_needed.
    std::size_t samples_needed = 0;
};
inline constexpr double k_mde_power = 0.8;
inline constexpr std::size_t k_max_samples_needed = 10000;
// `interval_at_alpha`, when given, is hodges_lehmann(x, y, 1 - alpha), which the caller often has
// already (the default confidence is 1 - alpha). Preconditions: x and y non-empty, 0 < alpha < 1,
// target_pct > 0. Samples already in ascending order (Ascending) need not be scanned for their scale.
Detectability detectability(std::span<const double> x, std::span<const double> y, double alpha, double target_pct,
                            const ChangeInterval* interval_at_alpha = nullptr);
Detectability detectability(Ascending x, Ascending y, double alpha, double target_pct,
                            const ChangeInterval* interval_at_alpha = nullptr);

// Standard normal quantile and CDF (Boost.Math), exposed for the gate and power estimates.
double normal_quantile(double p);
double normal_cdf(double z);

}  // namespace ksail_benchstat
