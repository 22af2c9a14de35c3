// Statistics core: medians, median confidence intervals, the Mann-Whitney U test and the
// Hodges-Lehmann interval of the change (see docs/statistics.md).
#include "ksail_benchstat/stats.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <utility>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/erf.hpp>

namespace ksail_benchstat {
namespace {

// benchstat's median intervals at 0.95 for n = 0..30. Entries 21..30 carry the tie-breaks that
// Go's lgamma-based binomial coefficients produce (n = 24 comes out as 8,18 where exact arithmetic
// gives 7,17), so they cannot be re-derived portably: we keep them as data.
constexpr double k_table_confidence = 0.95;
constexpr std::array<OrderInterval, 31> k_median_ci_table_95 = {{
    {0, 1},                                                               // n = 0 (never used)
    {0, 2},   {0, 3},   {0, 4},   {0, 5},   {0, 5},   {1, 6},   {1, 7},   {1, 7},   {2, 8},   {2, 9},
    {2, 9},   {3, 10},  {3, 11},  {3, 11},  {4, 12},  {4, 12},  {5, 13},  {5, 14},  {5, 14},  {6, 15},
    {6, 16},  {6, 16},  {7, 17},  {8, 18},  {8, 18},  {8, 19},  {8, 19},  {9, 20},  {9, 20},  {10, 21},
}};
// Above this size the median interval uses the normal approximation of the binomial (benchstat).
constexpr std::size_t k_median_ci_exact_max = 30;
// Exact U distribution limits (STATS.md): without ties, and with ties.
constexpr std::size_t k_exact_max = 50;
constexpr std::size_t k_exact_ties_max = 25;
// Up to this many pairwise differences we materialise them (the Hodges-Lehmann interval once for
// all its statistics); above, we select by bisection.
constexpr std::size_t k_materialize_limit = 100000;
// Tail probabilities that equal a threshold mathematically may land an ulp above it in floating
// point; this relative slack keeps such boundary cases on the inclusive side.
constexpr double k_threshold_slack = 1e-12;

// A small per-thread memo for a pure function of two sample counts and a level (alpha, a
// confidence or a tail probability): a large suite asks the same few questions for every one of
// its rows. A slot holds the last answer whose key hashed to it.
class CountsMemo {
public:
    const double* find(std::size_t n1, std::size_t n2, double level) const {
        const Slot& s = m_slots[index(n1, n2, level)];
        return s.used && s.n1 == n1 && s.n2 == n2 && s.level == level ? &s.value : nullptr;
    }
    double put(std::size_t n1, std::size_t n2, double level, double value) {
        m_slots[index(n1, n2, level)] = {n1, n2, level, value, true};
        return value;
    }

private:
    struct Slot {
        std::size_t n1 = 0;
        std::size_t n2 = 0;
        double level = 0;
        double value = 0;
        bool used = false;
    };
    static std::size_t index(std::size_t n1, std::size_t n2, double level) {
        std::uint64_t h = (static_cast<std::uint64_t>(n1) << 32 ^ n2) * 0x9E3779B97F4A7C15ULL;
        h ^= std::bit_cast<std::uint64_t>(level) * 0xC2B2AE3D27D4EB4FULL;
        return static_cast<std::size_t>((h ^ (h >> 29)) % k_slots);
    }
    static constexpr std::size_t k_slots = 256;
    std::array<Slot, k_slots> m_slots{};
};

// Counts of the exact null distribution of U (no ties) for one pair of sample sizes, accumulated:
// cumulative[u] = number of arrangements with U <= u; total = C(n1 + n2, n1).
struct UDistribution {
    std::vector<double> cumulative;
    double total = 0;
};

// Arrangement counts by U are the coefficients of the Gaussian binomial coefficient
//   [n1 + n2 choose n1]_q = prod_{i=1..n1} (1 - q^(n2 + i)) / (1 - q^i),
// whose coefficients are counts no larger than C(100, 50) ~ 1e29. They are held in 128-bit integers
// and rounded to double once. The arithmetic wraps, which is exact modulo 2^128: multiplying by
// (1 - q^a) and dividing by it (as a power series, times 1 + q^a + q^2a + ...) are ring operations,
// so the counts that come out, all in range, are exact whatever the intermediate polynomials hold.
__extension__ using Count = unsigned __int128;

// c (of the given degree, zero above it) times (1 - q^a); returns the new degree. c must have room.
std::size_t times_one_minus_q_to(std::vector<Count>& c, std::size_t degree, std::size_t a)
{
    // From the top down so that each c[u - a] is still the old coefficient.
    for (std::size_t u = degree + a; u >= a; --u) {
        c[u] -= c[u - a];
    }
    return degree + a;
}

// c divided by (1 - q^a), which divides it exactly; returns the new degree.
std::size_t divided_by_one_minus_q_to(std::vector<Count>& c, std::size_t degree, std::size_t a)
{
    // The quotient's coefficients follow from the bottom up.
    const std::size_t quotient = degree - a;
    for (std::size_t u = a; u <= quotient; ++u) {
        c[u] += c[u - a];
    }
    for (std::size_t u = quotient + 1; u <= degree; ++u) {
        c[u] = 0;  // the remainder, zero for an exact division
    }
    return quotient;
}

// The counts for (n1, n2), one factor pair at a time: after step i the polynomial is
// [n2 + i choose i]_q. O(n1 * n1 n2) rather than the O((n1 n2)^2) of the recurrence on the largest
// element.
std::vector<Count> u_counts(std::size_t n1, std::size_t n2)
{
    std::vector<Count> c(n1 * n2 + n1 + 1, 0);
    c[0] = 1;
    std::size_t degree = 0;
    for (std::size_t i = 1; i <= n1; ++i) {
        degree = times_one_minus_q_to(c, degree, n2 + i);
        degree = divided_by_one_minus_q_to(c, degree, i);
    }
    return c;
}

// The counts for (n + 1, n + 1) from those for (n, n), in place:
//   [2n + 2 choose n + 1]_q = [2n choose n]_q (1 - q^(2n + 1)) (1 - q^(2n + 2)) / (1 - q^(n + 1))^2,
// O(n^2) where starting over costs O(n^3).
void step_equal_counts(std::vector<Count>& c, std::size_t n)
{
    c.resize((n + 1) * (n + 1) + 2 * n + 3, 0);
    std::size_t degree = n * n;
    degree = times_one_minus_q_to(c, degree, 2 * n + 1);
    degree = times_one_minus_q_to(c, degree, 2 * n + 2);
    degree = divided_by_one_minus_q_to(c, degree, n + 1);
    divided_by_one_minus_q_to(c, degree, n + 1);
}

// Rounded to the nearest double. A count that fits in 64 bits converts from those, which rounds
// the same and is much cheaper than the 128-bit conversion.
double count_to_double(Count count)
{
    if (count <= std::numeric_limits<std::uint64_t>::max()) {
        return static_cast<double>(static_cast<std::uint64_t>(count));
    }
    return static_cast<double>(count);
}

std::unique_ptr<const UDistribution> make_u_distribution(const std::vector<Count>& c, std::size_t n1, std::size_t n2)
{
    auto dist = std::make_unique<UDistribution>();
    dist->cumulative.resize(n1 * n2 + 1);
    Count running = 0;
    for (std::size_t u = 0; u <= n1 * n2; ++u) {
        running += c[u];
        dist->cumulative[u] = count_to_double(running);
    }
    dist->total = count_to_double(running);
    return dist;
}

// The distribution depends only on the unordered pair of sizes; every row of a comparison with the
// same sizes reuses it. The shared cache owns each distribution for the life of the program; each
// thread also remembers the ones it has used, so a suite of many rows takes the lock once per size
// pair and thread instead of once per row.
const UDistribution& shared_u_distribution(std::size_t n1, std::size_t n2)
{
    static std::mutex mutex;
    static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<const UDistribution>> cache;
    // Detectability asks for equal sizes n, n + 1, n + 2, ... in turn: the counts of the largest
    // equal pair built so far are kept so that the next ones continue from them.
    static std::vector<Count> equal_counts;
    static std::size_t equal_n = 0;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{n1, n2}];
    if (slot) {
        return *slot;
    }
    if (n1 != n2) {
        slot = make_u_distribution(u_counts(n1, n2), n1, n2);
        return *slot;
    }
    // Each step costs about 4 n^2 against n^3 for a fresh start.
    if (n1 > equal_n && 4 * (n1 - equal_n) <= n1) {
        for (; equal_n < n1; ++equal_n) {
            step_equal_counts(equal_counts, equal_n);
        }
    } else if (n1 > equal_n) {
        equal_counts = u_counts(n1, n1);
        equal_n = n1;
    } else {
        slot = make_u_distribution(u_counts(n1, n1), n1, n1);
        return *slot;
    }
    slot = make_u_distribution(equal_counts, n1, n1);
    return *slot;
}

const UDistribution& u_distribution(std::size_t n1, std::size_t n2)
{
    const auto [a, b] = std::minmax(n1, n2);
    if (b > k_exact_max) {
        return shared_u_distribution(a, b);
    }
    thread_local std::array<const UDistribution*, (k_exact_max + 1) * (k_exact_max + 1)> known{};
    const UDistribution*& slot = known[a * (k_exact_max + 1) + b];
    if (slot == nullptr) {
        slot = &shared_u_distribution(a, b);
    }
    return *slot;
}

double binomial_coefficient(std::size_t n, std::size_t k)
{
    if (k > n) {
        return 0;
    }
    k = std::min(k, n - k);
    double result = 1;
    for (std::size_t i = 1; i <= k; ++i) {
        result = result * static_cast<double>(n - k + i) / static_cast<double>(i);
    }
    return std::round(result);
}

// What the test needs to know about the pooled sample.
struct PooledTies {
    bool any = false;
    bool all_equal = false;
    double sum_t3_minus_t = 0;
};

// `values` in ascending order: the span itself when it already is (the comparison passes sorted
// samples), otherwise a sorted copy in `scratch`. Statistics run once per row of large suites, so
// they reuse per-thread buffers rather than allocate.
std::span<const double> ascending(std::span<const double> values, std::vector<double>& scratch)
{
    if (std::is_sorted(values.begin(), values.end())) {
        return values;
    }
    scratch.assign(values.begin(), values.end());
    std::sort(scratch.begin(), scratch.end());
    return scratch;
}

// Whether both sides (ascending, neither empty) are one and the same value: a deterministic
// metric's row (B/op, allocs/op), the commonest of a Go suite, in which every x ties every y.
bool one_value(std::span<const double> sorted_x, std::span<const double> sorted_y)
{
    return sorted_x.front() == sorted_x.back() && sorted_y.front() == sorted_y.back() &&
           sorted_x.front() == sorted_y.front();
}

// A tie group's term in the tie correction of the U test's variance: t^3 - t for t equal values.
double tie_term(std::size_t size)
{
    const auto t = static_cast<double>(size);
    return t * t * t - t;
}

// Whether no value occurs twice in the pooled sample (both sides ascending), with twice U of x
// (2 #(x > y)) when so: the common case, and a cheaper walk than the tie walk of pooled_ties.
bool all_distinct(std::span<const double> sorted_x, std::span<const double> sorted_y, std::size_t& twice_u1)
{
    if (std::adjacent_find(sorted_x.begin(), sorted_x.end()) != sorted_x.end() ||
        std::adjacent_find(sorted_y.begin(), sorted_y.end()) != sorted_y.end()) {
        return false;
    }
    std::size_t twice = 0;
    std::size_t j = 0;
    for (double v : sorted_x) {
        while (j < sorted_y.size() && sorted_y[j] < v) {
            ++j;
        }
        if (j < sorted_y.size() && sorted_y[j] == v) {
            return false;
        }
        twice += 2 * j;
    }
    twice_u1 = twice;
    return true;
}

// The ties of the pooled sample (both sides ascending). `twice_u1`, when given, receives twice U
// of x: 2 #(x > y) + #(x == y), an integer; `groups`, when given and some value occurs twice, the
// sizes of the tie groups in ascending value order. The usual case of no repeated value is settled
// by all_distinct; otherwise the pooled sample is walked once, a tie group at a time.
PooledTies pooled_ties(std::span<const double> sorted_x, std::span<const double> sorted_y,
                       std::vector<std::size_t>* groups, std::size_t* twice_u1)
{
    if (!sorted_x.empty() && !sorted_y.empty() && one_value(sorted_x, sorted_y)) {
        // One value on both sides: one tie group, known without a walk.
        const std::size_t size = sorted_x.size() + sorted_y.size();
        if (groups != nullptr) {
            groups->push_back(size);
        }
        if (twice_u1 != nullptr) {
            *twice_u1 = sorted_x.size() * sorted_y.size();
        }
        return PooledTies{true, true, tie_term(size)};
    }
    std::size_t distinct_twice = 0;
    if (all_distinct(sorted_x, sorted_y, distinct_twice)) {
        if (twice_u1 != nullptr) {
            *twice_u1 = distinct_twice;
        }
        return PooledTies{};
    }
    PooledTies ties;
    std::size_t twice = 0;
    std::size_t i = 0;
    std::size_t j = 0;
    std::size_t count = 0;
    while (i < sorted_x.size() || j < sorted_y.size()) {
        const double v = j == sorted_y.size() || (i < sorted_x.size() && sorted_x[i] < sorted_y[j]) ? sorted_x[i]
                                                                                                  : sorted_y[j];
        const std::size_t x_from = i;
        const std::size_t y_from = j;
        while (i < sorted_x.size() && sorted_x[i] == v) {
            ++i;
        }
        while (j < sorted_y.size() && sorted_y[j] == v) {
            ++j;
        }
        const std::size_t in_x = i - x_from;
        const std::size_t in_y = j - y_from;
        // Each x of the group beats the y_from y's below it and ties the group's y's.
        twice += in_x * (2 * y_from + in_y);
        const std::size_t size = in_x + in_y;
        if (size > 1) {
            ties.any = true;
            ties.sum_t3_minus_t += tie_term(size);
        }
        if (groups != nullptr) {
            groups->push_back(size);
        }
        ++count;
    }
    ties.all_equal = count == 1;
    if (twice_u1 != nullptr) {
        *twice_u1 = twice;
    }
    return ties;
}

// Variance of U under the null, corrected for ties.
double u_sigma(std::size_t n1, std::size_t n2, double sum_t3_minus_t)
{
    const auto a = static_cast<double>(n1);
    const auto b = static_cast<double>(n2);
    const double n = a + b;
    return std::sqrt(a * b / 12.0 * ((n + 1) - sum_t3_minus_t / (n * (n - 1))));
}

// Arrangements of a x's and b y's, all distinct, by U (the pairs in which an x beats a y), from
// the untied distribution: exact integers while a + b <= 50 (at most C(50, 25) < 2^53).
class UntiedCounts {
public:
    UntiedCounts(std::size_t a, std::size_t b)
        : m_cumulative(a == 0 || b == 0 ? &k_one : u_distribution(a, b).cumulative.data()), m_top(a * b) {}
    // Arrangements with U <= u, for u up to top().
    double at_most(std::size_t u) const { return m_cumulative[u]; }
    // Arrangements with U == u, for u up to top().
    double exactly(std::size_t u) const { return u == 0 ? m_cumulative[0] : m_cumulative[u] - m_cumulative[u - 1]; }
    // The largest U, a * b.
    std::size_t top() const { return m_top; }

private:
    static constexpr double k_one = 1;  // a side is empty: one arrangement, U = 0
    const double* m_cumulative;
    std::size_t m_top;
};

// C(n, k) for every n up to the largest pooled sample of the exact test with ties, by Pascal's
// rule: each is an integer below C(50, 25) < 2^53, exact in a double.
constexpr std::size_t k_ties_pooled_max = 2 * k_exact_ties_max;
using BinomialTable = std::array<std::array<double, k_ties_pooled_max + 1>, k_ties_pooled_max + 1>;
constexpr BinomialTable make_binomial_table()
{
    BinomialTable c{};
    for (std::size_t n = 0; n <= k_ties_pooled_max; ++n) {
        c[n][0] = 1;
        for (std::size_t k = 1; k <= n; ++k) {
            c[n][k] = c[n - 1][k - 1] + c[n - 1][k];
        }
    }
    return c;
}
constexpr BinomialTable k_binomials = make_binomial_table();

// Exact permutation test given the tie groups (in ascending value order). Every count is an
// integer no larger than C(50, 25) ~ 1.3e14 < 2^53, so the doubles hold them exactly; every sum
// and product below counts a part of the C(n1 + n2, n1) arrangements, so it is exact too, whatever
// the order in which it is formed.
double exact_ties_p(std::size_t n1, std::size_t n2, const std::vector<std::size_t>& groups, std::size_t observed_twice_u)
{
    // Only the tail from the observed statistic outwards is needed: arrangements with 2U at most
    // the observed value, and those exactly at it. An observation above the mean is the mirror
    // image of one below it with the groups in reverse order (2U becomes 2 n1 n2 - 2U), so the
    // shorter tail is always the one counted.
    struct Scratch {
        std::vector<std::size_t> reversed;
        std::vector<double> dp;
    };
    thread_local Scratch scratch;
    const std::vector<std::size_t>* order = &groups;
    std::size_t observed = observed_twice_u;
    if (observed > n1 * n2) {
        scratch.reversed.assign(groups.rbegin(), groups.rend());
        order = &scratch.reversed;
        observed = 2 * n1 * n2 - observed;
    }
    const std::size_t pooled = n1 + n2;
    const std::size_t width = observed + 1;
    // dp[m * width + s]: arrangements of the values placed so far with m x's and 2*U1 = s. The
    // buffer is reused across calls and never cleared: only each row's live cells (below) are
    // ever read, and cells that become live are zeroed before anything is added to them.
    if (scratch.dp.size() < width * (n1 + 1)) {
        scratch.dp.resize(width * (n1 + 1));
    }
    double* const dp = scratch.dp.data();

    // Which cells are live. A count at 2U = s only ever moves to larger s as values are placed.
    // - Above: every x still to come beats each y placed so far (the lift), so a cell that this
    //   lifts past the observed value can never count toward the tail. With `placed` values
    //   placed, row m also holds s <= 2 m (placed - m) at most. The lift only grows along every
    //   transition, so the cells that are kept receive all their arrangements.
    // - Below: the n1 - m x's to come add at most 2 (n1 - m) n2 in all (each beats or ties each
    //   y), so a cell further below the observed value than that has every one of its completions
    //   in the tail, and none at the observed value: it is settled at once, its count times the
    //   number of ways to place the values to come, C(pooled - placed, n1 - m). The bound is the
    //   same for every `placed`: row m's live cells always start at first[m].
    // The lift shrinks as m grows, so the rows that can hold live cells are a range, from the
    // lowest one that the lift leaves a cell (and that leaves at most n2 y's placed) up to
    // min(n1, placed), whose lift is 0; the lowest only rises as values are placed. A row's end
    // first grows and then only shrinks, so the cells past it are never read again.
    const auto lift = [&](std::size_t m, std::size_t placed) { return 2 * (n1 - m) * (placed - m); };
    const auto end_of = [&](std::size_t m, std::size_t placed) {
        return std::min(width - lift(m, placed), 2 * m * (placed - m) + 1);
    };
    const auto lowest_row = [&](std::size_t placed, std::size_t from) {
        std::size_t m = std::max(from, placed > n2 ? placed - n2 : 0);
        while (lift(m, placed) > observed) {
            ++m;
        }
        return m;
    };
    // (The arrays are filled before they are read, each only as far as it is read.)
    std::array<std::size_t, k_exact_ties_max + 1> first;
    for (std::size_t m = 0; m <= n1; ++m) {
        const std::size_t reach = 2 * (n1 - m) * n2;
        first[m] = observed > reach ? observed - reach : 0;
    }
    // Each live row's end before and after the group being placed.
    std::array<std::size_t, k_exact_ties_max + 1> ends_one;
    std::array<std::size_t, k_exact_ties_max + 1> ends_other;
    std::size_t* end_before = ends_one.data();
    std::size_t* end_after = ends_other.data();
    double tail = 0;  // arrangements with 2U <= observed
    const auto settle = [&](double count, std::size_t m, std::size_t placed) {
        tail += count * k_binomials[pooled - placed][n1 - m];
    };

    // Values that tie nothing, below the first tie group and above the last, need no walk: their
    // arrangements are those of untied samples, whose counts by U are known (u_distribution). The
    // rows start as the counts after the values below the first tie, the walk places the groups
    // from the first tie to the last, and the values above the last are counted in at the end. A
    // timing metric's ties are usually a few, somewhere in the middle: most of its values are
    // single, and with this the walk is a fraction of the groups.
    const auto is_tie = [](std::size_t t) { return t > 1; };
    const auto walk_begin = std::find_if(order->begin(), order->end(), is_tie);
    const auto walk_end = std::max(walk_begin, std::find_if(order->rbegin(), order->rend(), is_tie).base());
    std::size_t placed = static_cast<std::size_t>(walk_begin - order->begin());
    std::size_t bottom = lowest_row(placed, 0);
    std::size_t top = std::min(n1, placed);
    for (std::size_t m = bottom; m <= top; ++m) {
        // m x's and placed - m y's, all apart: 2U is even, twice the untied U.
        const UntiedCounts below(m, placed - m);
        const std::size_t lo = first[m];
        if (lo > 0) {
            settle(below.at_most(std::min((lo - 1) / 2, below.top())), m, placed);
        }
        end_before[m] = end_of(m, placed);
        double* row = dp + m * width;
        for (std::size_t s = lo; s < end_before[m]; ++s) {
            row[s] = s % 2 == 0 ? below.exactly(s / 2) : 0.0;
        }
    }

    for (auto group = walk_begin; group != walk_end; ++group) {
        const std::size_t t = *group;
        const std::size_t after = placed + t;
        const std::size_t next_bottom = lowest_row(after, bottom);
        const std::size_t next_top = std::min(n1, after);
        // The rows' new ends. Cells that become live are zeroed first (a row above the old top
        // is new); the sources below read only the cells that were live before.
        for (std::size_t d = next_bottom; d <= next_top; ++d) {
            end_after[d] = end_of(d, after);
            double* row = dp + d * width;
            for (std::size_t s = d <= top ? std::max(first[d], end_before[d]) : first[d]; s < end_after[d]; ++s) {
                row[s] = 0;
            }
        }
        // The groups are placed in place. A group whose values are all y's leaves every row as it
        // is (r = 0, one way, adding nothing to 2U), so only the r >= 1 moves are made, each from
        // row m into a row above it, d = m + r, adding `add` to 2U in `ways` ways. Going down the
        // rows, each is read as a source before any row below it adds to it.
        const auto move = [&](std::size_t m, std::size_t d, std::size_t add, double ways) {
            const std::size_t lo = first[m];
            const std::size_t hi = end_before[m];
            const double* from = dp + m * width;
            // Sources that land below the target row's first live cell are settled.
            const std::size_t cut = std::min(hi, first[d] > add ? first[d] - add : 0);
            if (cut > lo) {
                double settled = 0;
                for (std::size_t s = lo; s < cut; ++s) {
                    settled += from[s];
                }
                settle(settled * ways, d, after);
            }
            if (end_after[d] <= add) {
                return;
            }
            // Adding the zero cells changes nothing, and without a branch the loop vectorises.
            double* to = dp + d * width + add;
            const std::size_t stop = std::min(hi, end_after[d] - add);
            for (std::size_t s = std::max(lo, cut); s < stop; ++s) {
                to[s] += from[s] * ways;
            }
        };
        const std::size_t lowest_source = next_bottom > bottom ? next_bottom - 1 : bottom;
        if (t == 1) {
            // A single value, the commonest group by far: the one move makes it an x, which beats
            // every y below it.
            for (std::size_t m = std::min(top, n1 - 1) + 1; m-- > lowest_source;) {
                if (end_before[m] > first[m]) {
                    move(m, m + 1, 2 * (placed - m), 1.0);
                }
            }
        } else {
            for (std::size_t m = top + 1; m-- > bottom;) {
                if (end_before[m] <= first[m]) {
                    continue;
                }
                // At most n2 y's in all, and no row below the lowest live one.
                const std::size_t ys_below = placed - m;
                const std::size_t ys_room = n2 - ys_below;
                std::size_t r = std::max<std::size_t>(1, t > ys_room ? t - ys_room : 0);
                r = std::max(r, next_bottom > m ? next_bottom - m : 0);
                for (; r <= t && m + r <= n1; ++r) {
                    // Each of the r x's beats the ys_below y's and ties the t - r y's of its group.
                    move(m, m + r, r * (2 * ys_below + t - r), k_binomials[t][r]);
                }
            }
        }
        std::swap(end_before, end_after);
        placed = after;
        bottom = next_bottom;
        top = next_top;
    }

    double at_observed = 0;  // arrangements with 2U == observed
    if (walk_end == order->end()) {
        // Every value is placed: of the row of all n1 x's, only the cell at the observed value is
        // still live; the rest is settled.
        at_observed = dp[n1 * width + observed];
        tail += at_observed;
    } else {
        // The values above the last tie: with m x's placed, the n1 - m x's to come beat the y's
        // placed so far (the lift) and the y's to come as untied samples do. A cell at s leaves
        // room for twice their U of up to observed - lift - s, which never exceeds twice the
        // largest (cells with room for more have been settled).
        for (std::size_t m = bottom; m <= top; ++m) {
            const std::size_t lo = first[m];
            const std::size_t hi = end_before[m];
            const UntiedCounts above(n1 - m, n2 - (placed - m));
            const std::size_t room = observed - lift(m, placed);
            const double* row = dp + m * width;
            for (std::size_t s = lo; s < hi; ++s) {
                tail += row[s] * above.at_most((room - s) / 2);
            }
            // Exactly at the observed value: an even room, twice a U that the values to come reach.
            for (std::size_t s = lo + (room - lo) % 2; s < hi; s += 2) {
                at_observed += row[s] * above.exactly((room - s) / 2);
            }
        }
    }
    const double total = k_binomials[pooled][n1];
    const double other_tail = total - tail + at_observed;  // arrangements with 2U >= observed
    return std::min(1.0, 2 * std::min(tail, other_tail) / total);
}


// Monotone map from doubles to unsigned integers so we can bisect over representable values.
std::uint64_t order_key(double v)
{
    const auto bits = std::bit_cast<std::uint64_t>(v);
    constexpr std::uint64_t sign = std::uint64_t{1} << 63;
    return (bits & sign) != 0 ? ~bits : bits | sign;
}

double from_order_key(std::uint64_t key)
{
    constexpr std::uint64_t sign = std::uint64_t{1} << 63;
    return std::bit_cast<double>((key & sign) != 0 ? key & ~sign : ~key);
}

// Number of pairs with y[j] - x[i] <= v. As x[i] grows the differences shrink, so the boundary
// index in y only moves right: two pointers, O(n1 + n2).
std::size_t count_differences_at_most(std::span<const double> x, std::span<const double> y, double v)
{
    std::size_t count = 0;
    std::size_t j = 0;
    for (double xi : x) {
        while (j < y.size() && y[j] - xi <= v) {
            ++j;
        }
        count += j;
    }
    return count;
}

// Sizes for which the exact U table gives a lower-tail index k >= 1 at this confidence, searched
// over equal per-side sizes: P(U <= 0) = 1 / C(2n, n) must not exceed (1 - c) / 2.
std::size_t samples_to_bound_change(double confidence)
{
    if (confidence >= 1) {
        return 0;  // no finite sample bounds a 100% interval
    }
    const double tail = (1 - confidence) / 2;
    for (std::size_t n = 1;; ++n) {
        const double ways = binomial_coefficient(2 * n, n);
        if (1 / ways <= tail * (1 + k_threshold_slack) || std::isinf(ways)) {
            return n;
        }
    }
}

}  // namespace

double normal_quantile(double p)
{
    if (p <= 0) {
        return -std::numeric_limits<double>::infinity();
    }
    if (p >= 1) {
        return std::numeric_limits<double>::infinity();
    }
    // Every row asks for the same few quantiles (power, 1 - alpha/2): remembered per thread.
    thread_local CountsMemo memo;
    if (const double* known = memo.find(0, 0, p)) {
        return *known;
    }
    return memo.put(0, 0, p, boost::math::quantile(boost::math::normal_distribution<double>(), p));
}

double normal_cdf(double z)
{
    if (std::isinf(z)) {
        return z > 0 ? 1.0 : 0.0;
    }
    return boost::math::cdf(boost::math::normal_distribution<double>(), z);
}

double median_of_sorted(std::span<const double> sorted)
{
    assert(!sorted.empty());
    const std::size_t n = sorted.size();
    if (n % 2 == 1) {
        return sorted[n / 2];
    }
    const double a = sorted[n / 2 - 1];
    const double b = sorted[n / 2];
    return a + 0.5 * (b - a);
}

namespace {

// median_ci_orders() worked out in full, kept out of line: its commonest question (the table's),
// asked for every sample of a comparison, is then answered without saving any register.
[[gnu::noinline]] OrderInterval median_ci_orders_computed(std::size_t n, double confidence)
{
    const auto count = static_cast<long>(n);
    if (confidence >= 1 || n == 0) {
        return {0, count + 1};
    }
    if (n <= k_median_ci_exact_max) {
        if (confidence == k_table_confidence) {
            return k_median_ci_table_95[n];
        }
        // Walk outward from the (lower) mode of Binomial(n, 1/2) over [lo, hi), taking the more
        // probable neighbour, the left one on ties. C(n, k) / 2^n is exact in double for n <= 30.
        const double scale = std::ldexp(1.0, -static_cast<int>(n));
        const auto pmf = [&](long k) {
            return k < 0 || k > count ? 0.0 : binomial_coefficient(n, static_cast<std::size_t>(k)) * scale;
        };
        long lo = (count + 1 + 1) / 2 - 1;  // ceil((n + 1) / 2) - 1
        long hi = lo + 1;
        double accumulated = pmf(lo);
        while (accumulated < confidence) {
            const double left = pmf(lo - 1);
            const double right = pmf(hi);
            if (left == 0 && right == 0) {
                break;
            }
            if (left >= right) {
                accumulated += left;
                --lo;
            } else {
                accumulated += right;
                ++hi;
            }
        }
        return {lo, hi};
    }
    // Normal approximation with continuity correction: order k covers the band [k - 1/2, k + 1/2].
    const double mu = static_cast<double>(n) / 2;
    const double sigma = std::sqrt(static_cast<double>(n)) / 2;
    const double l1 = mu + sigma * normal_quantile((1 - confidence) / 2);
    const double r1 = 2 * mu - l1;
    long lo = static_cast<long>(std::floor(l1 - 0.5)) + 1;
    long hi = static_cast<long>(std::ceil(r1 - 0.5)) + 1;
    const auto coverage = [&](long l, long r) {
        return normal_cdf((static_cast<double>(r) - 0.5 - mu) / sigma) -
               normal_cdf((static_cast<double>(l) - 0.5 - mu) / sigma);
    };
    // The symmetric interval may be wider than needed; benchstat then narrows it on the right.
    const double biased = coverage(lo, hi - 1);
    if (biased >= confidence && biased < coverage(lo, hi)) {
        --hi;
    }
    return {std::max(lo, 0L), std::min(hi, count + 1)};
}

}  // namespace

OrderInterval median_ci_orders(std::size_t n, double confidence)
{
    // The default confidence and a sample of up to 30: the table.
    if (confidence == k_table_confidence && n >= 1 && n <= k_median_ci_exact_max) {
        return k_median_ci_table_95[n];
    }
    return median_ci_orders_computed(n, confidence);
}

std::size_t min_samples_for_ci(double confidence)
{
    if (confidence >= 1) {
        return std::numeric_limits<std::size_t>::max();
    }
    for (std::size_t n = 1;; ++n) {
        const OrderInterval orders = median_ci_orders(n, confidence);
        if (orders.lo >= 1 && orders.hi <= static_cast<long>(n)) {
            return n;
        }
    }
}

namespace {

Summary summarize_ascending(std::span<const double> sorted, double confidence)
{
    assert(!sorted.empty() && std::is_sorted(sorted.begin(), sorted.end()));
    Summary summary;
    summary.n = static_cast<std::uint32_t>(sorted.size());
    summary.center = median_of_sorted(sorted);
    summary.all_equal = sorted.front() == sorted.back();
    const OrderInterval orders = median_ci_orders(sorted.size(), confidence);
    if (orders.lo >= 1) {
        summary.lo = sorted[static_cast<std::size_t>(orders.lo) - 1];
    }
    if (orders.hi <= static_cast<long>(sorted.size())) {
        summary.hi = sorted[static_cast<std::size_t>(orders.hi) - 1];
    }
    return summary;
}

}  // namespace

Summary summarize(std::span<const double> values, double confidence)
{
    assert(!values.empty());
    thread_local std::vector<double> scratch;
    return summarize_ascending(ascending(values, scratch), confidence);
}

std::string_view center_name(Center center)
{
    switch (center) {
    case Center::median: return "median";
    case Center::mean: return "mean";
    case Center::min: return "min";
    }
    return "median";
}

Summary summarize(Ascending values, double confidence, Center center)
{
    if (center == Center::median) {
        return summarize_ascending(values.values, confidence);
    }
    return summarize(values.values, confidence, center);
}

Summary summarize(std::span<const double> values, double confidence, Center center)
{
    if (center == Center::median) {
        return summarize(values, confidence);
    }
    assert(!values.empty());
    Summary summary;
    summary.n = static_cast<std::uint32_t>(values.size());
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    summary.all_equal = *lowest == *highest;
    if (center == Center::min) {
        summary.center = *lowest;
        return summary;
    }
    // Welford's running mean and sum of squares: no cancellation for values far from zero.
    double mean = 0;
    double m2 = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double delta = values[i] - mean;
        mean += delta / static_cast<double>(i + 1);
        m2 += delta * (values[i] - mean);
    }
    summary.center = summary.all_equal ? *lowest : mean;
    if (summary.all_equal && values.size() >= 2) {
        summary.lo = summary.hi = summary.center;
    } else if (values.size() >= 2 && confidence < 1) {
        const double n = static_cast<double>(values.size());
        const boost::math::students_t dist(n - 1);
        const double t = boost::math::quantile(dist, 1 - (1 - confidence) / 2);
        const double half = t * std::sqrt(m2 / (n - 1) / n);
        summary.lo = mean - half;
        summary.hi = mean + half;
    }
    return summary;
}

namespace {

// What the statistics of two samples require, and what Ascending promises: checked in debug builds.
void check_samples([[maybe_unused]] Ascending x, [[maybe_unused]] Ascending y)
{
    assert(!x.values.empty() && !y.values.empty());
    assert(std::is_sorted(x.values.begin(), x.values.end()) && std::is_sorted(y.values.begin(), y.values.end()));
}

}  // namespace

UTestResult mann_whitney(std::span<const double> x, std::span<const double> y)
{
    assert(!x.empty() && !y.empty());
    thread_local std::vector<double> sx;
    thread_local std::vector<double> sy;
    return mann_whitney(Ascending{ascending(x, sx)}, Ascending{ascending(y, sy)});
}

namespace {

// The test of samples that are not one value on both sides. Kept out of line, so that
// mann_whitney answers that commonest row without saving any register.
[[gnu::noinline]] UTestResult mann_whitney_of_values(std::span<const double> sorted_x,
                                                     std::span<const double> sorted_y)
{
    const std::size_t n1 = sorted_x.size();
    const std::size_t n2 = sorted_y.size();
    thread_local std::vector<std::size_t> groups;
    groups.clear();
    std::size_t twice = 0;
    const PooledTies ties = pooled_ties(sorted_x, sorted_y, &groups, &twice);

    UTestResult result;
    result.u1 = static_cast<double>(twice) / 2;
    result.has_ties = ties.any;
    result.tie_sum = ties.sum_t3_minus_t;
    if (ties.all_equal) {
        result.method = UTestMethod::all_equal;
        result.p = 1;
        return result;
    }
    if (!ties.any && n1 <= k_exact_max && n2 <= k_exact_max) {
        const UDistribution* dist = &u_distribution(n1, n2);
        const std::size_t u = twice / 2;
        // P(U >= u) = P(U <= n1 n2 - u) by symmetry; both tails then sum their small terms first.
        const double lower = dist->cumulative[u];
        const double upper = dist->cumulative[n1 * n2 - u];
        result.method = UTestMethod::exact;
        result.p = std::min(1.0, 2 * std::min(lower, upper) / dist->total);
        return result;
    }
    if (ties.any && n1 <= k_exact_ties_max && n2 <= k_exact_ties_max) {
        result.method = UTestMethod::exact_ties;
        result.p = exact_ties_p(n1, n2, groups, twice);
        return result;
    }
    // erfc of the corrected z keeps full relative precision far into the tail, where 1 - Phi(z)
    // would cancel to 0.
    const double mu = static_cast<double>(n1) * static_cast<double>(n2) / 2;
    const double sigma = u_sigma(n1, n2, ties.sum_t3_minus_t);
    const double deviation = std::max(0.0, std::abs(result.u1 - mu) - 0.5);
    result.method = UTestMethod::normal;
    result.p = std::min(1.0, boost::math::erfc(deviation / (sigma * std::sqrt(2.0))));
    return result;
}

}  // namespace

UTestResult mann_whitney(Ascending x, Ascending y)
{
    check_samples(x, y);
    const std::span<const double> sorted_x = x.values;
    const std::span<const double> sorted_y = y.values;
    if (one_value(sorted_x, sorted_y)) {
        // Every x ties every y, which needs no look at the ties: one group of every value.
        UTestResult result;
        result.u1 = static_cast<double>(sorted_x.size() * sorted_y.size()) / 2;
        result.has_ties = true;
        result.tie_sum = tie_term(sorted_x.size() + sorted_y.size());
        result.method = UTestMethod::all_equal;
        result.p = 1;
        return result;
    }
    return mann_whitney_of_values(sorted_x, sorted_y);
}

namespace {

// 2 / C(n1 + n2, n1), capped at 1, remembered per thread. Kept out of line, so that the lookup
// of min_possible_p, which every row makes, needs no registers saved.
[[gnu::noinline]] double smallest_p(std::size_t n1, std::size_t n2)
{
    thread_local CountsMemo memo;
    if (const double* known = memo.find(n1, n2, 0)) {
        return *known;
    }
    return memo.put(n1, n2, 0, std::min(1.0, 2 / binomial_coefficient(n1 + n2, n1)));
}

}  // namespace

double min_possible_p(std::size_t n1, std::size_t n2)
{
    // Up to the exact limits, a direct table per thread (0 while not known: the answer never is 0).
    if (n1 <= k_exact_max && n2 <= k_exact_max) {
        thread_local std::array<double, (k_exact_max + 1) * (k_exact_max + 1)> known{};
        double& p = known[n1 * (k_exact_max + 1) + n2];
        if (p == 0) {
            p = smallest_p(n1, n2);
        }
        return p;
    }
    return smallest_p(n1, n2);
}

std::size_t min_samples_for_alpha(double alpha)
{
    thread_local CountsMemo memo;
    if (const double* known = memo.find(0, 0, alpha)) {
        return static_cast<std::size_t>(*known);
    }
    for (std::size_t n = 1;; ++n) {
        if (min_possible_p(n, n) <= alpha * (1 + k_threshold_slack)) {
            memo.put(0, 0, alpha, static_cast<double>(n));
            return n;
        }
    }
}

double pairwise_difference_order(std::span<const double> sorted_x, std::span<const double> sorted_y, std::size_t k)
{
    assert(!sorted_x.empty() && !sorted_y.empty());
    assert(k >= 1 && k <= sorted_x.size() * sorted_y.size());
    const std::size_t total = sorted_x.size() * sorted_y.size();
    if (total <= k_materialize_limit) {
        thread_local std::vector<double> diffs;
        diffs.clear();
        diffs.reserve(total);
        for (double xi : sorted_x) {
            for (double yj : sorted_y) {
                diffs.push_back(yj - xi);
            }
        }
        const auto nth = diffs.begin() + static_cast<std::ptrdiff_t>(k - 1);
        std::nth_element(diffs.begin(), nth, diffs.end());
        return *nth + 0.0;  // + 0.0 turns a -0 into 0, as the bisection below does
    }
    // The answer is the smallest representable v with #(D <= v) >= k; that v is D(k) itself because
    // the count only steps at the (identically computed) differences. At most 64 halvings.
    std::uint64_t lo = order_key(sorted_y.front() - sorted_x.back());
    std::uint64_t hi = order_key(sorted_y.back() - sorted_x.front());
    while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if (count_differences_at_most(sorted_x, sorted_y, from_order_key(mid)) >= k) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return from_order_key(lo) + 0.0;
}

namespace {

// Largest k with P(U <= k - 1) <= tail under the exact null distribution of U (no ties, both
// counts within k_exact_max): the order at which an interval inverts the exact test. Shared by the
// Hodges-Lehmann interval and interval_z, and remembered per thread: every row asks it.
std::size_t exact_interval_order(std::size_t n1, std::size_t n2, double tail)
{
    thread_local CountsMemo memo;
    if (const double* known = memo.find(n1, n2, tail)) {
        return static_cast<std::size_t>(*known);
    }
    const UDistribution* dist = &u_distribution(n1, n2);
    const double limit = tail * dist->total * (1 + k_threshold_slack);
    std::size_t k = 0;
    while (k < dist->cumulative.size() && dist->cumulative[k] <= limit) {
        ++k;
    }
    memo.put(n1, n2, tail, static_cast<double>(k));
    return k;
}

}  // namespace

namespace {

// The storage of at least n values of v, which grows but never shrinks: resized to each row's
// count, a vector would be grown again, through a call, after every smaller row.
template <typename T>
T* at_least(std::vector<T>& v, std::size_t n)
{
    if (v.size() < n) {
        v.resize(n);
    }
    return v.data();
}

// The pairwise differences y_j - x_i of a Hodges-Lehmann interval, grouped by value: the range
// from the least to the greatest difference is cut into buckets of equal width, and each
// difference is counted in its bucket and chained to the bucket's previous one. Every difference
// of a bucket is at most every one of the next (the bucket is a non-decreasing function of the
// value), so an order statistic is selected among the few differences of the bucket that holds
// its position, found by adding up the counts. An interval needs three or four statistics: only
// their buckets are ever gathered, which for the usual sample sizes costs a fraction of
// partitioning all the differences (whose comparisons the processor cannot predict) or of placing
// every one of them in order of bucket.
class BucketedDifferences {
public:
    // Makes the differences; false (and nothing usable but them) when their range is not a
    // finite, positive number, which leaves the caller to select among `differences()` by
    // partitioning. `ordered`: both x and y are known to be in order (see in_order()).
    bool make(std::span<const double> x, std::span<const double> y, bool ordered)
    {
        const std::size_t count = x.size() * y.size();
        // Rounding is monotonic, so every difference lies between these two (whatever the order
        // of the values, which are logarithms on the log scale). Values in order, as the samples
        // are and their logarithms as good as always are, have their extremes at their ends, and
        // no NaN among them (a NaN is in order with nothing): knowing that order spares the
        // search for the extremes and for NaNs.
        double x_min = x.front();
        double x_max = x.back();
        double y_min = y.front();
        double y_max = y.back();
        bool has_nan = false;
        if (!ordered) {
            x_min = *std::min_element(x.begin(), x.end());
            x_max = *std::max_element(x.begin(), x.end());
            y_min = *std::min_element(y.begin(), y.end());
            y_max = *std::max_element(y.begin(), y.end());
            // A NaN among the values (which no parser lets through) makes differences that
            // belong in no bucket: those are left to partitioning too.
            const auto is_nan = [](double v) { return std::isnan(v); };
            has_nan = std::any_of(x.begin(), x.end(), is_nan) || std::any_of(y.begin(), y.end(), is_nan);
        }
        const double low = y_min - x_max;
        const double range = (y_max - x_min) - low;
        const std::size_t buckets = std::bit_ceil(std::max<std::size_t>(count / 2, 1));
        const double scale = static_cast<double>(buckets) / range;
        if (!std::isfinite(low) || !std::isfinite(range) || !(range > 0) || !std::isfinite(scale) || has_nan) {
            m_differences.resize(count);
            double* out = m_differences.data();
            for (double xi : x) {
                for (double yj : y) {
                    *out++ = yj - xi;
                }
            }
            return false;
        }
        // Every difference d lies in [low, low + range], so (d - low) * scale is at least 0 and,
        // rounded, less than buckets + 1: the last bucket, `buckets` itself, takes what rounding
        // lifts to `buckets`. Only these positions are kept: the few differences selected among
        // are made again, identically, when their bucket is gathered. With no comparison and no
        // conversion, the loop is vectorised at the full width of a double (a conversion to 32-bit
        // buckets packs four at a time, which leaves a row of ten a scalar remainder); the next
        // loop, which takes the differences one at a time anyway, truncates each to its bucket.
        m_x = x;
        m_y = y;
        double* position = at_least(m_position, count);
        std::size_t row = 0;
        for (; row + 4 <= x.size(); row += 4) {
            position = place_rows<4>(&x[row], y, low, scale, position);
        }
        if (row + 2 <= x.size()) {
            position = place_rows<2>(&x[row], y, low, scale, position);
            row += 2;
        }
        if (row < x.size()) {
            place_rows<1>(&x[row], y, low, scale, position);
        }
        const double* const position_of = m_position.data();
        // Only the counts start at 0: the head of an empty bucket's chain is never followed.
        // Counts and heads side by side, one entry a bucket, would save an instruction a
        // difference, but the memset would then zero twice the bytes: with tens of thousands of
        // buckets, as three hundred samples a side make, that costs far more than it saves.
        std::uint32_t* const size = at_least(m_size, buckets + 2);
        std::memset(size, 0, (buckets + 2) * sizeof(std::uint32_t));
        std::uint32_t* const last = at_least(m_last, buckets + 1);
        std::uint32_t* const link = at_least(m_link, count);
        // Truncated through a 64-bit integer, a single instruction: the same bucket as through
        // any other, the position being less than buckets + 1.
        const auto place = [&](std::size_t i) {
            const auto b = static_cast<std::size_t>(static_cast<std::int64_t>(position_of[i]));
            ++size[b];
            link[i] = last[b];
            last[b] = static_cast<std::uint32_t>(i);
        };
        // Four at a time: one at a time, the loop's own counting and branching is a third of its work.
        std::size_t i = 0;
        for (; i + 4 <= count; i += 4) {
            place(i);
            place(i + 1);
            place(i + 2);
            place(i + 3);
        }
        for (; i < count; ++i) {
            place(i);
        }
        m_bucket = 0;
        m_below = 0;
        m_gathered = k_none;
        return true;
    }

    std::vector<double>& differences() { return m_differences; }

    // Whether every value is at most the next: false for values out of order or with a NaN.
    static bool in_order(std::span<const double> values)
    {
        bool ordered = true;
        for (std::size_t i = 1; i < values.size(); ++i) {
            ordered &= values[i - 1] <= values[i];
        }
        return ordered;
    }

private:
    // The positions of `Rows` rows of differences, from x[0] on, one after another from `out`:
    // each value of y is read once for all of them. Returns the end of what it wrote. (The
    // positions never overlap y: saying so spares each row's vectorised loop a check that they
    // do not.)
    template <std::size_t Rows>
    static double* place_rows(const double* x, std::span<const double> y, double low, double scale,
                              double* __restrict out)
    {
        std::array<double, Rows> xs{};
        for (std::size_t r = 0; r < Rows; ++r) {
            xs[r] = x[r];
        }
        const double* __restrict const y_of = y.data();
        const std::size_t n2 = y.size();
        for (std::size_t j = 0; j < n2; ++j) {
            const double yj = y_of[j];
            for (std::size_t r = 0; r < Rows; ++r) {
                out[r * n2 + j] = ((yj - xs[r]) - low) * scale;
            }
        }
        return out + Rows * n2;
    }

public:
    // The k-th smallest difference (1-based), of a successful make(). The counting continues from
    // the bucket of the previous statistic, so statistics asked for in ascending order count each
    // bucket once; a smaller one starts again from the first.
    double select(std::size_t k)
    {
        const std::size_t at = k - 1;
        if (at < m_below) {
            m_bucket = 0;
            m_below = 0;
        }
        const std::uint32_t* const sizes = m_size.data();
        const std::uint32_t* at_size = sizes + m_bucket;
        std::size_t within = at - m_below;  // the position among the differences from `at_size` on
        // Two buckets at a time, then the one: the walk crosses dozens of mostly small buckets.
        // (The entry after the last bucket is 0, and never reached: the buckets hold more than
        // `within` differences.)
        while (at_size[0] + at_size[1] <= within) {
            within -= at_size[0] + at_size[1];
            at_size += 2;
        }
        if (*at_size <= within) {
            within -= *at_size;
            ++at_size;
        }
        const auto bucket = static_cast<std::size_t>(at_size - sizes);
        m_bucket = bucket;
        m_below = at - within;
        const std::size_t size = *at_size;
        if (m_gathered != bucket) {
            // The bucket's chain, from its last difference back to its first. The link read after
            // the first is whatever the chain's start held before, and is never followed. A few
            // differences, as a bucket usually holds, are sorted as they come: cheaper than
            // partitioning them, and every later statistic of the bucket is then at hand. They
            // are sorted after a difference less than any, which spares each insertion a check
            // of the group's start, and in a member array rather than a vector, which spares a
            // resize. Read through locals: the stores to the group could otherwise change the
            // members for all the compiler knows, and have them read again for each difference.
            double* group = m_small_group.data();
            if (size > k_sorted_group) {
                m_group.resize(size + 1);
                group = m_group.data();
            }
            m_group_start = group + 1;
            group[0] = -std::numeric_limits<double>::infinity();
            const double* const x = m_x.data();
            const double* const y = m_y.data();
            const std::size_t n2 = m_y.size();
            const std::uint32_t* const link = m_link.data();
            std::uint32_t i = m_last[bucket];
            if (size <= k_sorted_group) {
                for (double* end = group + 1; end != group + 1 + size; ++end) {
                    const double d = y[i % n2] - x[i / n2];
                    i = link[i];
                    double* to = end;
                    for (; d < to[-1]; --to) {
                        *to = to[-1];
                    }
                    *to = d;
                }
            } else {
                for (std::size_t n = 1; n <= size; ++n) {
                    group[n] = y[i % n2] - x[i / n2];
                    i = link[i];
                }
            }
            m_gathered = bucket;
        }
        double* const place = m_group_start + within;
        if (size > k_sorted_group) {
            std::nth_element(m_group_start, place, m_group_start + size);
        }
        return *place;
    }

private:
    static constexpr std::size_t k_none = std::numeric_limits<std::size_t>::max();
    // Up to this many differences a gathered bucket is sorted; more are partitioned for each statistic.
    static constexpr std::size_t k_sorted_group = 16;
    std::vector<double> m_differences;      // only when make() fails
    std::span<const double> m_x;            // the samples of a successful make()
    std::span<const double> m_y;
    std::vector<double> m_position;         // per difference, its bucket before truncation
    std::vector<std::uint32_t> m_size;      // per bucket, how many differences it holds
    std::vector<std::uint32_t> m_last;      // per bucket, the one of them made last
    std::vector<std::uint32_t> m_link;      // per difference, the one made before it in its bucket
    std::vector<double> m_group;            // the differences of the bucket last gathered, if many
    std::array<double, k_sorted_group + 1> m_small_group{};  // or if few (after the least double)
    double* m_group_start = nullptr;        // the first of them, in one or the other
    std::size_t m_gathered = k_none;        // that bucket
    std::size_t m_bucket = 0;               // the bucket of the statistic selected last
    std::size_t m_below = 0;                // how many differences the buckets before it hold
};

}  // namespace

namespace {

// expm1 and log1p of a zero are that very zero (C's Annex F): the unchanged rows of a
// deterministic metric, common in a suite, ask for nothing else.
double expm1_or_zero(double v)
{
    return v == 0 ? v : std::expm1(v);
}

double log1p_or_zero(double v)
{
    return v == 0 ? v : std::log1p(v);
}

}  // namespace

ChangeInterval hodges_lehmann(std::span<const double> x, std::span<const double> y, double confidence,
                              const UTestResult* test)
{
    assert(!x.empty() && !y.empty());
    thread_local std::vector<double> sx;
    thread_local std::vector<double> sy;
    return hodges_lehmann(Ascending{ascending(x, sx)}, Ascending{ascending(y, sy)}, confidence, test);
}

namespace {

// The differences are taken on the scale of the change: the logs of the values, or the values.
double on_scale(const ChangeInterval& change, double v)
{
    return change.log_scale ? std::log(v) : v;
}

// A difference as a percentage of the baseline. A percentage beyond a double's range (1e-9
// against 1e299) is no number at all: empty.
std::optional<double> change_pct(const ChangeInterval& change, double baseline_median, double d)
{
    double pct = 0;
    if (change.log_scale) {
        pct = expm1_or_zero(d) * 100;
    } else if (baseline_median == 0) {
        return std::nullopt;
    } else {
        pct = d / baseline_median * 100;
    }
    if (!std::isfinite(pct)) {
        return std::nullopt;
    }
    return pct;
}

// The interval of samples that are not one value on both sides, into `change`. Kept out of line,
// so that hodges_lehmann answers that commonest row without saving any register.
[[gnu::noinline]] void hodges_lehmann_of_values(ChangeInterval& change, double baseline_median,
                                                std::span<const double> sorted_x,
                                                std::span<const double> sorted_y, double confidence,
                                                const UTestResult* test)
{
    const std::size_t n1 = sorted_x.size();
    const std::size_t n2 = sorted_y.size();
    const auto scaled = [&](double v) { return on_scale(change, v); };
    const auto to_pct = [&](double d) { return change_pct(change, baseline_median, d); };
    // A negative baseline flips the sign of a raw-scale percentage, so re-order the bounds.
    const auto set_bounds = [&](double d_low, double d_high) {
        change.low_pct = to_pct(d_low);
        change.high_pct = to_pct(d_high);
        if (change.low_pct && change.high_pct && *change.low_pct > *change.high_pct) {
            std::swap(change.low_pct, change.high_pct);
        }
    };
    // Equal extremes take one log, not two.
    const double x_low = scaled(sorted_x.front());
    const double x_high = sorted_x.back() == sorted_x.front() ? x_low : scaled(sorted_x.back());
    const double y_low = scaled(sorted_y.front());
    const double y_high = sorted_y.back() == sorted_y.front() ? y_low : scaled(sorted_y.back());
    thread_local std::vector<double> log_x;
    thread_local std::vector<double> log_y;
    std::span<const double> gx = sorted_x;
    std::span<const double> gy = sorted_y;
    bool ordered = false;
    if (change.log_scale) {
        // The logs of the extremes are known already. Whether the logs are in order, which
        // BucketedDifferences wants to know, is seen as they are made.
        const auto logs = [](std::span<const double> sorted, double low, double high, std::vector<double>& out) {
            // Through local pointers: the calls of log would otherwise have the vector's and the
            // span's fields read again for every value.
            const double* const in = sorted.data();
            double* const to = at_least(out, sorted.size());
            const std::size_t last = sorted.size() - 1;
            to[0] = low;
            bool in_order = true;
            for (std::size_t i = 1; i < last; ++i) {
                const double v = std::log(in[i]);
                to[i] = v;
                in_order &= to[i - 1] <= v;
            }
            // Each log is compared with the one stored before it, which needs no register kept
            // across the calls; the greatest with the one before it, or with itself.
            in_order &= to[last > 0 ? last - 1 : 0] <= high;
            to[last] = high;
            return in_order;
        };
        ordered = logs(sorted_x, x_low, x_high, log_x);
        ordered = logs(sorted_y, y_low, y_high, log_y) && ordered;
        gx = std::span<const double>(log_x.data(), n1);
        gy = std::span<const double>(log_y.data(), n2);
    }

    const std::size_t pairs = n1 * n2;
    // The estimate and both bounds are order statistics of the same differences: up to
    // k_materialize_limit of them (316 samples a side) the differences are made once, grouped by
    // value, and each statistic is selected within its group. Differences whose range is no finite
    // number are instead partitioned, each statistic selected only among those between the ones
    // already found.
    thread_local BucketedDifferences bucketed;
    thread_local std::vector<std::size_t> found;  // positions that hold their order statistic, ascending
    std::vector<double>& diffs = bucketed.differences();
    diffs.clear();
    found.clear();
    const bool materialized = pairs <= k_materialize_limit;
    if (!change.log_scale && materialized) {
        ordered = BucketedDifferences::in_order(gx) && BucketedDifferences::in_order(gy);
    }
    const bool in_buckets = materialized && bucketed.make(gx, gy, ordered);
    const auto partitioned_statistic = [&](std::size_t k) {
        if (!materialized) {
            return pairwise_difference_order(gx, gy, k);
        }
        const std::size_t at = k - 1;
        const auto next = std::lower_bound(found.begin(), found.end(), at);
        if (next == found.end() || *next != at) {
            const std::size_t from = next == found.begin() ? 0 : *(next - 1) + 1;
            const std::size_t to = next == found.end() ? diffs.size() : *next;
            const auto first = diffs.begin() + static_cast<std::ptrdiff_t>(from);
            const auto last = diffs.begin() + static_cast<std::ptrdiff_t>(to);
            const auto place = diffs.begin() + static_cast<std::ptrdiff_t>(at);
            // The statistic just above one already found (the even-count estimate's second middle)
            // is the smallest of its range: no partitioning needed.
            if (at == from) {
                std::iter_swap(place, std::min_element(first, last));
            } else {
                std::nth_element(first, place, last);
            }
            found.insert(next, at);
        }
        return diffs[at] + 0.0;  // + 0.0 turns a -0 into 0, as pairwise_difference_order does
    };
    // The grouped differences, the common case, are asked directly: through the one function of
    // all three ways, each statistic paid for a call that saved and restored its registers.
    const auto order_statistic = [&](std::size_t k) {
        if (in_buckets) {
            return bucketed.select(k) + 0.0;  // + 0.0 turns a -0 into 0, as pairwise_difference_order does
        }
        return partitioned_statistic(k);
    };
    // The test of the same samples has walked the ties already, and carries their sum. The order
    // of the bounds depends on the sizes and the ties alone, so it is found before any statistic
    // is selected: the statistics are then selected in ascending order, in which the grouped
    // differences count each bucket only once.
    const PooledTies ties = test != nullptr ? PooledTies{test->has_ties, false, test->tie_sum}
                                            : pooled_ties(sorted_x, sorted_y, nullptr, nullptr);
    const double tail = (1 - confidence) / 2;
    long k = 0;
    if (!ties.any && n1 <= k_exact_max && n2 <= k_exact_max) {
        k = static_cast<long>(exact_interval_order(n1, n2, tail));
    } else {
        const double z = normal_quantile(1 - tail);
        const double sigma = u_sigma(n1, n2, ties.sum_t3_minus_t);
        const double k_real = std::floor(static_cast<double>(pairs) / 2 - z * sigma);
        // z is infinite at confidence 1; never convert that to an integer.
        k = k_real >= 1 ? static_cast<long>(k_real) : 0;
    }
    k = std::min(k, static_cast<long>((pairs + 1) / 2));
    const auto order = static_cast<std::size_t>(std::max(k, 0L));
    const double d_low = k >= 1 ? order_statistic(order) : 0;
    if (pairs % 2 == 1) {
        change.estimate_pct = to_pct(order_statistic((pairs + 1) / 2));
    } else {
        const double a = order_statistic(pairs / 2);
        const double b = order_statistic(pairs / 2 + 1);
        change.estimate_pct = to_pct(a + 0.5 * (b - a));
    }
    if (k < 1) {
        change.samples_needed = samples_to_bound_change(confidence);
        return;
    }
    set_bounds(d_low, order_statistic(pairs + 1 - order));
}

}  // namespace

ChangeInterval hodges_lehmann(Ascending x, Ascending y, double confidence, const UTestResult* test)
{
    check_samples(x, y);
    const std::span<const double> sorted_x = x.values;
    const std::span<const double> sorted_y = y.values;
    ChangeInterval change;
    change.log_scale = sorted_x.front() > 0 && sorted_y.front() > 0;
    const double baseline_median = median_of_sorted(sorted_x);
    change.negative_baseline = !change.log_scale && baseline_median < 0;
    if (sorted_x.front() == sorted_x.back() && sorted_y.front() == sorted_y.back()) {
        // Deterministic metrics: every difference is the same, so the change is known exactly. A
        // suite has many such rows, and they need no logs beyond the extremes. (Decided on the
        // values: values that differ in their last digits can share a logarithm.) The estimate and
        // both bounds are this one change, which for one finite value on both sides (the most
        // common row of all) is the value less itself, 0, on either scale: no log at all.
        const double v = sorted_x.front();
        const double d = v == sorted_y.front() && std::isfinite(v)
                             ? 0.0
                             : on_scale(change, sorted_y.front()) - on_scale(change, v);
        change.exact = true;
        change.estimate_pct = change_pct(change, baseline_median, d);
        change.low_pct = change.estimate_pct;
        change.high_pct = change.estimate_pct;
        return change;
    }
    hodges_lehmann_of_values(change, baseline_median, sorted_x, sorted_y, confidence, test);
    return change;
}

namespace {

// A pure function of two sample counts, both within k_exact_max, at one level: a direct table,
// for the answers that every row of a comparison asks again. It holds the answers of the level
// asked last, and forgets them when another is asked.
class ExactSizesTable {
public:
    // The answer's slot: NaN while unknown.
    double& at(std::size_t n1, std::size_t n2, double level)
    {
        if (!(level == m_level)) {
            m_values.fill(std::numeric_limits<double>::quiet_NaN());
            m_level = level;
        }
        return m_values[n1 * (k_exact_max + 1) + n2];
    }

private:
    double m_level = std::numeric_limits<double>::quiet_NaN();
    std::array<double, (k_exact_max + 1) * (k_exact_max + 1)> m_values{};
};

}  // namespace

namespace {

// interval_z() worked out within the exact limits: the order k of the exact U distribution, and
// P(U <= k - 1) = Phi((k - 1/2 - n1 n2 / 2) / sigma_U) turns that k back into a z. Kept out of line:
// interval_z() is asked for the same few sizes again and again, and its lookup then saves no
// register.
[[gnu::noinline]] double exact_interval_z(std::size_t n1, std::size_t n2, double alpha)
{
    const std::size_t k = exact_interval_order(n1, n2, alpha / 2);
    if (k < 1) {
        return std::numeric_limits<double>::infinity();
    }
    const double pairs = static_cast<double>(n1) * static_cast<double>(n2);
    return (pairs / 2 - static_cast<double>(k) + 0.5) / u_sigma(n1, n2, 0);
}

}  // namespace

double interval_z(std::size_t n1, std::size_t n2, double alpha)
{
    if (n1 > k_exact_max || n2 > k_exact_max) {
        return normal_quantile(1 - alpha / 2);
    }
    // Detectability asks this for each row's sizes and then for several equal ones, at the one
    // alpha of the comparison.
    thread_local ExactSizesTable known;
    double& z = known.at(n1, n2, alpha);
    if (std::isnan(z)) {
        z = exact_interval_z(n1, n2, alpha);
    }
    return z;
}

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// interval_z(n, n, 0.05) for n = 0 to k_exact_max, as interval_z works it out. Detectability's
// search asks for equal sizes other than any row's own; worked out, each would cost the exact U
// distribution of those sizes, which nothing else needs. 0.05 is the default alpha.
constexpr std::array<double, k_exact_max + 1> k_equal_sizes_z_at_5pct = {
    k_inf, k_inf, k_inf, k_inf,
    0x1.1520cd1372febp+1, 0x1.0b621e9bc3addp+1, 0x1.00347de682bb4p+1, 0x1.05af103491a33p+1,
    0x1.f16125fc05151p+0, 0x1.03f6282e5591bp+1, 0x1.00693dc027aa2p+1, 0x1.f84eaa14fb53p+0,
    0x1.fdea6f198be9p+0, 0x1p+1, 0x1.f3e927822b83fp+0, 0x1.fdaeb81f7c69bp+0,
    0x1.fa89ffc371edep+0, 0x1.f6999ad41a4c6p+0, 0x1.fa37b47c32133p+0, 0x1.f4bf90d0b4ffap+0,
    0x1.f60cb6081b66ap+0, 0x1.f64f505bde18fp+0, 0x1.f5c0386770ea4p+0, 0x1.f48bba2e3ed26p+0,
    0x1.f81bf8b33a04ep+0, 0x1.f5ae1a5b61224p+0, 0x1.f7a61531bcc9ep+0, 0x1.f8e1ec85083b3p+0,
    0x1.f54e5ffd4f7e8p+0, 0x1.f59f655a242dp+0, 0x1.f57cda93a1d9dp+0, 0x1.f4f8d27b2d237p+0,
    0x1.f7926d3e5a567p+0, 0x1.f64f054604459p+0, 0x1.f4d3bc440902ap+0, 0x1.f62b3f27234fdp+0,
    0x1.f71be79b7b484p+0, 0x1.f4ee02c47f4eep+0, 0x1.f55150a3c8dfdp+0, 0x1.f56d8bc52c25ep+0,
    0x1.f54b432c489ep+0, 0x1.f751baca83bep+0, 0x1.f6b2739d52d08p+0, 0x1.f5e9b43f68368p+0,
    0x1.f71f62411a7e6p+0, 0x1.f5fffb109f44ap+0, 0x1.f6c5185a84574p+0, 0x1.f5625e8c8c3ep+0,
    0x1.f5cbcc57fb127p+0, 0x1.f60697827f121p+0, 0x1.f6173767c8366p+0,
};

}  // namespace

double equal_sizes_interval_z(std::size_t n, double alpha)
{
    if (alpha == 0.05 && n <= k_exact_max) {
        return k_equal_sizes_z_at_5pct[n];
    }
    return interval_z(n, n, alpha);
}

namespace {

// What detectability derives from its levels alone, the same for every row of a comparison:
// worked out once per thread for the levels asked last.
struct DetectabilityLevels {
    double alpha = std::numeric_limits<double>::quiet_NaN();
    double target_pct = std::numeric_limits<double>::quiet_NaN();
    double z_power = 0;           // the normal quantile of k_mde_power
    double z_two_sided = 0;       // the normal quantile of 1 - alpha / 2
    double log_target = 0;        // target_pct as a change of the logarithm
    std::size_t min_samples = 0;  // min_samples_for_alpha(alpha)
    // interval_z(n, n, alpha) by n, up to k_exact_max, when built in for alpha; else null.
    const double* equal_sizes_z = nullptr;
    // Where the search for samples_needed starts, as a fraction of the asymptotic answer.
    double start_fraction = 0.5;
};

const DetectabilityLevels& detectability_levels(double alpha, double target_pct)
{
    thread_local DetectabilityLevels levels;
    if (!(levels.alpha == alpha && levels.target_pct == target_pct)) {
        levels.alpha = alpha;
        levels.target_pct = target_pct;
        levels.z_power = normal_quantile(k_mde_power);
        levels.z_two_sided = normal_quantile(1 - alpha / 2);
        levels.log_target = std::log1p(target_pct / 100);
        levels.min_samples = min_samples_for_alpha(alpha);
        levels.equal_sizes_z = alpha == 0.05 ? k_equal_sizes_z_at_5pct.data() : nullptr;
        levels.start_fraction = 0.5;
        if (levels.equal_sizes_z != nullptr) {
            // No count from min_samples on has a smaller z than `lowest` (beyond k_exact_max it is
            // z_two_sided), so a count whose detectable change at `lowest` is still beyond the target
            // is beyond it at its own z too, and the search need not try it: it starts at the count
            // where that bound reaches the target, less a margin far wider than any rounding.
            double lowest = levels.z_two_sided;
            for (std::size_t n = levels.min_samples; n <= k_exact_max; ++n) {
                lowest = std::min(lowest, levels.equal_sizes_z[n]);
            }
            const double r = (lowest + levels.z_power) / (levels.z_two_sided + levels.z_power);
            levels.start_fraction = std::max(0.5, r * r * (1 - 1e-9));
        }
    }
    return levels;
}

// detectability() once the scale is known: `log_scale` when every value is > 0, otherwise the
// baseline median, non-zero. `sorted` when both samples are in ascending order.
Detectability detectability_on_scale(std::span<const double> x, std::span<const double> y, bool sorted,
                                     bool log_scale, double baseline_median, double alpha, double target_pct,
                                     const ChangeInterval* interval_at_alpha)
{
    const auto n1 = static_cast<double>(x.size());
    const auto n2 = static_cast<double>(y.size());
    const double sizes = 1 / n1 + 1 / n2;  // the standard error scales with sqrt(1/n1 + 1/n2)
    const DetectabilityLevels& levels = detectability_levels(alpha, target_pct);
    const double z_power = levels.z_power;

    // The standard error of the change, in log units or in percent of the baseline median: from the
    // half-width of the Hodges-Lehmann (1 - alpha) interval when it is bounded, else from the
    // pooled spread with the estimate's asymptotic error (Lehmann: for normal noise,
    // sigma * sqrt(pi/3) * sqrt(1/n1 + 1/n2)).
    std::optional<double> se;
    const double z_now = x.size() == y.size() && x.size() <= k_exact_max && levels.equal_sizes_z != nullptr
                             ? levels.equal_sizes_z[x.size()]
                             : interval_z(x.size(), y.size(), alpha);
    if (std::isfinite(z_now)) {
        const ChangeInterval interval = interval_at_alpha != nullptr ? *interval_at_alpha
                                        : sorted ? hodges_lehmann(Ascending{x}, Ascending{y}, 1 - alpha)
                                                    : hodges_lehmann(x, y, 1 - alpha);
        if (interval.low_pct && interval.high_pct) {
            double half = 0;
            if (!log_scale) {
                half = (*interval.high_pct - *interval.low_pct) / 2;
            } else {
                // A point interval (a deterministic metric, common in a suite) takes one logarithm.
                const double high = log1p_or_zero(*interval.high_pct / 100);
                const bool point = std::bit_cast<std::uint64_t>(*interval.low_pct) ==
                                   std::bit_cast<std::uint64_t>(*interval.high_pct);
                const double low = point ? high : std::log1p(*interval.low_pct / 100);
                half = (high - low) / 2;
            }
            se = half / z_now;
        }
    }
    const bool measured = se.has_value();
    if (!se && x.size() + y.size() > 2) {
        const auto g = [&](double v) { return log_scale ? std::log(v) : v / std::abs(baseline_median) * 100; };
        double sum_squares = 0;
        for (const auto* sample : {&x, &y}) {
            double mean = 0;
            for (double v : *sample) mean += g(v);
            mean /= static_cast<double>(sample->size());
            for (double v : *sample) sum_squares += (g(v) - mean) * (g(v) - mean);
        }
        se = std::sqrt(sum_squares / (n1 + n2 - 2)) * std::sqrt(std::numbers::pi / 3 * sizes);
    }

    Detectability result;
    if (!se || !std::isfinite(*se)) {
        return result;
    }
    // A change is detected when its estimate clears the interval's reach, z standard errors; it does
    // so with probability k_mde_power when the true change is z + z_power standard errors.
    // Beyond k_exact_max the interval's z is the normal quantile of the levels, already known.
    const auto mde_at = [&](std::size_t n) {
        const double se_n = *se * std::sqrt(2 / static_cast<double>(n) / sizes);
        const double z = n > k_exact_max                  ? levels.z_two_sided
                         : levels.equal_sizes_z != nullptr ? levels.equal_sizes_z[n]
                                                           : interval_z(n, n, alpha);
        return se_n * (z + z_power);
    };
    if (measured) {
        const double mde = *se * (z_now + z_power);
        result.mde_pct = log_scale ? expm1_or_zero(mde) * 100 : mde;
    }
    const double target = log_scale ? levels.log_target : target_pct;
    std::size_t n = levels.min_samples;
    if (*se > 0) {
        // Start below the asymptotic answer, where no count before can be the answer: at half of it,
        // or nearer with the built-in table (DetectabilityLevels::start_fraction).
        const double ratio = *se * (levels.z_two_sided + z_power) / target;
        const double guess = 2 / sizes * ratio * ratio;
        if (!(guess < static_cast<double>(k_max_samples_needed))) {
            result.samples_needed = k_max_samples_needed;
            return result;
        }
        n = std::max(n, static_cast<std::size_t>(guess * levels.start_fraction));
        const double limit = target * (1 + k_threshold_slack);
        // Up to k_exact_max the exact interval's z steps irregularly with n: each n is tried in turn.
        while (n < k_max_samples_needed && n <= k_exact_max && mde_at(n) > limit) {
            ++n;
        }
        if (n > k_exact_max && n < k_max_samples_needed && mde_at(n) > limit) {
            // Beyond it z is constant, so mde_at(n) never grows with n (each step of it is rounded
            // monotonically): the first n within the limit, as the walk would find it, is found by
            // halving. mde_at(low) is beyond the limit; high is within it, or the largest answer.
            std::size_t low = n;
            std::size_t high = k_max_samples_needed;
            while (high - low > 1) {
                const std::size_t mid = low + (high - low) / 2;
                (mde_at(mid) > limit ? low : high) = mid;
            }
            n = high;
        }
    }
    result.samples_needed = n;
    return result;
}

}  // namespace

Detectability detectability(std::span<const double> x, std::span<const double> y, double alpha, double target_pct,
                            const ChangeInterval* interval_at_alpha)
{
    assert(!x.empty() && !y.empty());
    const bool log_scale = std::all_of(x.begin(), x.end(), [](double v) { return v > 0; }) &&
                           std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
    double baseline_median = 0;  // only the raw scale needs it
    if (!log_scale) {
        thread_local std::vector<double> scratch;
        baseline_median = median_of_sorted(ascending(x, scratch));
        if (baseline_median == 0) {
            return {};
        }
    }
    return detectability_on_scale(x, y, false, log_scale, baseline_median, alpha, target_pct, interval_at_alpha);
}

Detectability detectability(Ascending x, Ascending y, double alpha, double target_pct,
                            const ChangeInterval* interval_at_alpha)
{
    check_samples(x, y);
    // In ascending order every value is > 0 when the first is.
    const bool log_scale = x.values.front() > 0 && y.values.front() > 0;
    double baseline_median = 0;  // only the raw scale needs it
    if (!log_scale) {
        baseline_median = median_of_sorted(x.values);
        if (baseline_median == 0) {
            return {};
        }
    }
    return detectability_on_scale(x.values, y.values, true, log_scale, baseline_median, alpha, target_pct,
                                  interval_at_alpha);
}

}  // namespace ksail_benchstat
