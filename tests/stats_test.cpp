// Tests of the statistics core: every public reference vector, plus unit tests of each formula.
#include "ksail_benchstat/stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ksail_benchstat {
namespace {

using nlohmann::json;

json load_public_vectors()
{
    std::ifstream in(std::string(KSAIL_TESTDATA_DIR) + "/reference/stats_vectors_public.json");
    if (!in) {
        return json::object({{"vectors", json::array()}});
    }
    return json::parse(in);
}

const json& public_vectors()
{
    static const json vectors = load_public_vectors();
    return vectors;
}

std::vector<json> vector_cases()
{
    const json& all = public_vectors()["vectors"];
    return {all.begin(), all.end()};
}

UTestMethod method_from_name(const std::string& name)
{
    if (name == "exact") {
        return UTestMethod::exact;
    }
    if (name == "exact_ties") {
        return UTestMethod::exact_ties;
    }
    if (name == "all_equal") {
        return UTestMethod::all_equal;
    }
    EXPECT_EQ(name, "normal_tie_continuity");
    return UTestMethod::normal;
}

std::optional<double> optional_number(const json& value)
{
    return value.is_null() ? std::nullopt : std::optional<double>(value.get<double>());
}

// p-values: relative 1e-9; an expected 0 is held to absolute 1e-15. The relative rule is kept even
// for tiny values so that a tail cancelled to 0 (s1729-052 expects 5.9e-165) fails.
void expect_p_near(double actual, double expected)
{
    if (expected == 0) {
        EXPECT_NEAR(actual, expected, 1e-15);
    } else {
        EXPECT_NEAR(actual, expected, std::abs(expected) * 1e-9);
    }
}

class ReferenceVector : public testing::TestWithParam<json> {};

TEST_P(ReferenceVector, MatchesExpected)
{
    const json& vec = GetParam();
    const json& expected = vec["expected"];
    const auto x = vec["x"].get<std::vector<double>>();
    const auto y = vec["y"].get<std::vector<double>>();
    const double confidence = public_vectors()["confidence"].get<double>();

    const UTestResult test = mann_whitney(x, y);
    expect_p_near(test.p, expected["p_recommended"].get<double>());
    EXPECT_EQ(test.method, method_from_name(expected["method_recommended"].get<std::string>()));
    EXPECT_EQ(test.u1, expected["u"].get<double>());
    EXPECT_EQ(test.has_ties, expected["has_ties"].get<bool>());
    EXPECT_EQ(test.method == UTestMethod::all_equal, expected["all_values_equal"].get<bool>());

    const Summary sx = summarize(x, confidence);
    const Summary sy = summarize(y, confidence);
    EXPECT_EQ(sx.center, expected["median_x"].get<double>());
    EXPECT_EQ(sy.center, expected["median_y"].get<double>());
    EXPECT_EQ(sx.n, x.size());
    EXPECT_EQ(sy.n, y.size());

    const OrderInterval ox = median_ci_orders(x.size(), confidence);
    const OrderInterval oy = median_ci_orders(y.size(), confidence);
    EXPECT_EQ(ox.lo, expected["ci_x_95_orders"][0].get<long>());
    EXPECT_EQ(ox.hi, expected["ci_x_95_orders"][1].get<long>());
    EXPECT_EQ(oy.lo, expected["ci_y_95_orders"][0].get<long>());
    EXPECT_EQ(oy.hi, expected["ci_y_95_orders"][1].get<long>());
    EXPECT_EQ(sx.lo, optional_number(expected["ci_x_95_bounds"][0]));
    EXPECT_EQ(sx.hi, optional_number(expected["ci_x_95_bounds"][1]));
    EXPECT_EQ(sy.lo, optional_number(expected["ci_y_95_bounds"][0]));
    EXPECT_EQ(sy.hi, optional_number(expected["ci_y_95_bounds"][1]));

    if (expected["all_values_equal"].get<bool>()) {
        EXPECT_TRUE(sx.all_equal);
        EXPECT_TRUE(sy.all_equal);
        const ChangeInterval change = hodges_lehmann(x, y, confidence);
        EXPECT_TRUE(change.exact);
    }
}

std::string vector_name(const testing::TestParamInfo<json>& info)
{
    std::string name = info.param["id"].get<std::string>();
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Public, ReferenceVector, testing::ValuesIn(vector_cases()), vector_name);

TEST(ReferenceVectors, AllPresent)
{
    const json& root = public_vectors();
    ASSERT_TRUE(root.contains("count")) << "could not read " << KSAIL_TESTDATA_DIR;
    EXPECT_EQ(root["vectors"].size(), root["count"].get<std::size_t>());
    EXPECT_GE(root["vectors"].size(), 68U);
}

// benchstat's tie formula prints p = 0 or p > 1 on these; we give the exact permutation p-value.
TEST(MannWhitney, TiedSamplesWhereBenchstatIsWrong)
{
    const std::vector<double> x29 = {2, 1, 3, 5};
    const std::vector<double> y29 = {1, 1, 1, 1, 1};
    EXPECT_NEAR(mann_whitney(x29, y29).p, 2.0 / 21.0, 1e-15);
    const std::vector<double> x31 = {1, 0, 1, 0, 1, 0, 1, 0, 0};
    const std::vector<double> y31 = {1, 0};
    EXPECT_EQ(mann_whitney(x31, y31).p, 1.0);
}

TEST(MannWhitney, ExactNoTiesSmall)
{
    // 3 vs 3 completely separated: P(U = 9) = 1/20, two-sided 0.1.
    const std::vector<double> x = {4, 5, 6};
    const std::vector<double> y = {1, 2, 3};
    const UTestResult result = mann_whitney(x, y);
    EXPECT_EQ(result.method, UTestMethod::exact);
    EXPECT_EQ(result.u1, 9);
    EXPECT_NEAR(result.p, 0.1, 1e-15);
}

TEST(MannWhitney, DistributionIsCachedAndSymmetric)
{
    std::vector<double> x(50);
    std::vector<double> y(50);
    for (std::size_t i = 0; i < 50; ++i) {
        x[i] = static_cast<double>(2 * i);
        y[i] = static_cast<double>(2 * i + 1);
    }
    const double first = mann_whitney(x, y).p;
    EXPECT_EQ(mann_whitney(x, y).p, first);
    EXPECT_EQ(mann_whitney(y, x).p, first);  // U of y is n1 n2 - U of x: symmetric distribution
}

TEST(MannWhitney, ConcurrentCallsAgreeWithSerialOnes)
{
    // Several threads fill the distribution cache at once; each answer must match a serial run.
    const auto p_for = [](std::size_t n1, std::size_t n2) {
        std::vector<double> x(n1);
        std::vector<double> y(n2);
        for (std::size_t i = 0; i < n1; ++i) {
            x[i] = static_cast<double>(i) * 1.5;
        }
        for (std::size_t j = 0; j < n2; ++j) {
            y[j] = static_cast<double>(j) + 0.25;
        }
        return mann_whitney(x, y).p;
    };
    std::vector<double> concurrent(8);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < concurrent.size(); ++t) {
        threads.emplace_back([&, t] { concurrent[t] = p_for(30 + t % 4, 41 + t % 3); });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (std::size_t t = 0; t < concurrent.size(); ++t) {
        EXPECT_EQ(concurrent[t], p_for(30 + t % 4, 41 + t % 3));
    }
}

TEST(HodgesLehmann, FullConfidenceIsUnbounded)
{
    const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7};
    const std::vector<double> y = {2, 3, 4, 5, 6, 7, 7};
    const ChangeInterval change = hodges_lehmann(x, y, 1.0);
    EXPECT_FALSE(change.low_pct.has_value());
    EXPECT_FALSE(change.high_pct.has_value());
}

TEST(MedianCi, TableAtNinetyFive)
{
    const std::vector<OrderInterval> table = {
        {0, 2},  {0, 3},  {0, 4},  {0, 5},  {0, 5},  {1, 6},  {1, 7},  {1, 7},  {2, 8},  {2, 9},
        {2, 9},  {3, 10}, {3, 11}, {3, 11}, {4, 12}, {4, 12}, {5, 13}, {5, 14}, {5, 14}, {6, 15},
        {6, 16}, {6, 16}, {7, 17}, {8, 18}, {8, 18}, {8, 19}, {8, 19}, {9, 20}, {9, 20}, {10, 21},
    };
    for (std::size_t n = 1; n <= 30; ++n) {
        const OrderInterval orders = median_ci_orders(n, 0.95);
        EXPECT_EQ(orders.lo, table[n - 1].lo) << "n=" << n;
        EXPECT_EQ(orders.hi, table[n - 1].hi) << "n=" << n;
    }
    // No sample: no bound on either side.
    EXPECT_EQ(median_ci_orders(0, 0.95).lo, 0);
    EXPECT_EQ(median_ci_orders(0, 0.95).hi, 1);
}

// The binomial walk, run at a confidence one ulp above 0.95 (the accumulated probabilities are
// dyadic, so this changes nothing but bypasses the table), reproduces the table except at n = 24,
// where benchstat's floating-point binomial coefficients break a tie to the right.
TEST(MedianCi, WalkReproducesTableExceptBenchstatTieBreak)
{
    const double just_above = std::nextafter(0.95, 1.0);
    for (std::size_t n = 1; n <= 30; ++n) {
        const OrderInterval walk = median_ci_orders(n, just_above);
        const OrderInterval table = median_ci_orders(n, 0.95);
        if (n == 24) {
            EXPECT_EQ(walk.lo, 7);
            EXPECT_EQ(walk.hi, 17);
            continue;
        }
        EXPECT_EQ(walk.lo, table.lo) << "n=" << n;
        EXPECT_EQ(walk.hi, table.hi) << "n=" << n;
    }
}

TEST(MedianCi, WalkAtOtherConfidences)
{
    // Binomial(10, 1/2) by hand: the walk reaches [2, 8) = 957/1024 and [1, 10) = 1022/1024.
    EXPECT_EQ(median_ci_orders(10, 0.90).lo, 2);
    EXPECT_EQ(median_ci_orders(10, 0.90).hi, 8);
    EXPECT_EQ(median_ci_orders(10, 0.99).lo, 1);
    EXPECT_EQ(median_ci_orders(10, 0.99).hi, 10);
    EXPECT_EQ(median_ci_orders(10, 1.0).lo, 0);
    EXPECT_EQ(median_ci_orders(10, 1.0).hi, 11);
}

TEST(MedianCi, NormalBranchAboveThirty)
{
    const auto check = [](std::size_t n, long lo, long hi) {
        const OrderInterval orders = median_ci_orders(n, 0.95);
        EXPECT_EQ(orders.lo, lo) << "n=" << n;
        EXPECT_EQ(orders.hi, hi) << "n=" << n;
    };
    check(32, 10, 22);
    check(35, 12, 24);
    check(39, 13, 26);
    check(44, 15, 29);  // the biased right end; the exact binomial would say 16, 29
    check(60, 22, 38);
    check(66, 25, 42);
    check(100, 40, 60);
    check(500, 228, 272);
}

TEST(MedianCi, MinSamples)
{
    EXPECT_EQ(min_samples_for_ci(0.95), 6U);
    EXPECT_EQ(min_samples_for_ci(0.90), 5U);
}

TEST(Summary, EvenMedianUsesBenchstatMidpoint)
{
    const std::vector<double> values = {3, 1, 4, 2};
    const Summary summary = summarize(values, 0.95);
    EXPECT_EQ(summary.center, 2.5);
    EXPECT_FALSE(summary.all_equal);
    // n = 4: orders 0 and 5 lie outside the sample, so both bounds are infinite.
    EXPECT_FALSE(summary.lo.has_value());
    EXPECT_FALSE(summary.hi.has_value());

    const std::vector<double> six = {6, 1, 5, 2, 4, 3};
    const Summary bounded = summarize(six, 0.95);
    EXPECT_EQ(bounded.center, 3.5);
    EXPECT_EQ(bounded.lo, 1.0);  // orders 1, 6
    EXPECT_EQ(bounded.hi, 6.0);
}

TEST(Significance, MinPossibleP)
{
    EXPECT_EQ(min_possible_p(1, 1), 1.0);
    EXPECT_NEAR(min_possible_p(3, 3), 0.1, 1e-15);
    EXPECT_NEAR(min_possible_p(4, 4), 2.0 / 70.0, 1e-15);
    EXPECT_NEAR(min_possible_p(1, 39), 0.05, 1e-15);
    EXPECT_NEAR(min_possible_p(10, 10), 2.0 / 184756.0, 1e-18);
    EXPECT_EQ(min_samples_for_alpha(0.05), 4U);
    EXPECT_EQ(min_samples_for_alpha(0.01), 5U);
}

// Sizes up to 50 a side are answered from a table once known, larger ones from a memo: asked in any
// order, again and again, either way gives 2 / C(n1 + n2, n1) as first worked out, capped at 1.
TEST(Significance, MinPossiblePRemembersEverySize)
{
    const auto worked_out = [](std::size_t n1, std::size_t n2) {
        std::size_t k = std::min(n1, n2);
        const std::size_t n = n1 + n2;
        double c = 1;
        for (std::size_t i = 1; i <= k; ++i) {
            c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
        }
        return std::min(1.0, 2 / std::round(c));
    };
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t n1 = 1; n1 <= 60; n1 += 3) {
            for (std::size_t down = 0; down < 60; down += 7) {
                const std::size_t n2 = 60 - down;  // larger sizes first
                const double expected = worked_out(n1, n2);
                EXPECT_EQ(std::bit_cast<std::uint64_t>(min_possible_p(n1, n2)), std::bit_cast<std::uint64_t>(expected))
                    << n1 << "+" << n2 << " pass " << pass;
                EXPECT_EQ(min_possible_p(n2, n1), min_possible_p(n1, n2));
            }
        }
    }
}

TEST(Normal, QuantileAndCdf)
{
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
    EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-12);
    EXPECT_EQ(normal_quantile(0.0), -HUGE_VAL);
    EXPECT_EQ(normal_quantile(1.0), HUGE_VAL);
}

TEST(HodgesLehmann, LogVersusRawScale)
{
    // Ratios y/x: 2/3 1 4/3 2 2 2 3 4 6 -> median 2. Differences: -1 0 1 1 2 3 3 4 5 -> median 2,
    // 100% of the baseline median 2. At c = 0.5 (ties: normal branch) k = floor(4.5 - 0.674 *
    // sqrt(5.1)) = 2, so the interval is [D(2), D(8)].
    const std::vector<double> x = {1, 2, 3};
    const std::vector<double> y = {2, 4, 6};
    const ChangeInterval log_change = hodges_lehmann(x, y, 0.5);
    EXPECT_TRUE(log_change.log_scale);
    EXPECT_FALSE(log_change.exact);
    EXPECT_NEAR(*log_change.estimate_pct, 100, 1e-9);
    EXPECT_NEAR(*log_change.low_pct, 0, 1e-9);
    EXPECT_NEAR(*log_change.high_pct, 300, 1e-9);

    const std::vector<double> x_raw = {0, 1, 2, 3};  // a zero forces the raw scale
    const std::vector<double> y_raw = {2, 4, 6};
    const ChangeInterval raw = hodges_lehmann(x_raw, y_raw, 0.5);
    EXPECT_FALSE(raw.log_scale);
    // Differences: 2 4 6 1 3 5 0 2 4 -1 1 3 -> sorted -1 0 1 1 2 2 3 3 4 4 5 6, median 2.5, baseline
    // median 1.5. Ties: normal k = floor(6 - 0.674 * sqrt(12/12 * (8 - 6/42))) = 4 -> [1, 4].
    EXPECT_NEAR(*raw.estimate_pct, 2.5 / 1.5 * 100, 1e-9);
    EXPECT_NEAR(*raw.low_pct, 1 / 1.5 * 100, 1e-9);
    EXPECT_NEAR(*raw.high_pct, 4 / 1.5 * 100, 1e-9);
}

TEST(HodgesLehmann, ExactNoTiesUsesUTable)
{
    // 4 vs 4: P(U <= 0) = 1/70 <= 0.025 < P(U <= 1) = 2/70, so k = 1: the extreme ratios.
    const std::vector<double> x = {1, 2, 3, 4};
    const std::vector<double> y = {5, 6, 7, 8};
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    EXPECT_NEAR(*change.low_pct, 25, 1e-9);
    EXPECT_NEAR(*change.high_pct, 700, 1e-9);
    EXPECT_EQ(change.samples_needed, 0U);

    // 10 vs 10: P(U <= 23) = 0.0216 <= 0.025 < P(U <= 24) = 0.0262, so k = 24. With x = 0..9 and
    // y = x + 0.5 the differences are d + 0.5 with multiplicity 10 - |d|: D(24) = -2.5, D(77) = 3.5.
    std::vector<double> xs;
    std::vector<double> ys;
    for (int i = 0; i < 10; ++i) {
        xs.push_back(i);
        ys.push_back(i + 0.5);
    }
    const ChangeInterval wide = hodges_lehmann(xs, ys, 0.95);
    EXPECT_FALSE(wide.log_scale);
    EXPECT_NEAR(*wide.estimate_pct, 0.5 / 4.5 * 100, 1e-9);
    EXPECT_NEAR(*wide.low_pct, -2.5 / 4.5 * 100, 1e-9);
    EXPECT_NEAR(*wide.high_pct, 3.5 / 4.5 * 100, 1e-9);
}

TEST(HodgesLehmann, ConstantSamplesAreExact)
{
    const std::vector<double> x = {1, 1, 1};
    const std::vector<double> y = {2, 2};
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    EXPECT_TRUE(change.exact);
    EXPECT_TRUE(change.log_scale);
    EXPECT_EQ(change.estimate_pct, 100.0);
    EXPECT_EQ(change.low_pct, 100.0);
    EXPECT_EQ(change.high_pct, 100.0);
    EXPECT_EQ(change.samples_needed, 0U);

    const std::vector<double> same = {7, 7};
    const ChangeInterval none = hodges_lehmann(same, same, 0.95);
    EXPECT_TRUE(none.exact);
    EXPECT_EQ(none.estimate_pct, 0.0);
}

// Values that differ only in their last digits share a logarithm; they are still different samples,
// so the change is not exact and three a side bound no interval.
TEST(HodgesLehmann, NearlyEqualValuesAreNotExact)
{
    const std::vector<double> x = {1e9, std::nextafter(1e9, 2e9), std::nextafter(std::nextafter(1e9, 2e9), 2e9)};
    const std::vector<double> y = {1e9, 1e9, 1e9};
    ASSERT_EQ(std::log(x[0]), std::log(x[2]));  // the case in point: the logs alone cannot tell them apart
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    EXPECT_FALSE(change.exact);
    EXPECT_EQ(change.estimate_pct, 0.0);
    EXPECT_FALSE(change.low_pct.has_value());
    EXPECT_FALSE(change.high_pct.has_value());
}

TEST(HodgesLehmann, UnboundedForTinySamples)
{
    const std::vector<double> x = {1, 2};
    const std::vector<double> y = {3, 4};
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    EXPECT_FALSE(change.exact);
    EXPECT_TRUE(change.estimate_pct.has_value());
    EXPECT_FALSE(change.low_pct.has_value());
    EXPECT_FALSE(change.high_pct.has_value());
    EXPECT_EQ(change.samples_needed, 4U);  // C(8, 4) = 70 >= 40 but C(6, 3) = 20 < 40
    EXPECT_EQ(hodges_lehmann(x, y, 0.99).samples_needed, 5U);  // C(10, 5) = 252 >= 200
}

TEST(HodgesLehmann, ZeroBaselineHasNoPercentage)
{
    const std::vector<double> x = {-1, 0, 1};
    const std::vector<double> y = {2, 3, 4};
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    EXPECT_FALSE(change.log_scale);
    EXPECT_FALSE(change.estimate_pct.has_value());
}

TEST(HodgesLehmann, NegativeBaselineKeepsBoundsOrdered)
{
    const std::vector<double> x = {-10, -11, -12, -13, -9, -10.5};
    const std::vector<double> y = {-8, -7, -9.5, -8.5, -7.5, -6};
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    ASSERT_TRUE(change.low_pct && change.high_pct && change.estimate_pct);
    EXPECT_LE(*change.low_pct, *change.estimate_pct);
    EXPECT_LE(*change.estimate_pct, *change.high_pct);
    EXPECT_LT(*change.high_pct, 0);  // y is larger, so relative to a negative baseline: negative
}

std::vector<double> brute_force_sorted_differences(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<double> diffs;
    for (double xi : x) {
        for (double yj : y) {
            diffs.push_back(yj - xi);
        }
    }
    std::sort(diffs.begin(), diffs.end());
    return diffs;
}

void expect_selection_matches_brute_force(std::vector<double> x, std::vector<double> y, std::mt19937_64& rng)
{
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    const std::vector<double> diffs = brute_force_sorted_differences(x, y);
    std::vector<std::size_t> orders = {1, 2, diffs.size() / 2, diffs.size() / 2 + 1, diffs.size() - 1, diffs.size()};
    std::uniform_int_distribution<std::size_t> any(1, diffs.size());
    for (int i = 0; i < 20; ++i) {
        orders.push_back(any(rng));
    }
    for (std::size_t k : orders) {
        EXPECT_EQ(pairwise_difference_order(x, y, k), diffs[k - 1]) << "k=" << k;
    }
}

TEST(HodgesLehmann, LargeSelectionAgreesWithBruteForce)
{
    std::mt19937_64 rng(20240611);
    std::lognormal_distribution<double> noise(0.0, 0.3);
    std::vector<double> x(420);
    std::vector<double> y(310);  // 130200 pairs: above the materialisation limit
    for (double& v : x) {
        v = std::log(100 * noise(rng));
    }
    for (double& v : y) {
        v = std::log(103 * noise(rng));
    }
    expect_selection_matches_brute_force(x, y, rng);

    // Heavy ties (integers) and negative values.
    std::uniform_int_distribution<int> small(-20, 20);
    for (double& v : x) {
        v = small(rng);
    }
    for (double& v : y) {
        v = small(rng) + 3;
    }
    expect_selection_matches_brute_force(x, y, rng);

    // Small products take the materialising path; it must agree too.
    expect_selection_matches_brute_force({1.5, -2, 3, 3}, {0, 0.25, 7}, rng);
}

// Samples for the interval's tests, of sizes drawn from `count`: around 100 and 104 with
// log-normal noise, or (`whole`) whole numbers drawn from `small`, from 1 and 2 up.
std::pair<std::vector<double>, std::vector<double>> interval_samples(std::mt19937_64& rng,
                                                                     std::uniform_int_distribution<std::size_t>& count,
                                                                     std::lognormal_distribution<double>& noise,
                                                                     std::uniform_int_distribution<int>& small, bool whole)
{
    std::vector<double> x(count(rng));
    std::vector<double> y(count(rng));
    for (double& v : x) {
        v = whole ? small(rng) + 1.0 : 100 * noise(rng);
    }
    for (double& v : y) {
        v = whole ? small(rng) + 2.0 : 104 * noise(rng);
    }
    return {x, y};
}

// The materialised path groups the differences by value before selecting: its estimate and
// bounds must be the brute-force order statistics whatever the shape of the differences (ties,
// one far outlier that puts nearly all of them in one group, ranges beyond a double).
TEST(HodgesLehmann, GroupedSelectionAgreesWithBruteForce)
{
    std::mt19937_64 rng(20261128);
    std::uniform_int_distribution<std::size_t> count(2, 64);
    std::lognormal_distribution<double> noise(0.0, 0.05);
    std::uniform_int_distribution<int> small(0, 6);
    const auto pct = [](double d, double base) { return d / base * 100; };
    for (int round = 0; round < 400; ++round) {
        const int shape = round % 5;
        auto [x, y] = interval_samples(rng, count, noise, small, shape == 1);
        if (shape == 2) {
            y.back() = 1e12;  // one outlier stretches the range
        } else if (shape == 3) {
            x.front() = -1.5e308;  // the range of the differences is no finite number
            y.back() = 1.5e308;
        } else if (shape == 4) {
            for (double& v : y) {
                v = x.front() + (v - 104) * 1e-300;  // differences of wildly different sizes
            }
        }
        // A zero keeps the raw scale, where a bound's percentage is d / median(x) * 100 exactly.
        y.front() = 0;
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const double base = x.size() % 2 == 1 ? x[x.size() / 2] : x[x.size() / 2 - 1] + 0.5 * (x[x.size() / 2] - x[x.size() / 2 - 1]);
        const std::vector<double> diffs = brute_force_sorted_differences(x, y);
        const std::size_t pairs = diffs.size();
        const ChangeInterval change = hodges_lehmann(x, y, 0.9);
        const double middle = pairs % 2 == 1 ? diffs[pairs / 2]
                                             : diffs[pairs / 2 - 1] + 0.5 * (diffs[pairs / 2] - diffs[pairs / 2 - 1]);
        ASSERT_FALSE(change.log_scale);
        if (std::isfinite(pct(middle + 0.0, base))) {
            ASSERT_TRUE(change.estimate_pct) << "round " << round;
            EXPECT_EQ(*change.estimate_pct, pct(middle + 0.0, base)) << "round " << round;
        }
        if (!change.low_pct || !change.high_pct) {
            continue;
        }
        // The bounds are the k-th smallest and the k-th largest difference, for one k.
        bool found = false;
        for (std::size_t k = 1; k <= (pairs + 1) / 2 && !found; ++k) {
            // A negative baseline median (an outlier of shape 3) turns the percentages around.
            const double a = pct(diffs[k - 1] + 0.0, base);
            const double b = pct(diffs[pairs - k] + 0.0, base);
            found = *change.low_pct == std::min(a, b) && *change.high_pct == std::max(a, b);
        }
        EXPECT_TRUE(found) << "round " << round << ": " << *change.low_pct << " .. " << *change.high_pct;
    }
}

// The test carries the tie sum that the interval's k needs: given the test, the interval must be
// the one it finds on its own, bit for bit, with and without ties, at every size regime.
TEST(HodgesLehmann, TheTestsTieSumGivesTheSameInterval)
{
    std::mt19937_64 rng(20261129);
    std::uniform_int_distribution<std::size_t> count(1, 40);
    std::uniform_int_distribution<int> small(1, 8);
    std::lognormal_distribution<double> noise(0.0, 0.1);
    const auto same = [](const OptionalDouble& a, const OptionalDouble& b) {
        return a.has_value() == b.has_value() &&
               (!a || std::bit_cast<std::uint64_t>(*a) == std::bit_cast<std::uint64_t>(*b));
    };
    for (int round = 0; round < 600; ++round) {
        std::vector<double> x(count(rng));
        std::vector<double> y(round % 7 == 0 ? x.size() : count(rng));
        const int shape = round % 3;
        for (double& v : x) v = shape == 0 ? small(rng) : shape == 1 ? 100 * noise(rng) : 5.0;
        for (double& v : y) v = shape == 0 ? small(rng) + 1 : shape == 1 ? 102 * noise(rng) : (round % 2 ? 5.0 : 6.0);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const UTestResult test = mann_whitney(Ascending{x}, Ascending{y});
        const ChangeInterval alone = hodges_lehmann(Ascending{x}, Ascending{y}, 0.95);
        const ChangeInterval given = hodges_lehmann(Ascending{x}, Ascending{y}, 0.95, &test);
        EXPECT_TRUE(same(alone.estimate_pct, given.estimate_pct)) << "round " << round;
        EXPECT_TRUE(same(alone.low_pct, given.low_pct)) << "round " << round;
        EXPECT_TRUE(same(alone.high_pct, given.high_pct)) << "round " << round;
        EXPECT_EQ(alone.samples_needed, given.samples_needed) << "round " << round;
    }
}

TEST(HodgesLehmann, LargeSamplesUseNormalK)
{
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(100, 1);
    std::vector<double> x(400);
    std::vector<double> y(400);
    for (double& v : x) {
        v = noise(rng);
    }
    for (double& v : y) {
        v = noise(rng) * 1.02;
    }
    const ChangeInterval change = hodges_lehmann(x, y, 0.95);
    ASSERT_TRUE(change.low_pct && change.high_pct && change.estimate_pct);
    EXPECT_LT(*change.low_pct, *change.estimate_pct);
    EXPECT_GT(*change.high_pct, *change.estimate_pct);
    EXPECT_NEAR(*change.estimate_pct, 2, 0.5);
    EXPECT_LT(*change.high_pct - *change.low_pct, 1.0);
}

TEST(SummarizeCenter, MeanHasStudentTInterval)
{
    const std::vector<double> values = {5, 1, 4, 2, 3};
    const Summary s = summarize(values, 0.95, Center::mean);
    EXPECT_EQ(s.n, 5U);
    EXPECT_DOUBLE_EQ(s.center, 3);
    // t(4, 0.975) = 2.776445105; s = sqrt(2.5); half-width = t * s / sqrt(5).
    ASSERT_TRUE(s.lo && s.hi);
    EXPECT_NEAR(*s.lo, 3 - 2.776445105 * std::sqrt(2.5 / 5), 1e-8);
    EXPECT_NEAR(*s.hi, 3 + 2.776445105 * std::sqrt(2.5 / 5), 1e-8);
}

TEST(SummarizeCenter, MeanOfOneValueHasNoInterval)
{
    const std::vector<double> one = {7};
    const Summary s = summarize(one, 0.95, Center::mean);
    EXPECT_DOUBLE_EQ(s.center, 7);
    EXPECT_FALSE(s.lo.has_value());
    EXPECT_FALSE(s.hi.has_value());
}

TEST(SummarizeCenter, MinHasNoInterval)
{
    const std::vector<double> values = {5, 1.5, 4, 2, 3, 9, 8};
    const Summary s = summarize(values, 0.95, Center::min);
    EXPECT_DOUBLE_EQ(s.center, 1.5);
    EXPECT_FALSE(s.lo.has_value());
    EXPECT_FALSE(s.hi.has_value());
}

TEST(SummarizeCenter, MedianMatchesTheDefault)
{
    const std::vector<double> values = {5, 1, 4, 2, 3, 9, 8, 7};
    const Summary a = summarize(values, 0.95);
    const Summary b = summarize(values, 0.95, Center::median);
    EXPECT_EQ(a.center, b.center);
    EXPECT_EQ(a.lo, b.lo);
    EXPECT_EQ(a.hi, b.hi);
}

std::vector<double> noisy_sample(std::mt19937_64& rng, std::size_t n, double center, double spread)
{
    std::normal_distribution<double> noise(0, spread);
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(center * std::exp(noise(rng)));
    return out;
}

TEST(Detectability, MdeScalesTheIntervalHalfWidthToEightyPercentPower)
{
    std::mt19937_64 rng(7);
    const auto x = noisy_sample(rng, 10, 100, 0.05);
    const auto y = noisy_sample(rng, 10, 100, 0.05);
    const Detectability d = detectability(x, y, 0.05, 5);
    ASSERT_TRUE(d.mde_pct.has_value());
    const ChangeInterval ci = hodges_lehmann(x, y, 0.95);
    const double half = (std::log1p(*ci.high_pct / 100) - std::log1p(*ci.low_pct / 100)) / 2;
    const double z = interval_z(10, 10, 0.05);
    EXPECT_NEAR(*d.mde_pct, std::expm1(half * (z + normal_quantile(0.8)) / z) * 100, 1e-9);
}

TEST(Detectability, IntervalZIsWiderForSmallSamples)
{
    // 4 + 4: k = 1, so z = (8 - 1 + 1/2) / sqrt(16 * 9 / 12).
    EXPECT_NEAR(interval_z(4, 4, 0.05), 7.5 / std::sqrt(12.0), 1e-12);
    EXPECT_TRUE(std::isinf(interval_z(3, 3, 0.05)));
    EXPECT_GT(interval_z(6, 6, 0.05), interval_z(20, 20, 0.05));
    EXPECT_NEAR(interval_z(40, 40, 0.05), normal_quantile(0.975), 0.05);
    EXPECT_DOUBLE_EQ(interval_z(60, 60, 0.05), normal_quantile(0.975));
}

// The answers are remembered per alpha: asked again, after other sizes and another alpha (both
// the infinite answer and finite ones), they are the same doubles.
TEST(Detectability, IntervalZRemembersItsAnswers)
{
    const double z4 = interval_z(4, 4, 0.05);
    const double z10 = interval_z(10, 12, 0.05);
    const double z10_at_10 = interval_z(10, 12, 0.10);
    EXPECT_LT(z10_at_10, z10);
    EXPECT_TRUE(std::isinf(interval_z(3, 3, 0.05)));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(interval_z(4, 4, 0.05)), std::bit_cast<std::uint64_t>(z4));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(interval_z(10, 12, 0.05)), std::bit_cast<std::uint64_t>(z10));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(interval_z(10, 12, 0.10)), std::bit_cast<std::uint64_t>(z10_at_10));
    EXPECT_TRUE(std::isinf(interval_z(3, 3, 0.05)));
}

// The built-in table at alpha 0.05 holds what interval_z works out, to the last bit, for every
// size it covers; beyond it, and at other levels, the answers are interval_z's own.
TEST(Detectability, EqualSizesTableIsIntervalZ)
{
    for (std::size_t n = 0; n <= 60; ++n) {
        for (const double alpha : {0.05, 0.01, 0.1}) {
            EXPECT_EQ(std::bit_cast<std::uint64_t>(equal_sizes_interval_z(n, alpha)),
                      std::bit_cast<std::uint64_t>(interval_z(n, n, alpha)))
                << "n=" << n << " alpha=" << alpha;
        }
    }
}

TEST(Detectability, SamplesNeededFollowTheSquareRootLaw)
{
    std::mt19937_64 rng(11);
    const auto x = noisy_sample(rng, 10, 100, 0.05);
    const auto y = noisy_sample(rng, 10, 100, 0.05);
    const double mde = *detectability(x, y, 0.05, 5).mde_pct;
    // Resolving exactly the current MDE needs the current count.
    EXPECT_EQ(detectability(x, y, 0.05, mde).samples_needed, 10U);
    // Half of it needs four times the count by the square-root law, a little less because the
    // interval at 10 per side is relatively wider (discrete) than at 40.
    const double half_log = std::expm1(std::log1p(mde / 100) / 2) * 100;
    const std::size_t n_half = detectability(x, y, 0.05, half_log).samples_needed;
    EXPECT_LE(n_half, 40U);
    EXPECT_GE(n_half, 34U);
    // A generous target never asks for fewer samples than can reach alpha.
    EXPECT_EQ(detectability(x, y, 0.05, 90).samples_needed, min_samples_for_alpha(0.05));
}

TEST(Detectability, AKnownIntervalGivesTheSameAnswer)
{
    std::mt19937_64 rng(13);
    const auto x = noisy_sample(rng, 8, 100, 0.05);
    const auto y = noisy_sample(rng, 9, 100, 0.05);
    const ChangeInterval interval = hodges_lehmann(x, y, 0.95);
    const Detectability a = detectability(x, y, 0.05, 5);
    const Detectability b = detectability(x, y, 0.05, 5, &interval);
    EXPECT_EQ(a.mde_pct, b.mde_pct);
    EXPECT_EQ(a.samples_needed, b.samples_needed);
}

TEST(Detectability, TinySamplesDetectNothingButSayHowManyWould)
{
    const std::vector<double> x = {100, 103, 98};
    const std::vector<double> y = {101, 99, 104};
    const Detectability d = detectability(x, y, 0.05, 5);
    EXPECT_FALSE(d.mde_pct.has_value());
    EXPECT_GE(d.samples_needed, min_samples_for_alpha(0.05));
    EXPECT_LT(d.samples_needed, k_max_samples_needed);
}

TEST(Detectability, DeterministicSamplesDetectAnyChange)
{
    const std::vector<double> x = {3, 3, 3, 3, 3};
    const std::vector<double> y = {3, 3, 3, 3, 3};
    const Detectability d = detectability(x, y, 0.05, 5);
    ASSERT_TRUE(d.mde_pct.has_value());
    EXPECT_EQ(*d.mde_pct, 0);
    EXPECT_EQ(d.samples_needed, min_samples_for_alpha(0.05));
}

TEST(Detectability, ZeroBaselineHasNoPercentage)
{
    const std::vector<double> x = {-1, 0, 0, 0, 1, 0};
    const std::vector<double> y = {-2, 1, 0, 2, 1, 0};
    const Detectability d = detectability(x, y, 0.05, 5);
    EXPECT_FALSE(d.mde_pct.has_value());
    EXPECT_EQ(d.samples_needed, 0U);
}

// Beyond 50 per side the count is found by halving rather than by trying each in turn: it must
// still be the first count whose detectable change is within the target, and the one before it
// must not be. Noisy samples of several sizes and targets put the answers from tens to the cap.
TEST(Detectability, LargeCountsAreTheFirstThatReachTheTarget)
{
    std::mt19937_64 rng(17);
    std::size_t checked = 0;
    for (int round = 0; round < 400; ++round) {
        const std::size_t n1 = 5 + rng() % 16;
        const std::size_t n2 = 5 + rng() % 16;
        const double spread = 0.02 + 0.5 * static_cast<double>(rng() % 1000) / 1000;
        const auto x = noisy_sample(rng, n1, 100, spread);
        const auto y = noisy_sample(rng, n2, 100, spread);
        const double target_pct = 0.5 + static_cast<double>(rng() % 200) / 10;
        const Detectability d = detectability(x, y, 0.05, target_pct);
        if (d.samples_needed <= 51 || d.samples_needed >= k_max_samples_needed) continue;
        // The standard error as detectability takes it: from the interval at 1 - alpha, in logs.
        const ChangeInterval ci = hodges_lehmann(x, y, 0.95);
        ASSERT_TRUE(ci.low_pct && ci.high_pct);
        const double half = (std::log1p(*ci.high_pct / 100) - std::log1p(*ci.low_pct / 100)) / 2;
        const double se = half / interval_z(n1, n2, 0.05);
        const double sizes = 1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2);
        const auto mde_at = [&](std::size_t n) {
            return se * std::sqrt(2 / static_cast<double>(n) / sizes) * (interval_z(n, n, 0.05) + normal_quantile(0.8));
        };
        const double target = std::log1p(target_pct / 100);
        EXPECT_LE(mde_at(d.samples_needed), target * (1 + 1e-9)) << round;
        EXPECT_GT(mde_at(d.samples_needed - 1), target * (1 - 1e-9)) << round;
        ++checked;
    }
    EXPECT_GT(checked, 50U);
}

// The search for samples_needed starts past counts that cannot be the answer: the count must be
// the one a walk from half the asymptotic answer finds, trying every count in turn with
// interval_z's own z, on the raw scale as on the logarithmic one.
TEST(Detectability, SmallCountsAreWhatTheWalkFromHalfTheGuessFinds)
{
    std::mt19937_64 rng(23);
    const double z_power = normal_quantile(0.8);
    const double z_two_sided = normal_quantile(0.975);
    std::size_t checked = 0;
    for (int round = 0; round < 600; ++round) {
        const std::size_t n1 = 4 + rng() % 17;
        const std::size_t n2 = 4 + rng() % 17;
        const double spread = 0.01 + 0.3 * static_cast<double>(rng() % 1000) / 1000;
        const bool raw = round % 3 == 0;
        auto x = noisy_sample(rng, n1, 100, spread);
        auto y = noisy_sample(rng, n2, 100, spread);
        if (raw) {
            x[0] = -x[0];  // one value <= 0 puts the change on the raw scale
        }
        const double target_pct = 0.5 + static_cast<double>(rng() % 300) / 10;
        const Detectability d = detectability(x, y, 0.05, target_pct);
        const ChangeInterval ci = hodges_lehmann(x, y, 0.95);
        if (!ci.low_pct || !ci.high_pct) continue;
        const double half = raw ? (*ci.high_pct - *ci.low_pct) / 2
                                : (std::log1p(*ci.high_pct / 100) - std::log1p(*ci.low_pct / 100)) / 2;
        const double se = half / interval_z(n1, n2, 0.05);
        if (!(se > 0)) continue;
        const double sizes = 1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2);
        const double target = raw ? target_pct : std::log1p(target_pct / 100);
        const double ratio = se * (z_two_sided + z_power) / target;
        const double guess = 2 / sizes * ratio * ratio;
        if (!(guess < 40)) continue;
        std::size_t n = std::max(min_samples_for_alpha(0.05), static_cast<std::size_t>(guess * 0.5));
        const double limit = target * (1 + 1e-12);
        while (n <= 50 &&
               se * std::sqrt(2 / static_cast<double>(n) / sizes) * (interval_z(n, n, 0.05) + z_power) > limit) {
            ++n;
        }
        if (n > 50) continue;
        EXPECT_EQ(d.samples_needed, n) << round;
        ++checked;
    }
    EXPECT_GT(checked, 200U);
}

TEST(Detectability, HugeNoiseIsCapped)
{
    const std::vector<double> x = {1, 100, 10000, 3, 500, 20};
    const std::vector<double> y = {2, 90, 7000, 5, 800, 30};
    EXPECT_EQ(detectability(x, y, 0.05, 0.1).samples_needed, k_max_samples_needed);
}


// The exact distribution of U for large samples: its counts reach C(100, 50) ~ 1e29, beyond
// double's exact integers. Completely separated samples are the single most extreme arrangement,
// and a shift by one swap is one of two arrangements per tail; both p-values follow from C(n1+n2, n1).
TEST(MannWhitney, ExactDistributionOfLargeSamplesCountsEveryArrangement) {
    for (const auto& [n1, n2] : {std::pair<std::size_t, std::size_t>{50, 50}, {37, 50}, {50, 3}, {25, 25}}) {
        std::vector<double> x;
        std::vector<double> y;
        for (std::size_t i = 0; i < n1; ++i) x.push_back(static_cast<double>(i));
        for (std::size_t j = 0; j < n2; ++j) y.push_back(1000.0 + static_cast<double>(j));
        const double total = std::exp(std::lgamma(static_cast<double>(n1 + n2 + 1)) -
                                      std::lgamma(static_cast<double>(n1 + 1)) - std::lgamma(static_cast<double>(n2 + 1)));
        const UTestResult separated = mann_whitney(x, y);
        EXPECT_EQ(separated.method, UTestMethod::exact);
        EXPECT_NEAR(separated.p / (2 / total), 1.0, 1e-9) << n1 << "+" << n2;
        std::swap(x.back(), y.front());  // one x above one y: U = 1, two arrangements have U <= 1
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const UTestResult one_swap = mann_whitney(x, y);
        EXPECT_NEAR(one_swap.p / (2 * 2 / total), 1.0, 1e-9) << n1 << "+" << n2;
    }
}


// The exact test with ties against a count of every way to split the pooled sample: p doubles the
// smaller of the shares of splits with U at most and at least the observed one.
TEST(MannWhitney, ExactTiesMatchesEnumerationOfEverySplit)
{
    std::mt19937_64 rng(7);
    for (int round = 0; round < 300; ++round) {
        const std::size_t n1 = 1 + rng() % 7;
        const std::size_t n2 = 1 + rng() % 7;
        const int levels = 2 + static_cast<int>(rng() % 4);
        std::vector<double> x(n1);
        std::vector<double> y(n2);
        for (double& v : x) v = static_cast<double>(rng() % levels);
        for (double& v : y) v = static_cast<double>(rng() % levels + rng() % 2);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const UTestResult result = mann_whitney(x, y);
        if (result.method != UTestMethod::exact_ties) continue;
        std::vector<double> pooled(x);
        pooled.insert(pooled.end(), y.begin(), y.end());
        const auto twice_u = [](const std::vector<double>& a, const std::vector<double>& b) {
            long t = 0;
            for (double u : a) {
                for (double v : b) t += u > v ? 2 : (u == v ? 1 : 0);
            }
            return t;
        };
        const long observed = twice_u(x, y);
        const std::size_t n = n1 + n2;
        long splits = 0;
        long lower = 0;
        long upper = 0;
        for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
            if (static_cast<std::size_t>(std::popcount(mask)) != n1) continue;
            std::vector<double> a;
            std::vector<double> b;
            for (std::size_t i = 0; i < n; ++i) ((mask >> i) & 1u ? a : b).push_back(pooled[i]);
            const long t = twice_u(a, b);
            ++splits;
            lower += t <= observed ? 1 : 0;
            upper += t >= observed ? 1 : 0;
        }
        const double expected = std::min(1.0, 2.0 * static_cast<double>(std::min(lower, upper)) / static_cast<double>(splits));
        EXPECT_NEAR(result.p, expected, 1e-12) << "round " << round << " n1=" << n1 << " n2=" << n2;
    }
}

// The sizes of the tie groups of x and y pooled, in ascending order of value.
std::vector<std::size_t> tie_groups(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<double> pooled(x);
    pooled.insert(pooled.end(), y.begin(), y.end());
    std::sort(pooled.begin(), pooled.end());
    std::vector<std::size_t> groups;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        while (j < pooled.size() && pooled[j] == pooled[i]) ++j;
        groups.push_back(j - i);
        i = j;
    }
    return groups;
}

// The two-sided exact p-value of samples with ties by a plain count: every tie group placed in
// turn, each row of m x's kept whole (all 2U values, no pruning, no shortcut for untied values), as
// a second, independent way to the same integers.
double plain_count_p(std::vector<double> x, std::vector<double> y)
{
    const std::size_t n1 = x.size();
    const std::size_t n2 = y.size();
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    const std::vector<std::size_t> groups = tie_groups(x, y);
    long observed = 0;  // twice U of x
    for (double u : x) {
        for (double v : y) observed += u > v ? 2 : (u == v ? 1 : 0);
    }
    const std::size_t top = 2 * n1 * n2;
    // count[m][s]: ways with m x's among the values placed so far and 2U = s.
    std::vector<std::vector<double>> count(n1 + 1, std::vector<double>(top + 1, 0.0));
    count[0][0] = 1;
    std::size_t placed = 0;
    for (std::size_t t : groups) {
        std::vector<std::vector<double>> next(n1 + 1, std::vector<double>(top + 1, 0.0));
        for (std::size_t m = 0; m <= std::min(n1, placed); ++m) {
            if (placed - m > n2) continue;
            double choose = 1;  // C(t, r)
            for (std::size_t r = 0; r <= t; ++r) {
                if (r > 0) choose = choose * static_cast<double>(t - r + 1) / static_cast<double>(r);
                if (m + r > n1 || placed + t - (m + r) > n2) continue;
                const std::size_t add = r * (2 * (placed - m) + (t - r));
                for (std::size_t s = 0; s + add <= top; ++s) next[m + r][s + add] += count[m][s] * choose;
            }
        }
        count = std::move(next);
        placed += t;
    }
    double lower = 0;
    double upper = 0;
    double total = 0;
    for (std::size_t s = 0; s <= top; ++s) {
        total += count[n1][s];
        if (static_cast<long>(s) <= observed) lower += count[n1][s];
        if (static_cast<long>(s) >= observed) upper += count[n1][s];
    }
    return std::min(1.0, 2.0 * std::min(lower, upper) / total);
}

// Samples too large to enumerate every split (up to 25 a side, the exact test's limit with ties)
// against the plain count.
TEST(MannWhitney, ExactTiesMatchesPlainCountingOfLargerSamples)
{
    std::mt19937_64 rng(23);
    int compared = 0;
    for (int round = 0; round < 400; ++round) {
        const std::size_t n1 = 8 + rng() % 18;
        const std::size_t n2 = 8 + rng() % 18;
        // Few levels make heavy ties; many make mostly distinct values with a tie or two.
        const std::uint64_t levels = round % 2 == 0 ? 2 + rng() % 6 : 40 + rng() % 200;
        std::vector<double> x(n1);
        std::vector<double> y(n2);
        for (double& v : x) v = static_cast<double>(rng() % levels);
        const auto shift = static_cast<double>(rng() % 3);
        for (double& v : y) v = static_cast<double>(rng() % levels) + shift;
        const UTestResult result = mann_whitney(x, y);
        if (result.method != UTestMethod::exact_ties) continue;
        ++compared;
        const double expected = plain_count_p(x, y);
        EXPECT_NEAR(result.p, expected, 1e-12 * std::max(1.0, expected))
            << "round " << round << " n1=" << n1 << " n2=" << n2;
    }
    EXPECT_GT(compared, 300);
}

// Values that tie nothing below the first tie group and above the last are counted in from the
// untied distribution rather than walked. One tie, moved from the lowest values to the highest,
// with runs of single values of every length on either side (none at all, one, many), and the x's
// and y's interleaved or apart: the same p as the plain count.
TEST(MannWhitney, ExactTiesWhereverTheTieSits)
{
    std::mt19937_64 rng(5);
    int compared = 0;
    for (std::size_t n1 : {3u, 6u, 10u, 17u}) {
        for (std::size_t n2 : {4u, 10u, 25u}) {
            for (int spread = 0; spread < 3; ++spread) {
                // Distinct values: x's at the bottom (spread 0), interleaved (1), or random (2).
                std::vector<double> x(n1);
                std::vector<double> y(n2);
                for (std::size_t i = 0; i < n1; ++i) {
                    x[i] = spread == 0 ? static_cast<double>(i) : spread == 1 ? 2.0 * static_cast<double>(i)
                                                                               : static_cast<double>(rng() % 1000) * 64;
                }
                for (std::size_t j = 0; j < n2; ++j) {
                    y[j] = spread == 0 ? 100.0 + static_cast<double>(j) : spread == 1 ? 2.0 * static_cast<double>(j) + 1
                                                                                     : static_cast<double>(rng() % 1000) * 64 + 1;
                }
                std::vector<double> pooled(x);
                pooled.insert(pooled.end(), y.begin(), y.end());
                std::sort(pooled.begin(), pooled.end());
                for (std::size_t at = 0; at < pooled.size(); ++at) {
                    // A y takes the value at rank `at` (or an x does, when the value is a y's).
                    std::vector<double> tied_y(y);
                    std::vector<double> tied_x(x);
                    if (std::find(x.begin(), x.end(), pooled[at]) != x.end()) {
                        tied_y[at % n2] = pooled[at];
                    } else {
                        tied_x[at % n1] = pooled[at];
                    }
                    const UTestResult result = mann_whitney(tied_x, tied_y);
                    if (result.method != UTestMethod::exact_ties) continue;
                    ++compared;
                    const double expected = plain_count_p(tied_x, tied_y);
                    EXPECT_NEAR(result.p, expected, 1e-12 * std::max(1.0, expected))
                        << "n1=" << n1 << " n2=" << n2 << " spread=" << spread << " at=" << at;
                }
            }
        }
    }
    EXPECT_GT(compared, 500);
}

// The exact test with ties as it was before its walk was rewritten for speed, kept verbatim as the
// reference for the rewrite: both count the same integers, so their p-values must be the same
// doubles, bit for bit. Its untied counts come from a plain recurrence here.
namespace previous {

constexpr std::size_t k_exact_ties_max = 25;

// Arrangements of a x's and b y's, all distinct, by U: the recurrence on the largest value (an x,
// beating all b y's, or a y).
class UntiedCounts {
public:
    UntiedCounts(std::size_t a, std::size_t b) : m_top(a * b)
    {
        // count[i][j][u]: arrangements of i x's and j y's with U = u.
        std::vector<std::vector<std::vector<double>>> count(a + 1, std::vector<std::vector<double>>(b + 1));
        for (std::size_t i = 0; i <= a; ++i) {
            for (std::size_t j = 0; j <= b; ++j) {
                count[i][j].assign(i * j + 1, 0.0);
                if (i == 0 || j == 0) {
                    count[i][j][0] = 1;
                    continue;
                }
                for (std::size_t u = 0; u <= i * j; ++u) {
                    const double x_on_top = u >= j && u - j <= (i - 1) * j ? count[i - 1][j][u - j] : 0.0;
                    const double y_on_top = u <= i * (j - 1) ? count[i][j - 1][u] : 0.0;
                    count[i][j][u] = x_on_top + y_on_top;
                }
            }
        }
        double running = 0;
        for (double c : count[a][b]) {
            running += c;
            m_cumulative.push_back(running);
        }
    }
    double at_most(std::size_t u) const { return m_cumulative[std::min(u, m_top)]; }
    double exactly(std::size_t u) const
    {
        if (u > m_top) {
            return 0;
        }
        return u == 0 ? at_most(0) : at_most(u) - at_most(u - 1);
    }

private:
    std::vector<double> m_cumulative;
    std::size_t m_top;
};

double binomial_coefficient(std::size_t n, std::size_t k)
{
    k = std::min(k, n - k);
    double result = 1;
    for (std::size_t i = 1; i <= k; ++i) {
        result = result * static_cast<double>(n - k + i) / static_cast<double>(i);
    }
    return std::round(result);
}

double exact_ties_p(std::size_t n1, std::size_t n2, const std::vector<std::size_t>& groups, std::size_t observed_twice_u)
{
    // Only the tail from the observed statistic outwards is needed, and a count at 2U = s only ever
    // moves to larger s, so the table stops at the observed value. An observation above the mean
    // is the mirror image of one below it with the groups in reverse order (2U becomes
    // 2 n1 n2 - 2U), so the shorter tail is always the one counted. Every count is an integer below
    // C(50, 25) ~ 1.3e14 < 2^53, so all sums below are exact.
    thread_local std::vector<std::size_t> reversed;
    const std::vector<std::size_t>* order = &groups;
    std::size_t observed = observed_twice_u;
    if (observed > n1 * n2) {
        reversed.assign(groups.rbegin(), groups.rend());
        order = &reversed;
        observed = 2 * n1 * n2 - observed;
    }
    const std::size_t width = observed + 1;
    // dp[m * width + s]: arrangements of the groups so far with m x's and 2*U1 = s. With `placed`
    // values placed, row m can only hold s <= 2 m (placed - m), so only that prefix of each row is
    // live; touching just the prefix makes the many small tied comparisons of a suite cheap. The
    // buffer is reused across calls (one per thread).
    thread_local std::vector<double> dp;
    if (dp.size() < width * (n1 + 1)) {
        dp.resize(width * (n1 + 1));
    }
    // Every x still to come beats each y placed so far, so a cell that this already lifts past the
    // observed value can never count toward the tail: it is neither filled nor read. The bound only
    // tightens along every transition, so the cells that are kept receive all their arrangements.
    // A row with more y's than there are is empty for good.
    const auto live = [&](std::size_t m, std::size_t placed) -> std::size_t {
        if (m > placed || placed - m > n2) {
            return 0;
        }
        const std::size_t ys = placed - m;
        const std::size_t lift = 2 * (n1 - m) * ys;
        return lift > observed ? 0 : std::min(width - lift, 2 * m * ys + 1);
    };
    // The live lengths of the rows before and after the group being placed, and the ways to pick
    // r of its t values as the x's.
    thread_local std::vector<std::size_t> live_now;
    thread_local std::vector<std::size_t> live_next;
    thread_local std::vector<double> ways;
    live_now.assign(n1 + 1, 0);
    live_next.assign(n1 + 1, 0);
    // Values that tie nothing, below the first tie group and above the last, need no walk: their
    // arrangements are those of untied samples, whose counts by U are known (u_distribution). The
    // rows start as the counts after the values below the first tie, the walk places the groups
    // from the first tie to the last, and the values above the last are counted in at the end. A
    // timing metric's ties are usually a few, somewhere in the middle: most of its values are
    // single, and with this the walk is a fraction of the groups. A run of one or two single
    // values is walked all the same: that costs less than counting it in.
    constexpr std::ptrdiff_t k_least_counted_in = 3;
    const auto is_tie = [](std::size_t t) { return t > 1; };
    auto walk_begin = std::find_if(order->begin(), order->end(), is_tie);
    auto walk_end = std::max(walk_begin, std::find_if(order->rbegin(), order->rend(), is_tie).base());
    if (walk_begin - order->begin() < k_least_counted_in) {
        walk_begin = order->begin();
    }
    if (order->end() - walk_end < k_least_counted_in) {
        walk_end = order->end();
    }
    std::size_t placed = static_cast<std::size_t>(walk_begin - order->begin());
    for (std::size_t m = 0; m <= n1; ++m) {
        live_now[m] = live(m, placed);
        if (live_now[m] == 0) {
            continue;
        }
        // m x's and placed - m y's, all apart: 2U is even, twice the untied U.
        const UntiedCounts below(m, placed - m);
        double* row = &dp[m * width];
        double counted = 0;  // arrangements with U below s / 2
        for (std::size_t s = 0; s < live_now[m]; ++s) {
            if (s % 2 == 0) {
                const double up_to = below.at_most(s / 2);
                row[s] = up_to - counted;
                counted = up_to;
            } else {
                row[s] = 0;
            }
        }
    }
    for (auto group = walk_begin; group != walk_end; ++group) {
        const std::size_t t = *group;
        const std::size_t after = placed + t;
        // The groups are placed in place. A group whose values are all y's leaves every row as it
        // is (r = 0, one way, adding nothing to 2U), so only the r >= 1 moves are made, each from
        // row m into the row above it, m + r. Going down the rows, each is read as a source before
        // any row below it adds to it. Nothing beyond a row's live prefix is ever read, so the
        // buffer is not cleared: a row whose prefix grows has the new part zeroed first, and one
        // that shrinks keeps values past its end that are never read again (a live prefix, once
        // shrinking, only shrinks; a row that becomes empty stays empty).
        for (std::size_t m = 0; m <= n1; ++m) {
            live_next[m] = live(m, after);
            if (live_next[m] > live_now[m]) {
                std::fill(dp.begin() + static_cast<std::ptrdiff_t>(m * width + live_now[m]),
                          dp.begin() + static_cast<std::ptrdiff_t>(m * width + live_next[m]), 0.0);
            }
        }
        // C(t, r) by the exact integer recurrence; every one is below 2^53.
        ways.resize(t + 1);
        std::uint64_t choose = 1;
        for (std::size_t r = 0; r <= t; ++r) {
            ways[r] = static_cast<double>(choose);
            choose = choose * (t - r) / (r + 1);
        }
        // At most n2 y's in all: m x's among the placed values leave placed - m y's.
        const std::size_t m_low = placed > n2 ? placed - n2 : 0;
        for (std::size_t m = std::min(n1, placed) + 1; m-- > m_low;) {
            const std::size_t from_live = live_now[m];
            if (from_live == 0) {
                continue;
            }
            const std::size_t ys_below = placed - m;
            const std::size_t ys_room = n2 - ys_below;  // y's the group may still take
            const double* from = &dp[m * width];
            for (std::size_t r = std::max<std::size_t>(1, t > ys_room ? t - ys_room : 0); r <= t && m + r <= n1; ++r) {
                // Each of the r x's beats the ys_below y's and ties the t - r y's of its group.
                const std::size_t add = r * (2 * ys_below + t - r);
                const std::size_t to_live = live_next[m + r];
                if (add >= to_live) {
                    continue;
                }
                double* to = &dp[(m + r) * width];
                const double w = ways[r];
                // Adding the zero cells changes nothing, and without a branch the loop vectorises.
                const std::size_t end = std::min(from_live, to_live - add);
                for (std::size_t s = 0; s < end; ++s) {
                    to[s + add] += from[s] * w;
                }
            }
        }
        std::swap(live_now, live_next);
        placed = after;
    }
    double tail = 0;         // arrangements with 2U <= observed
    double at_observed = 0;  // arrangements with 2U == observed
    if (walk_end == order->end()) {
        // Every value is placed: the row of all n1 x's holds the answer.
        const double* final_row = &dp[n1 * width];
        for (std::size_t s = 0; s < live_now[n1]; ++s) {
            tail += final_row[s];
        }
        at_observed = observed < live_now[n1] ? final_row[observed] : 0;
    } else {
        // The values above the last tie: with m x's placed, the n1 - m x's to come beat the y's
        // placed so far (the lift) and the y's to come as untied samples do. Each product counts
        // a part of the C(n1 + n2, n1) arrangements, so every product and sum is an exact integer.
        for (std::size_t m = 0; m <= n1; ++m) {
            if (live_now[m] == 0) {
                continue;
            }
            const std::size_t ys = placed - m;
            const UntiedCounts above(n1 - m, n2 - ys);
            const std::size_t lift = 2 * (n1 - m) * ys;
            const double* row = &dp[m * width];
            // A live cell has s + lift <= observed.
            for (std::size_t s = 0; s < live_now[m]; ++s) {
                const std::size_t room = observed - lift - s;  // for twice the U of the values to come
                tail += row[s] * above.at_most(room / 2);
                if (room % 2 == 0) {
                    at_observed += row[s] * above.exactly(room / 2);
                }
            }
        }
    }
    const double total = binomial_coefficient(n1 + n2, n1);
    const double other_tail = total - tail + at_observed;  // arrangements with 2U >= observed
    return std::min(1.0, 2 * std::min(tail, other_tail) / total);
}

}  // namespace previous

// The tie groups (ascending) and twice U of x, as the test finds them.
std::pair<std::vector<std::size_t>, std::size_t> ties_and_twice_u(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<std::size_t> groups = tie_groups(x, y);
    std::size_t twice_u = 0;
    for (double u : x) {
        for (double v : y) twice_u += u > v ? 2 : (u == v ? 1 : 0);
    }
    return {groups, twice_u};
}

// The exact test with ties gives the previous implementation's p-values bit for bit, over samples
// of every size it takes (1 to 25 a side) and every shape of ties: a timing metric's few ties among
// distinct values, heavy ties of few levels, a tie at either end, one value on one side.
TEST(MannWhitney, ExactTiesSameDoublesAsThePreviousWalk)
{
    std::mt19937_64 rng(31);
    int compared = 0;
    for (int round = 0; round < 6000; ++round) {
        const std::size_t n1 = 1 + rng() % 25;
        const std::size_t n2 = round % 3 == 0 ? n1 : 1 + rng() % 25;
        const int shape = round % 5;
        // Levels: many (a tie or two), a moderate number, or few (heavy ties).
        const std::uint64_t levels = shape == 0 ? 3 * (n1 + n2) + rng() % 200
                                   : shape == 1 ? n1 + n2 + rng() % 20
                                   : shape == 2 ? 2 + rng() % 8
                                                : 10 + rng() % 40;
        std::vector<double> x(n1);
        std::vector<double> y(n2);
        const auto shift = static_cast<std::uint64_t>(rng() % (levels / 4 + 1));
        for (double& v : x) v = static_cast<double>(rng() % levels);
        for (double& v : y) v = static_cast<double>(rng() % levels + (rng() % 2) * shift);
        if (shape == 3) {
            // A tie at the very bottom or top, the rest apart.
            (rng() % 2 == 0 ? y.front() : y.back()) = rng() % 2 == 0 ? -1.0 : 1e9;
            (rng() % 2 == 0 ? x.front() : x.back()) = rng() % 2 == 0 ? -1.0 : 1e9;
        }
        if (shape == 4 && rng() % 4 == 0) {
            std::fill(x.begin(), x.end(), x.front());  // one value on one side
        }
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const UTestResult result = mann_whitney(Ascending{x}, Ascending{y});
        if (result.method != UTestMethod::exact_ties) continue;
        ++compared;
        const auto [groups, twice_u] = ties_and_twice_u(x, y);
        EXPECT_EQ(twice_u, static_cast<std::size_t>(2 * result.u1));
        const double expected = previous::exact_ties_p(n1, n2, groups, twice_u);
        EXPECT_EQ(std::bit_cast<std::uint64_t>(result.p), std::bit_cast<std::uint64_t>(expected))
            << "round " << round << " n1=" << n1 << " n2=" << n2 << " p=" << result.p << " expected " << expected;
    }
    EXPECT_GT(compared, 4000);
}

// The comparison passes the test of the same samples to the Hodges-Lehmann interval, which then
// takes the test's finding of ties instead of walking them again: the interval must not change.
TEST(HodgesLehmann, ReusingTheTestsTiesChangesNothing)
{
    std::mt19937_64 rng(2811);
    std::uniform_int_distribution<std::size_t> count(2, 40);
    for (int round = 0; round < 300; ++round) {
        std::vector<double> x(count(rng));
        std::vector<double> y(count(rng));
        // Even rounds draw from few values (ties), odd ones from many (usually none).
        std::uniform_int_distribution<int> value(0, round % 2 == 0 ? 8 : 1000000);
        for (double& v : x) v = 100 + value(rng);
        for (double& v : y) v = 103 + value(rng);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        const UTestResult test = mann_whitney(x, y);
        for (const double confidence : {0.9, 0.95, 0.99}) {
            const ChangeInterval alone = hodges_lehmann(x, y, confidence);
            const ChangeInterval reused = hodges_lehmann(x, y, confidence, &test);
            EXPECT_EQ(alone.estimate_pct, reused.estimate_pct) << "round " << round;
            EXPECT_EQ(alone.low_pct, reused.low_pct) << "round " << round;
            EXPECT_EQ(alone.high_pct, reused.high_pct) << "round " << round;
            EXPECT_EQ(alone.samples_needed, reused.samples_needed) << "round " << round;
        }
    }
}

// The Hodges-Lehmann interval as its definition reads: every pairwise difference made and sorted,
// the estimate their median and the bounds the k-th smallest and k-th largest, with k from the
// exact U distribution (no ties) or the tie-corrected normal approximation (ties).
struct ReferenceChange {
    bool exact = false;
    std::optional<double> estimate_pct;
    std::optional<double> low_pct;
    std::optional<double> high_pct;
};

ReferenceChange reference_change(std::vector<double> x, std::vector<double> y, double confidence)
{
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    const std::size_t n1 = x.size();
    const std::size_t n2 = y.size();
    const bool log_scale = x.front() > 0 && y.front() > 0;
    const double base = n1 % 2 == 1 ? x[n1 / 2] : x[n1 / 2 - 1] + 0.5 * (x[n1 / 2] - x[n1 / 2 - 1]);
    const auto to_pct = [&](double d) -> std::optional<double> {
        double pct = 0;
        if (log_scale) {
            pct = std::expm1(d) * 100;
        } else if (base == 0) {
            return std::nullopt;
        } else {
            pct = d / base * 100;
        }
        return std::isfinite(pct) ? std::optional<double>(pct) : std::nullopt;
    };
    const auto scaled = [&](double v) { return log_scale ? std::log(v) : v; };
    ReferenceChange change;
    if (x.front() == x.back() && y.front() == y.back()) {
        change.exact = true;
        change.estimate_pct = to_pct(scaled(y.front()) - scaled(x.front()));
        change.low_pct = change.estimate_pct;
        change.high_pct = change.estimate_pct;
        return change;
    }
    std::vector<double> diffs;
    for (double xi : x) {
        for (double yj : y) {
            diffs.push_back(scaled(yj) - scaled(xi));
        }
    }
    std::sort(diffs.begin(), diffs.end());
    const std::size_t pairs = diffs.size();
    const auto order = [&](std::size_t k) { return diffs[k - 1] + 0.0; };
    if (pairs % 2 == 1) {
        change.estimate_pct = to_pct(order((pairs + 1) / 2));
    } else {
        const double a = order(pairs / 2);
        const double b = order(pairs / 2 + 1);
        change.estimate_pct = to_pct(a + 0.5 * (b - a));
    }
    // Tie groups of the pooled sample.
    std::vector<double> pooled(x);
    pooled.insert(pooled.end(), y.begin(), y.end());
    std::sort(pooled.begin(), pooled.end());
    double sum_t3_minus_t = 0;
    bool ties = false;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        while (j < pooled.size() && pooled[j] == pooled[i]) {
            ++j;
        }
        const auto t = static_cast<double>(j - i);
        if (j - i > 1) {
            ties = true;
            sum_t3_minus_t += t * t * t - t;
        }
        i = j;
    }
    const auto a = static_cast<double>(n1);
    const auto b = static_cast<double>(n2);
    const double n = a + b;
    long k = 0;
    // Without ties and within the exact table (50 a side, STATS.md) the order is the exact one;
    // otherwise the normal approximation's.
    if (!ties && n1 <= 50 && n2 <= 50) {
        // interval_z turns the exact order back into a z: undo that.
        const double z = interval_z(n1, n2, 1 - confidence);
        const double sigma = std::sqrt(a * b / 12.0 * (n + 1));
        k = std::isfinite(z) ? std::lround(static_cast<double>(pairs) / 2 + 0.5 - z * sigma) : 0;
    } else {
        const double tail = (1 - confidence) / 2;
        const double z = normal_quantile(1 - tail);
        const double sigma = std::sqrt(a * b / 12.0 * ((n + 1) - sum_t3_minus_t / (n * (n - 1))));
        const double k_real = std::floor(static_cast<double>(pairs) / 2 - z * sigma);
        k = k_real >= 1 ? static_cast<long>(k_real) : 0;
    }
    k = std::min(k, static_cast<long>((pairs + 1) / 2));
    if (k >= 1) {
        change.low_pct = to_pct(order(static_cast<std::size_t>(k)));
        change.high_pct = to_pct(order(pairs + 1 - static_cast<std::size_t>(k)));
        if (change.low_pct && change.high_pct && *change.low_pct > *change.high_pct) {
            std::swap(change.low_pct, change.high_pct);
        }
    }
    return change;
}

// Bit for bit, so that a -0 cannot pass for a 0.
bool same_value(OptionalDouble got, std::optional<double> want)
{
    return got.has_value() == want.has_value() &&
           (!want || std::bit_cast<std::uint64_t>(*got) == std::bit_cast<std::uint64_t>(*want));
}

// The interval of ascending samples, reusing their test's ties, is the reference's (every
// difference sorted) bit for bit at each confidence.
void expect_agrees_with_reference(const std::vector<double>& x, const std::vector<double>& y,
                                  std::initializer_list<double> confidences, int round)
{
    const UTestResult test = mann_whitney(Ascending{x}, Ascending{y});
    for (const double confidence : confidences) {
        const ReferenceChange want = reference_change(x, y, confidence);
        const ChangeInterval got = hodges_lehmann(Ascending{x}, Ascending{y}, confidence, &test);
        EXPECT_EQ(got.exact, want.exact) << "round " << round;
        EXPECT_TRUE(same_value(got.estimate_pct, want.estimate_pct)) << "round " << round << " " << got.estimate_pct;
        EXPECT_TRUE(same_value(got.low_pct, want.low_pct)) << "round " << round << " " << got.low_pct;
        EXPECT_TRUE(same_value(got.high_pct, want.high_pct)) << "round " << round << " " << got.high_pct;
    }
}

// The interval selects only the few order statistics it needs among grouped differences: it must
// agree with sorting every difference, whatever the samples (ties, one value, equal samples,
// negative values, zeros, mixed signs, unequal sizes from 1 to 30).
TEST(HodgesLehmann, AgreesWithSortingEveryDifference)
{
    std::mt19937_64 rng(20261128);
    std::uniform_int_distribution<std::size_t> count(1, 30);
    std::lognormal_distribution<double> noise(0.0, 0.1);
    std::uniform_int_distribution<int> small(-3, 3);
    std::uniform_int_distribution<int> few(1, 4);
    std::uniform_real_distribution<double> spread(-5.0, 5.0);
    for (int round = 0; round < 4000; ++round) {
        std::vector<double> x(count(rng));
        std::vector<double> y(count(rng));
        const int shape = round % 10;
        for (double& v : x) {
            v = shape == 0 ? 100 * noise(rng) : shape == 1 ? small(rng) : shape == 2 ? few(rng) : -50 * noise(rng);
        }
        for (double& v : y) {
            v = shape == 0 ? 103 * noise(rng) : shape == 1 ? small(rng) + 1 : shape == 2 ? few(rng) + 1 : -52 * noise(rng);
        }
        if (shape == 4) {
            y = x;  // equal samples
        } else if (shape == 5) {
            std::fill(x.begin(), x.end(), 7.0);  // one value on one side
        } else if (shape == 6) {
            std::fill(x.begin(), x.end(), 7.0);  // one value on both sides
            std::fill(y.begin(), y.end(), round % 16 < 8 ? 7.0 : 9.5);
        } else if (shape == 7) {
            x.front() = 0;  // zeros keep the raw scale
            y.back() = 0;
        } else if (shape == 8) {
            for (double& v : x) {
                v = spread(rng);  // both signs on both sides, a zero baseline now and then
            }
            for (double& v : y) {
                v = round % 20 < 10 ? spread(rng) + 1 : std::round(spread(rng));
            }
        } else if (shape == 9) {
            for (double& v : x) {
                v = small(rng) == 0 ? 0.0 : spread(rng);  // many zeros among mixed signs
            }
            for (double& v : y) {
                v = small(rng) < 0 ? 0.0 : small(rng) * 0.5;
            }
        }
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        expect_agrees_with_reference(x, y, {0.9, 0.95, 0.99}, round);
    }
}

// Runs of equal values make runs of equal differences, which share a group: whole groups of 1 to
// 36 equal differences (either side of the 16 that are sorted, and not partitioned, in a small
// array), among others, on both scales and with negative values, must agree with sorting every
// difference.
TEST(HodgesLehmann, GroupsOfEqualDifferencesAgreeWithSortingEveryDifference)
{
    std::mt19937_64 rng(20261130);
    std::uniform_int_distribution<std::size_t> copies(1, 6);
    std::uniform_int_distribution<std::size_t> others(0, 8);
    std::uniform_int_distribution<int> value(1, 40);
    for (int round = 0; round < 3000; ++round) {
        const int shape = round % 3;
        // Two values repeated, then other values drawn from a few: 1 or more on each side.
        const double repeated_x = shape == 2 ? -7.0 : 10.0;
        const double repeated_y = shape == 1 ? 0.0 : 12.0;
        std::vector<double> x(copies(rng), repeated_x);
        std::vector<double> y(copies(rng), repeated_y);
        for (std::size_t i = others(rng); i > 0; --i) {
            x.push_back(shape == 2 ? value(rng) - 20.0 : value(rng));
        }
        for (std::size_t i = others(rng); i > 0; --i) {
            y.push_back(value(rng) + (round % 2 == 0 ? 0.5 : 0.0));
        }
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        expect_agrees_with_reference(x, y, {0.8, 0.95}, round);
    }
}

// Larger samples (65 to 320 a side: 4,225 to 102,400 differences) make their differences once for
// all the interval's statistics, up to the materialisation limit, and select by bisection above
// it: both must agree with sorting every difference, with ties, an outlier and on both scales.
TEST(HodgesLehmann, LargeSamplesAgreeWithSortingEveryDifference)
{
    std::mt19937_64 rng(20261129);
    std::uniform_int_distribution<std::size_t> count(65, 320);
    std::lognormal_distribution<double> noise(0.0, 0.2);
    std::uniform_int_distribution<int> small(0, 9);
    for (int round = 0; round < 24; ++round) {
        const int shape = round % 4;
        auto [x, y] = interval_samples(rng, count, noise, small, shape == 1);
        if (shape == 2) {
            y.back() = 1e9;  // one outlier puts nearly every difference in one group
        } else if (shape == 3) {
            x.front() = 0;  // a zero keeps the raw scale
        }
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        expect_agrees_with_reference(x, y, {0.9, 0.99}, round);
    }
}

// Samples already in ascending order skip scanning for their scale; both entries must agree, on
// the log scale, the raw scale and with a zero baseline, and at two alternating alphas (which the
// per-thread tables of interval_z keep apart).
TEST(Detectability, AscendingSamplesGiveTheSameAnswer)
{
    std::mt19937_64 rng(77);
    std::uniform_int_distribution<std::size_t> count(1, 20);
    std::lognormal_distribution<double> noise(0.0, 0.1);
    for (int round = 0; round < 600; ++round) {
        std::vector<double> x(count(rng));
        std::vector<double> y(count(rng));
        const int shape = round % 4;
        for (double& v : x) v = (shape == 1 ? -100 : 100) * noise(rng);
        for (double& v : y) v = (shape == 1 ? -104 : 104) * noise(rng);
        if (shape == 2) {
            x.front() = 0;
        } else if (shape == 3) {
            std::fill(x.begin(), x.end(), 5.0);
            std::fill(y.begin(), y.end(), 5.0);
        }
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        for (const double alpha : {0.05, 0.1}) {
            const Detectability a = detectability(std::span<const double>(x), std::span<const double>(y), alpha, 5);
            const Detectability b = detectability(Ascending{x}, Ascending{y}, alpha, 5);
            EXPECT_TRUE(a.mde_pct == b.mde_pct) << "round " << round;
            EXPECT_EQ(a.samples_needed, b.samples_needed) << "round " << round;
        }
    }
}

// U of distinct values comes from a walk over both sorted samples: it must be the U that counting
// every pair gives, for small samples and large.
TEST(MannWhitney, UOfDistinctValuesMatchesCountingEveryPair)
{
    std::mt19937_64 rng(1129);
    for (const std::size_t n : {3u, 10u, 31u, 33u, 60u}) {
        for (int round = 0; round < 20; ++round) {
            std::vector<double> x(n);
            std::vector<double> y(n + 1);
            std::uniform_real_distribution<double> value(0, 1);
            for (double& v : x) v = value(rng);
            for (double& v : y) v = value(rng) + 0.1;
            double u1 = 0;
            for (double a : x) {
                for (double b : y) u1 += a > b ? 1 : 0;
            }
            const UTestResult test = mann_whitney(x, y);
            ASSERT_FALSE(test.has_ties);
            EXPECT_EQ(test.u1, u1) << "n=" << n;
        }
    }
}

// One value on both sides (a deterministic metric) is settled before the ties are walked; the
// result must be the walk's: every pair ties.
TEST(MannWhitney, OneValueOnBothSidesIsAllEqual)
{
    const UTestResult same = mann_whitney(std::vector<double>{5, 5, 5}, std::vector<double>{5, 5});
    EXPECT_EQ(same.method, UTestMethod::all_equal);
    EXPECT_TRUE(same.has_ties);
    EXPECT_EQ(same.u1, 3);
    EXPECT_EQ(same.p, 1);
    const UTestResult zeros = mann_whitney(std::vector<double>{-0.0, 0.0}, std::vector<double>{0.0});
    EXPECT_EQ(zeros.method, UTestMethod::all_equal);
    EXPECT_EQ(zeros.u1, 1);
    const UTestResult single = mann_whitney(Ascending{std::vector<double>{7}}, Ascending{std::vector<double>{7}});
    EXPECT_EQ(single.method, UTestMethod::all_equal);
    EXPECT_TRUE(single.has_ties);
    EXPECT_EQ(single.u1, 0.5);
    EXPECT_EQ(single.p, 1);
    // One value a side, but two values in all: ties within each side, not the all-equal case.
    const UTestResult apart = mann_whitney(std::vector<double>{5, 5}, std::vector<double>{6, 6});
    EXPECT_NE(apart.method, UTestMethod::all_equal);
    EXPECT_EQ(apart.u1, 0);
}

// Parsers let no NaN through, but the statistics take any span: a NaN among the samples gives no
// meaningful interval, and must not make the selection read or write outside its buffers.
TEST(HodgesLehmann, NaNAmongSamplesStaysInBounds)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t at = 0; at < 6; ++at) {
        std::vector<double> x = {1, 2, 3, 4, 5, 6};
        std::vector<double> y = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5};
        x[at] = nan;
        (void)hodges_lehmann(x, y, 0.9);
        (void)hodges_lehmann(y, x, 0.9);
    }
    SUCCEED();
}

// The overloads for samples already in ascending order give what the general ones give for the
// same samples in any order.
TEST(Stats, AscendingOverloadsAgreeWithUnsortedSamples) {
    std::mt19937_64 rng(2811);
    std::uniform_int_distribution<int> size(1, 40);
    std::uniform_int_distribution<int> digits(1, 30);
    for (int round = 0; round < 400; ++round) {
        std::vector<double> x(static_cast<std::size_t>(size(rng)));
        std::vector<double> y(static_cast<std::size_t>(size(rng)));
        // Few distinct values in some rounds, so that ties and all-equal samples come up.
        const int spread = round % 4 == 0 ? 2 : 1000;
        for (double& v : x) v = 1 + digits(rng) % spread;
        for (double& v : y) v = (round % 3 == 0 ? -20 : 1) + digits(rng) % spread;
        std::vector<double> sx = x;
        std::vector<double> sy = y;
        std::sort(sx.begin(), sx.end());
        std::sort(sy.begin(), sy.end());
        for (const Center center : {Center::median, Center::mean, Center::min}) {
            const Summary a = summarize(x, 0.95, center);
            const Summary b = summarize(Ascending{sx}, 0.95, center);
            EXPECT_EQ(a.n, b.n);
            EXPECT_EQ(a.all_equal, b.all_equal);
            ASSERT_EQ(a.lo.has_value(), b.lo.has_value());
            ASSERT_EQ(a.hi.has_value(), b.hi.has_value());
            if (center != Center::mean) {
                EXPECT_EQ(a.center, b.center) << round;
                EXPECT_EQ(a.lo, b.lo) << round;
                EXPECT_EQ(a.hi, b.hi) << round;
            } else {
                // The mean is summed in the samples' order: the same up to rounding.
                EXPECT_NEAR(a.center, b.center, 1e-12 * std::abs(a.center)) << round;
                if (a.lo) {
                    EXPECT_NEAR(*a.lo, *b.lo, 1e-9 * std::abs(*a.lo)) << round;
                }
                if (a.hi) {
                    EXPECT_NEAR(*a.hi, *b.hi, 1e-9 * std::abs(*a.hi)) << round;
                }
            }
        }
        const UTestResult t1 = mann_whitney(x, y);
        const UTestResult t2 = mann_whitney(Ascending{sx}, Ascending{sy});
        EXPECT_EQ(t1.p, t2.p) << round;
        EXPECT_EQ(t1.u1, t2.u1) << round;
        EXPECT_EQ(t1.method, t2.method) << round;
        EXPECT_EQ(t1.has_ties, t2.has_ties) << round;
        const ChangeInterval c1 = hodges_lehmann(x, y, 0.95, &t1);
        const ChangeInterval c2 = hodges_lehmann(Ascending{sx}, Ascending{sy}, 0.95, &t2);
        EXPECT_EQ(c1.estimate_pct, c2.estimate_pct) << round;
        EXPECT_EQ(c1.low_pct, c2.low_pct) << round;
        EXPECT_EQ(c1.high_pct, c2.high_pct) << round;
        EXPECT_EQ(c1.log_scale, c2.log_scale) << round;
        EXPECT_EQ(c1.exact, c2.exact) << round;
        EXPECT_EQ(c1.samples_needed, c2.samples_needed) << round;
    }
}

}  // namespace
}  // namespace ksail_benchstat
