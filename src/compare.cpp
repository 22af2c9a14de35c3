// Groups samples into tables, rows and columns (benchstat's projections), summarises and compares them.
#include "ksail_benchstat/compare.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "ksail_benchstat/block_vector.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/flat_index.hpp"
#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/process_tuning.hpp"
#include "ksail_benchstat/units.hpp"

namespace ksail_benchstat {

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::improved: return "improved";
    case Verdict::regressed: return "regressed";
    case Verdict::unchanged: return "unchanged";
    case Verdict::insufficient: return "insufficient";
    case Verdict::added: return "added";
    case Verdict::removed: return "removed";
    }
    return "unchanged";
}

std::string_view equivalence_name(Equivalence equivalence) {
    switch (equivalence) {
    case Equivalence::regressed: return "regressed";
    case Equivalence::improved: return "improved";
    case Equivalence::equivalent: return "equivalent";
    case Equivalence::inconclusive: return "inconclusive";
    }
    return "inconclusive";
}

std::string go_float(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    auto e = sci.find('e');
    int exponent = std::stoi(sci.substr(e + 1));
    // Go's %v switches to exponent form outside [1e-4, 1e21).
    if (exponent < -4 || exponent >= 21) {
        std::string mantissa = sci.substr(0, e);
        return fmt::format("{}e{}{:02d}", mantissa, exponent < 0 ? '-' : '+', std::abs(exponent));
    }
    res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    return std::string(buf, res.ptr);
}

std::size_t baseline_column(const Report& report, const Table& table) {
    return report.columns_are_inputs || table.columns.empty() ? 0 : table.columns.front();
}

namespace {

std::string_view display_name(std::string_view name, InputFormat format) {
    if (format != InputFormat::gbench_json && name.substr(0, 9) == "Benchmark") return name.substr(9);
    return name;
}

// The footnote of a cell too small for an interval. Many cells of a large report share it, and it
// depends only on the level, so each thread words it once per level and the cells share the list.
const Notes& need_samples_for_ci(double confidence) {
    thread_local std::optional<std::pair<double, Notes>> last;
    if (!last || last->first != confidence) {
        const std::size_t n = min_samples_for_ci(confidence);
        const std::string level = go_float(confidence);
        last.emplace(confidence,
                     Notes{n == 0 ? fmt::format("need > 50 samples for confidence interval at level {}", level)
                                  : fmt::format("need >= {} samples for confidence interval at level {}", n, level)});
    }
    return last->second;
}

// benchstat's smallest equal sample size that can reach alpha, searched up to 9 (10: more than 9).
std::size_t samples_to_reach_alpha(double alpha) {
    for (std::size_t n = 1; n <= 9; ++n) {
        if (min_possible_p(n, n) <= alpha) return n;
    }
    return 10;
}

// The footnote of a comparison whose sizes are below that count, worded when one is first needed
// and then shared, like need_samples_for_ci's.
const Notes& need_samples_for_alpha(double alpha) {
    thread_local std::optional<std::pair<double, Notes>> last;
    if (!last || last->first != alpha) {
        const std::size_t n = samples_to_reach_alpha(alpha);
        last.emplace(alpha, Notes{n > 9 ? fmt::format("need > 9 samples to detect a difference at alpha level {}",
                                                      go_float(alpha))
                                        : fmt::format("need >= {} samples to detect a difference at alpha level {}",
                                                      n, go_float(alpha))});
    }
    return last->second;
}

// The footnote of a comparison whose samples are all one value: a suite's deterministic metrics
// (B/op, allocs/op) make it common, so every such comparison shares one list.
// One list per thread: the rows of both threads take a reference to it, and a list shared by
// both would have its count of holders written from both cores for every such row.
const Notes& all_samples_equal() {
    thread_local const Notes note{"all samples are equal"};
    return note;
}

// A geometric mean taken one value at a time: the running mean of the logarithms. Each step
// divides by the count so far and depends on the step before, so a table's several means are
// taken side by side in one walk over its rows, where the processor overlaps their divisions.
class RunningGeomean {
public:
    void add(double x) {
        if (m_bad) return;
        if (x <= 0) {
            m_bad = true;  // the mean is undefined, whatever comes after
            return;
        }
        ++m_count;
        m_log_mean += (std::log(x) - m_log_mean) / static_cast<double>(m_count);
    }
    // NaN when there were no values or one was not positive.
    double value() const { return m_count == 0 || m_bad ? NAN : std::exp(m_log_mean); }

private:
    double m_log_mean = 0;
    std::size_t m_count = 0;
    bool m_bad = false;
};

// Batcher's odd-even merge sort as a sorting network of `Size` inputs (a power of two): calls
// visit(i, j) for each pair of positions to compare and exchange (i < j), in order.
template <std::size_t Size, typename Visit>
constexpr void batcher_visit(const Visit& visit) {
    for (std::size_t p = 1; p < Size; p <<= 1) {
        for (std::size_t k = p; k >= 1; k >>= 1) {
            for (std::size_t j = k % p; j + k < Size; j += 2 * k) {
                for (std::size_t i = 0; i < k; ++i) {
                    if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) visit(i + j, i + j + k);
                }
            }
        }
    }
}

// The smallest power of two that is at least n.
constexpr std::size_t network_width(std::size_t n) {
    std::size_t size = 1;
    while (size < n) size <<= 1;
    return size;
}

// The exchanges that sort N values: Batcher's network for the next power of two, as if the
// positions from N on held +infinity, without the exchanges that touch those positions. An
// exchange puts the larger value at its higher position, so +infinity never leaves a position it
// holds, and every exchange with such a position leaves both values where they are: what is left
// sorts N values alone (for 10 values, 32 exchanges instead of the 63 of 16 positions).
template <std::size_t N>
constexpr std::size_t network_pairs() {
    std::size_t count = 0;
    batcher_visit<network_width(N)>([&](std::size_t, std::size_t j) {
        if (j < N) ++count;
    });
    return count;
}

template <std::size_t N>
constexpr auto network() {
    std::array<std::pair<std::uint8_t, std::uint8_t>, network_pairs<N>()> pairs{};
    std::size_t at = 0;
    batcher_visit<network_width(N)>([&](std::size_t i, std::size_t j) {
        if (j < N) pairs[at++] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j)};
    });
    return pairs;
}

// Sorts the N values at `a` (none NaN) in place with network<N>(). Each exchange is a minimum and
// a maximum, which the processor does without a branch: sorting random samples by comparisons
// mispredicts about every other one.
template <std::size_t N>
void network_sort(double* a) {
    static constexpr auto k_pairs = network<N>();
#pragma GCC unroll 256
    for (std::size_t c = 0; c < k_pairs.size(); ++c) {
        const double x = a[k_pairs[c].first];
        const double y = a[k_pairs[c].second];
        a[k_pairs[c].first] = std::min(x, y);
        a[k_pairs[c].second] = std::max(x, y);
    }
}

// The networks for 2 to k_network_max values, indexed by the count.
constexpr std::size_t k_network_max = 32;
template <std::size_t... N>
constexpr auto network_sorts(std::index_sequence<N...>) {
    return std::array<void (*)(double*), sizeof...(N)>{&network_sort<N>...};
}
constexpr auto k_network_sorts = network_sorts(std::make_index_sequence<k_network_max + 1>());

// Sorts a cell's samples into ascending order. A suite's usual few samples, up to 32, go through a
// sorting network of their exact count, which has no branch to mispredict, where sorting random
// samples mispredicts about every other comparison: on a large suite that was most of the time of
// making the cells. Equal values are the same double, except -0 and 0; samples with a zero (or a
// NaN, which is not ordered) are sorted by std::sort, which keeps -0 and 0 in the order they came
// in for so few values (its insertion sort is stable).
void sort_samples(Samples& values) {
    const std::size_t n = values.size();
    // Values already in order, above all a deterministic metric's equal ones, stay where they are.
    if (std::is_sorted(values.begin(), values.end())) return;
    // |v| > 0 is false for a zero of either sign and for NaN.
    if (n > k_network_max || !std::all_of(values.begin(), values.end(), [](double v) { return std::fabs(v) > 0; })) {
        std::sort(values.begin(), values.end());
        return;
    }
    k_network_sorts[n](values.data());
}

// Whether `v` is a finite integer, as std::isfinite(v) && std::floor(v) == v says, in a few
// instructions: below 2^52 a double converts to a 64-bit integer and back unchanged exactly when it
// has no fraction, and from 2^52 up every finite double is an integer. (NaN fails both tests.)
bool is_whole_number(double v) {
    const double magnitude = std::fabs(v);
    if (!(magnitude < 0x1p52)) return magnitude <= std::numeric_limits<double>::max();
    return static_cast<double>(static_cast<std::int64_t>(magnitude)) == magnitude;
}

Cell make_cell(Samples values, const CompareOptions& options, bool assume_exact) {
    Cell cell;
    sort_samples(values);
    cell.summary = summarize(Ascending{values}, options.confidence, options.center);
    if (options.center == Center::min && !assume_exact) {
        // The fastest run has no confidence interval; say so rather than asking for more samples.
        if (!cell.summary.all_equal) cell.warnings.push_back("the minimum has no confidence interval");
    } else if (assume_exact) {
        // Exact units: the summary is the most common value; any spread is a warning.
        cell.summary.lo = values.front();
        cell.summary.hi = values.back();
        if (values.front() != values.back()) {
            cell.warnings.push_back(fmt::format("exact distribution expected, but values range from {} to {}",
                                                go_float(values.front()), go_float(values.back())));
        }
    } else if ((!cell.summary.lo || !cell.summary.hi) && options.center == Center::mean) {
        cell.warnings.push_back(
            fmt::format("need >= 2 samples for confidence interval at level {}", go_float(options.confidence)));
    } else if (!cell.summary.lo || !cell.summary.hi) {
        cell.warnings = need_samples_for_ci(options.confidence);
    }
    cell.min = values.front();
    cell.max = values.back();
    // The samples are sorted: a fraction at either end settles it (a timing metric's usual case),
    // and samples that all equal a whole first one (a deterministic metric's) need only comparing.
    const double first = values.front();
    if (!is_whole_number(first) || !is_whole_number(values.back())) {
        cell.all_integers = false;
    } else {
        cell.all_integers = std::all_of(values.begin(), values.end(), [first](double v) { return v == first; }) ||
                            std::all_of(values.begin(), values.end(), is_whole_number);
    }
    cell.sorted = std::move(values);
    return cell;
}

// The three-way verdict: significance first (a real change is reported as one, however small), then
// whether the whole interval of the change lies within ±equivalence_pct.
void classify_equivalence(Comparison& c, const CompareOptions& options) {
    if (c.verdict == Verdict::regressed) {
        c.equivalence = Equivalence::regressed;
    } else if (c.verdict == Verdict::improved) {
        c.equivalence = Equivalence::improved;
    } else if (c.change.low_pct && c.change.high_pct && *c.change.low_pct >= -options.equivalence_pct &&
               *c.change.high_pct <= options.equivalence_pct) {
        c.equivalence = Equivalence::equivalent;
    } else {
        c.equivalence = Equivalence::inconclusive;
    }
}

Comparison make_comparison(const Cell& base, const Cell& cell, std::size_t base_input, std::size_t input,
                           Better better, const CompareOptions& options, bool assume_exact) {
    Comparison c;
    c.baseline = static_cast<std::uint32_t>(base_input);
    c.input = static_cast<std::uint32_t>(input);
    const double old_center = base.summary.center;
    const double new_center = cell.summary.center;
    const std::size_t n1 = base.sorted.size();
    const std::size_t n2 = cell.sorted.size();
    if (assume_exact) {
        c.test.p = 0;
        c.test.method = UTestMethod::exact;
        c.significant = true;
    } else {
        c.test = mann_whitney(Ascending{base.sorted}, Ascending{cell.sorted});
        c.significant = c.test.p <= options.alpha;
        if (c.test.method == UTestMethod::all_equal) {
            c.warnings = all_samples_equal();
        } else if (!c.significant) {
            const std::size_t need = samples_to_reach_alpha(options.alpha);
            if (n1 < need && n2 < need) c.warnings = need_samples_for_alpha(options.alpha);
        }
        c.significance_impossible = min_possible_p(n1, n2) > options.alpha;
    }
    if (old_center != 0) c.delta_pct = (new_center / old_center - 1.0) * 100.0;
    // Beyond the range of a double (1e-9 s against 1e299 s) there is no honest percentage.
    if (c.delta_pct && !std::isfinite(*c.delta_pct)) c.delta_pct.reset();
    c.same_center = old_center == new_center;
    c.n1 = static_cast<std::uint32_t>(n1);
    c.n2 = static_cast<std::uint32_t>(n2);
    // A significant change between equal centers takes its direction from the change's estimate.
    const bool have_change = options.change_interval || (c.significant && c.same_center);
    if (have_change) {
        c.change = hodges_lehmann(Ascending{base.sorted}, Ascending{cell.sorted}, options.confidence, assume_exact ? nullptr : &c.test);
    }

    if (c.significance_impossible && !c.significant) {
        c.verdict = Verdict::insufficient;
    } else if (!c.significant) {
        c.verdict = Verdict::unchanged;
    } else {
        double direction = 0;
        if (new_center != old_center) {
            direction = new_center > old_center ? 1 : -1;
        } else if (c.change.estimate_pct) {
            direction = *c.change.estimate_pct > 0 ? 1 : (*c.change.estimate_pct < 0 ? -1 : 0);
            if (c.change.negative_baseline) direction = -direction;
        }
        if (direction == 0) {
            c.verdict = Verdict::unchanged;
        } else {
            bool worse = (direction > 0) == (better == Better::lower);
            c.verdict = worse ? Verdict::regressed : Verdict::improved;
        }
    }
    classify_equivalence(c, options);
    // At the default levels the change's interval is already the one at 1 - alpha; do not compute it twice.
    const bool same_level = std::abs(options.confidence - (1 - options.alpha)) < 1e-12;
    if (options.detectability) {
        c.detect = assume_exact ? Detectability{0.0, min_samples_for_alpha(options.alpha)}
                                : detectability(Ascending{base.sorted}, Ascending{cell.sorted}, options.alpha,
                                                options.equivalence_pct,
                                                same_level && have_change ? &c.change : nullptr);
    }
    return c;
}

// Suite-wide: can these counts show anything? The least-sampled compared row decides. Each table
// is counted on its own (in parallel with the other tables' summaries), then the tables are merged
// in order: the first row with the largest smallest-possible p-value names the counts.
SuiteDetectability table_detectability(const Table& table, std::size_t base) {
    SuiteDetectability s;
    // Rows of a suite mostly share their sample counts: the last pair's p-value is kept at hand.
    std::size_t last_n1 = 0;
    std::size_t last_n2 = 0;
    double last_p = 0;
    bool have_last = false;
    for (const auto& row : table.rows) {
        for (const Comparison& c : row.comparisons.all()) {
            // Only changes against the report's baseline count (see the gate's for_each_case).
            if (c.baseline != base || !row.cells[c.baseline] || !row.cells[c.input]) continue;
            const std::size_t n1 = row.cells[c.baseline]->size();
            const std::size_t n2 = row.cells[c.input]->size();
            if (!have_last || n1 != last_n1 || n2 != last_n2) {
                have_last = true;
                last_n1 = n1;
                last_n2 = n2;
                last_p = min_possible_p(n1, n2);
            }
            const double p = last_p;
            if (s.compared == 0 || p > s.min_possible_p) {
                s.min_possible_p = p;
                s.n1 = n1;
                s.n2 = n2;
            }
            ++s.compared;
            if (c.significance_impossible) ++s.unreachable;
        }
    }
    return s;
}

SuiteDetectability suite_detectability(const std::vector<SuiteDetectability>& per_table,
                                       const CompareOptions& options) {
    SuiteDetectability s;
    for (const SuiteDetectability& t : per_table) {
        if (t.compared == 0) continue;
        if (s.compared == 0 || t.min_possible_p > s.min_possible_p) {
            s.min_possible_p = t.min_possible_p;
            s.n1 = t.n1;
            s.n2 = t.n2;
        }
        s.compared += t.compared;
        s.unreachable += t.unreachable;
    }
    if (s.unreachable > 0) {
        const std::string n = s.n1 == s.n2 ? fmt::format("n={}", s.n1) : fmt::format("n={}+{}", s.n1, s.n2);
        s.warning = fmt::format(
            "with {} the smallest possible p-value is {:.3g}, above alpha {}: {} of {} compared rows cannot show a "
            "significant change; at least {} samples per side are needed",
            n, s.min_possible_p, go_float(options.alpha), s.unreachable, s.compared,
            min_samples_for_alpha(options.alpha));
    }
    return s;
}

// The configuration keys that must not split the default tables: machine and run descriptions
// (cpu, every Google Benchmark context key) on which the inputs disagree. Different platforms
// (goos, goarch) cannot be compared at all and throw.
std::set<std::string> soft_keys_to_merge(const std::vector<InputFile>& inputs, const ProjectionSet& projections,
                                         std::vector<std::string>& warnings) {
    // Keys that describe the machine or the run rather than the benchmark never split tables when
    // the inputs disagree on them: benchstat would silently make separate tables and compare
    // nothing, which is how a real gate once passed without looking. We compare and warn instead.
    std::vector<std::string> keys;
    std::set<std::string> known;
    for (const auto& input : inputs) {
        for (const auto& config : input.parsed.configs) {
            for (const auto& entry : config) {
                if (projections.in_config(entry.first) && known.insert(entry.first).second) keys.push_back(entry.first);
            }
        }
    }
    auto input_values = [&](std::size_t in, const std::string& key) {
        std::set<std::string> values;
        for (const auto& config : inputs[in].parsed.configs) {
            std::string_view v = config_value(config, key);
            if (!v.empty()) values.emplace(v);
        }
        return values;
    };
    auto join = [](const std::set<std::string>& values) {
        std::string out;
        for (const auto& v : values) {
            std::string_view t = v;
            while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
            if (!out.empty()) out += ", ";
            out += t;
        }
        return out;
    };
    std::set<std::string> merged;
    for (const auto& key : keys) {
        bool soft = key == "cpu";
        for (const auto& input : inputs) {
            if (input.parsed.format == InputFormat::gbench_json) {
                for (const auto& config : input.parsed.configs) {
                    if (!config_value(config, key).empty()) soft = true;
                }
            }
        }
        const bool hard = key == "goos" || key == "goarch";
        if (!soft && !hard) continue;
        std::vector<std::set<std::string>> per_input;
        for (std::size_t in = 0; in < inputs.size(); ++in) per_input.push_back(input_values(in, key));
        bool differ = false;
        for (std::size_t in = 1; in < inputs.size(); ++in) {
            if (!per_input[0].empty() && !per_input[in].empty() && per_input[in] != per_input[0]) differ = true;
        }
        if (!differ) continue;
        std::string detail;
        for (std::size_t in = 0; in < inputs.size(); ++in) {
            if (per_input[in].empty()) continue;
            if (!detail.empty()) detail += "; ";
            detail += fmt::format("{}: {}", inputs[in].label, join(per_input[in]));
        }
        if (hard) {
            throw InputError(located(inputs.back().path, 0,
                                     fmt::format("the inputs were run on different platforms ({} differs: {}); "
                                                 "results from different platforms cannot be compared",
                                                 key, detail)));
        }
        static const std::set<std::string> k_machine_keys = {
            "cpu", "host", "num_cpus", "mhz_per_cpu", "caches", "library_build_type", "cpu_scaling_enabled"};
        if (k_machine_keys.count(key) != 0) {
            warnings.push_back(fmt::format(
                "the inputs differ in {} ({}); they are compared anyway, but time differences may come from "
                "the machines rather than the code",
                key, detail));
        }
        merged.insert(key);
    }
    return merged;
}

// A key as a label: its non-empty values joined by spaces (benchstat's row labels).
std::string join_values(const std::vector<std::string>& key) {
    std::string out;
    for (const auto& v : key) {
        if (v.empty()) continue;
        if (!out.empty()) out += ' ';
        out += v;
    }
    return out;
}

// The fields of a key that take more than one value among `keys` (benchstat's non-singular fields).
std::string varying_fields(const std::set<std::vector<std::string>>& keys, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::set<std::string> values;
        for (const auto& key : keys) values.insert(i < key.size() ? key[i] : std::string());
        if (values.size() < 2) continue;
        if (!out.empty()) out += ", ";
        out += names[i];
    }
    return out;
}

}  // namespace

namespace {

// The sample counts of the test column, "6" or "6+8", at `out` (room for 21 bytes).
char* write_counts(char* out, std::uint32_t n1, std::uint32_t n2) {
    out = std::to_chars(out, out + 10, n1).ptr;
    if (n1 != n2) {
        *out++ = '+';
        out = std::to_chars(out, out + 10, n2).ptr;
    }
    return out;
}

}  // namespace

std::string Comparison::delta_text() const {
    if (!significant) return "~";
    if (same_center) return "0.00%";
    if (!delta_pct) return "?";
    return fixed_text(*delta_pct, 2, "%", true);
}

std::string Comparison::test_text() const {
    std::string text;
    append_test_text(text);
    return text;
}

void Comparison::append_test_text(std::string& out) const {
    // Written in place rather than through fmt: every row of a large table has one.
    char buf[k_test_text_room];
    if (char* end = write_test_text(buf)) {
        out.append(buf, end);
        return;
    }
    // A p-value write_fixed leaves to the general path (one that is not finite).
    out += "p=";
    append_fixed(out, test.p, 3, " n=");
    out.append(buf, write_counts(buf, n1, n2));
}

char* Comparison::write_test_text(char* out) const {
    if (test.p != 0) {
        std::memcpy(out, "p=", 2);
        out = write_fixed(out + 2, test.p, 3);
        if (out == nullptr) return nullptr;
        std::memcpy(out, " n=", 3);
        out += 3;
    } else {
        std::memcpy(out, "n=", 2);
        out += 2;
    }
    return write_counts(out, n1, n2);
}

Report compare(std::vector<InputFile> inputs, const CompareOptions& options) {
    Report report;
    report.options = options;
    const ProjectionSet& projections = options.projections;

    // What the inputs say about each unit. The first input that states a direction decides it; an
    // input that states the other one is warned about, as the verdicts and the gate depend on it.
    std::map<std::string, UnitInfo> unit_info;
    std::map<std::string, std::size_t> direction_from;  // the input whose direction was taken
    for (std::size_t in = 0; in < inputs.size(); ++in) {
        for (const auto& info : inputs[in].parsed.units) {
            auto [it, inserted] = unit_info.emplace(info.unit, info);
            if (info.has_better) {
                const auto [from, first] = direction_from.emplace(info.unit, in);
                if (!inserted && !it->second.has_better) {
                    it->second.has_better = true;
                    it->second.better = info.better;
                } else if (!first && it->second.better != info.better) {
                    const auto word = [](Better b) { return b == Better::higher ? "higher" : "lower"; };
                    report.warnings.push_back(fmt::format(
                        "{} says {} is better for {}, {} says {}; {} is used", inputs[from->second].label,
                        word(it->second.better), info.unit, inputs[in].label, word(info.better),
                        word(it->second.better)));
                }
            }
            if (!info.direction_unknown) it->second.direction_unknown = false;
            if (info.assume_exact) it->second.assume_exact = true;
        }
    }

    // Only the table's .config merges soft keys; a key projected elsewhere is shown, not merged.
    bool table_has_config = false;
    for (const auto& f : projections.table()) {
        if (f.key == ".config") table_has_config = true;
    }
    const std::set<std::string> merged =
        table_has_config ? soft_keys_to_merge(inputs, projections, report.warnings) : std::set<std::string>{};

    // Every series that passes the filter, in observation order (input by input, file order). An
    // observation only views into its input, so it is made when needed rather than stored.
    struct Entry {
        std::size_t input = 0;
        Series* series = nullptr;
    };
    auto observation = [&](const Entry& e) {
        const InputFile& input = inputs[e.input];
        return Observation{input.label, display_name(e.series->name, input.parsed.format),
                           &input.parsed.configs[e.series->config], e.series->unit};
    };
    // Without a filter every series with samples is an entry, visited in place; a filter keeps a
    // list of the entries that pass (hundreds of thousands of entries would otherwise be listed
    // only to be read once).
    const bool filtering = !options.filter.is_everything() || projections.has_fixed_orders();
    std::vector<Entry> passed;
    const auto for_each_entry = [&](const auto& visit) {
        if (filtering) {
            for (const Entry& e : passed) visit(e);
            return;
        }
        for (std::size_t in = 0; in < inputs.size(); ++in) {
            for (auto& series : inputs[in].parsed.series) {
                if (!series.values.empty()) visit(Entry{in, &series});
            }
        }
    };
    if (filtering) {
        bool had_entries = false;
        for (std::size_t in = 0; in < inputs.size(); ++in) {
            for (auto& series : inputs[in].parsed.series) {
                if (series.values.empty()) continue;
                had_entries = true;
                const Entry e{in, &series};
                const Observation obs = observation(e);
                if (options.filter.matches(obs) && projections.passes_fixed_orders(obs)) passed.push_back(e);
            }
        }
        if (had_entries && passed.empty()) {
            report.warnings.push_back(
                "no benchmark matches --filter and the fixed orders of --table, --row and --col");
        }
    }

    std::vector<ProjectionField> table_fields = projections.table();
    table_fields.push_back({".unit", KeyOrder::first, {}});  // units always separate tables
    KeyMaker table_keys(table_fields, projections, merged);
    KeyMaker row_keys(projections.row(), projections);
    KeyMaker col_keys(projections.col(), projections);
    KeyMaker residue_keys(projections.residue(), projections);
    // Learning reads only the configuration, and inputs share a handful of configurations.
    std::set<const Config*> learned;
    const Config* previous_config = nullptr;
    for_each_entry([&](const Entry& e) {
        // Series come in runs of one configuration: most are settled without a lookup.
        const Config* config = &inputs[e.input].parsed.configs[e.series->config];
        if (config == previous_config) return;
        previous_config = config;
        if (!learned.insert(config).second) return;
        const Observation obs = observation(e);
        for (KeyMaker* k : {&table_keys, &row_keys, &col_keys, &residue_keys}) k->learn(obs);
    });

    using Key = std::vector<std::string>;
    struct KeyHash {
        std::size_t operator()(const Key& key) const {
            std::size_t h = key.size();
            for (const auto& v : key) h = h * 1000003u ^ std::hash<std::string>{}(v);
            return h;
        }
    };
    auto key_less = [](const KeyMaker& maker) {
        return [&maker](const Key& a, const Key& b) { return maker.less(a, b); };
    };

    // Columns get an id when first seen (by default: the inputs, in order) and their final place
    // once every key is known.
    for (const auto& f : projections.col()) report.column_keys.push_back(f.key);
    report.columns_are_inputs = projections.columns_are_inputs();
    std::unordered_map<Key, std::size_t, KeyHash> column_id;
    std::vector<Key> column_seen;
    if (report.columns_are_inputs) {
        for (const auto& input : inputs) {
            column_id.emplace(Key{input.label}, column_seen.size());
            column_seen.push_back(Key{input.label});
        }
    }

    struct CellBuild {
        Samples values;
        // What no projection shows, when something is left over (--ignore, coarse --row/--col);
        // held apart because hundreds of thousands of cells have nothing left over.
        std::unique_ptr<std::set<Key>> residues;
    };
    // A row's cells by column id: the first two (a before/after comparison) in place, so that the
    // usual row allocates nothing of its own. A cell without samples is absent (every placed
    // series has samples).
    struct CellBuilds {
        CellBuild first[2];
        std::unique_ptr<std::vector<CellBuild>> more;
        std::size_t size() const { return 2 + (more ? more->size() : 0); }
        CellBuild& operator[](std::size_t id) { return id < 2 ? first[id] : (*more)[id - 2]; }
        CellBuild& grow_to(std::size_t id) {
            if (id >= 2) {
                if (!more) more = std::make_unique<std::vector<CellBuild>>();
                if (more->size() <= id - 2) more->resize(id - 1);
            }
            return (*this)[id];
        }
    };
    struct RowBuild {
        std::size_t key_id = 0;  // the row's key: an index into name_order or row_key_list
        SharedText name;         // the full name of the row's first series, when rows are names
        CellBuilds cells;
    };
    struct TableBuild {
        std::uint32_t id = 0;  // in order of creation
        std::string unit;
        BlockVector<RowBuild> rows;
    };
    // Few tables: an ordered map. Keys are observed before they are inserted, so the order of the
    // keys already in the map never changes.
    std::map<Key, TableBuild, std::function<bool(const Key&, const Key&)>> tables(key_less(table_keys));

    // Hundreds of thousands of series share a few thousand keys, so keys are made once and looked
    // up cheaply. A row key is interned (one copy per distinct key, shared by every table); when
    // it reads nothing but the benchmark name (the default: the full name) it is found by the name.
    std::unordered_map<Key, std::size_t, KeyHash> row_key_ids;
    std::vector<const Key*> row_key_list;
    // For each interned row key, the tables that have a row for it and that row's index. A key is
    // usually in a few tables (one per unit), which a short list holds; a benchmark name that
    // many packages share (each package a table of its own) is in thousands, which a hash map
    // takes beyond the list, so that placing a series never walks them all.
    struct KeyRows {
        struct Place {
            std::uint32_t table;  // TableBuild::id
            std::uint32_t row;    // index into its rows
        };
        Place first[4];  // a key is in a few tables: one per unit
        std::uint32_t count = 0;
        std::unique_ptr<std::unordered_map<std::uint32_t, std::uint32_t>> more;  // table id -> row
        std::uint32_t* find(const TableBuild& tb) {
            for (std::uint32_t i = 0; i < count && i < std::size(first); ++i) {
                if (first[i].table == tb.id) return &first[i].row;
            }
            if (more) {
                const auto it = more->find(tb.id);
                if (it != more->end()) return &it->second;
            }
            return nullptr;
        }
        void add(const TableBuild& tb, std::size_t row) {
            const auto at = static_cast<std::uint32_t>(row);
            if (count < std::size(first)) {
                first[count] = Place{tb.id, at};
            } else {
                if (!more) more = std::make_unique<std::unordered_map<std::uint32_t, std::uint32_t>>();
                more->emplace(tb.id, at);
            }
            ++count;
        }
    };
    std::vector<KeyRows> rows_of_key;
    // Row-key names in order of first appearance with their row keys, and each name's place there.
    // Each input's series are released as soon as its last one is placed, so the lookups hold the
    // names they view into.
    struct NamePlace {
        SharedText name;           // the full name
        std::string_view display;  // the row-key name: `name` itself, or its end
        std::size_t key_id = 0;
    };
    std::vector<NamePlace> name_order;
    FlatIndex name_index;  // a display name's place in name_order
    const bool rows_by_name = row_keys.reads_only_name();
    // One row field ordered by first observation (the default, .fullname): a key's place is the
    // order in which it was interned, with nothing to record or sort.
    const bool rows_in_first_order = projections.row().size() == 1 && projections.row()[0].key != ".config" &&
                                     projections.row()[0].order == KeyOrder::first;
    // Rows that are exactly the benchmarks' names in first-observation order (the default) need no
    // keys at all: a row's place is its name's place in name_order, and it shows that name.
    const bool rows_are_names = projections.rows_are_names();
    const bool rows_plain_names = rows_by_name && rows_in_first_order && rows_are_names;
    std::string_view last_name;              // the previous series' name and row key, when rows are names
    const char* last_series_text = nullptr;  // the previous series' name text (last_name: its row's)
    std::size_t last_key_id = 0;
    std::size_t last_name_at = 0;  // its place in name_order
    bool have_last_name = false;
    auto intern_row_key = [&](Key key) {
        auto [it, fresh] = row_key_ids.try_emplace(std::move(key), row_key_list.size());
        if (fresh) {
            // A key's first appearance anywhere is its first in some table, which is where
            // benchstat records the first observation of its values.
            if (!rows_in_first_order) row_keys.observe(it->first);
            row_key_list.push_back(&it->first);
            rows_of_key.emplace_back();
        }
        return it->second;
    };
    // Table and column keys that do not read the benchmark name depend only on the input, the
    // configuration and the unit, which few series differ in.
    // The series of one unit share its text, so a unit is known by that text's address, without
    // hashing or comparing its characters. (Two copies of one unit's text would only be two keys
    // for the same table and column.) The unit comes first: consecutive series mostly differ in it
    // alone, so most mismatches are settled by one comparison.
    struct Context {
        const char* unit = nullptr;
        std::size_t unit_size = 0;
        std::size_t input = 0;
        std::size_t config = 0;
        bool operator==(const Context&) const = default;
    };
    struct ContextHash {
        std::size_t operator()(const Context& c) const {
            return ((c.input * 1000003u ^ c.config) * 1000003u ^ reinterpret_cast<std::uintptr_t>(c.unit)) * 1000003u ^
                   c.unit_size;
        }
    };
    std::unordered_map<Context, std::pair<TableBuild*, std::size_t>, ContextHash> context_keys;
    const bool cache_context = !table_keys.reads_name() && !col_keys.reads_name();
    // A benchmark's series go through a few units, and the next benchmark's through the same: the
    // contexts placed last are tried before the map (whose lookup divides by its bucket count).
    struct RecentContext {
        Context context;
        TableBuild* tb = nullptr;
        std::size_t col = 0;
    };
    std::array<RecentContext, 4> recent_contexts{};
    std::size_t recent_next = 0;

    // The first input names nearly every benchmark once, in runs of series that share the name:
    // counting the runs sizes the name lookups at once, rather than growing them step by step.
    if (rows_by_name && !inputs.empty()) {
        std::size_t runs = 0;
        const char* previous = nullptr;
        for (const Series& series : inputs.front().parsed.series) {
            if (series.name.view().data() != previous) ++runs;
            previous = series.name.view().data();
        }
        name_index.reserve(runs);
        name_order.reserve(runs);
        rows_of_key.reserve(runs);
    }
    // The first input's names are nearly all new, and a new name's slot in name_index is seldom in
    // the cache. When a name is looked up, the next benchmark's slot (a few series on, past the
    // series that share this name) is fetched meanwhile and its hash kept for its turn.
    struct LookAhead {
        const Series* series = nullptr;
        std::size_t hash = 0;
    } ahead;
    const auto look_ahead = [&](const Entry& e) {
        const std::vector<Series>& all = inputs[e.input].parsed.series;
        const auto at = static_cast<std::size_t>(e.series - all.data());
        constexpr std::size_t k_look = 8;
        for (std::size_t next = at + 1; next < all.size() && next <= at + k_look; ++next) {
            if (all[next].name.view().data() == e.series->name.view().data()) continue;
            ahead.series = &all[next];
            ahead.hash = std::hash<std::string_view>{}(display_name(all[next].name, inputs[e.input].parsed.format));
            name_index.prefetch(ahead.hash);
            return;
        }
    };
    // The largest piece of memory the grouping lets go of: one input's list of series.
    std::size_t largest_series_bytes = 0;
    for (const auto& input : inputs) {
        largest_series_bytes = std::max(largest_series_bytes, input.parsed.series.capacity() * sizeof(Series));
    }
    // The table and column of a series, from its projected keys; a key not seen before is observed
    // (a value is first seen in a key that is new where it is looked up, so only new keys need to
    // be; a key already in a map has every value observed, so lookups are exact).
    const auto table_and_column = [&](const Observation& obs, const SharedText& unit) {
        Key table_key = table_keys.project(obs);
        Key col_key = col_keys.project(obs);
        auto [cit, col_new] = column_id.try_emplace(col_key, column_seen.size());
        if (col_new) {
            col_keys.observe(col_key);
            column_seen.push_back(std::move(col_key));
        }
        // Observing a key already in the map changes nothing (its values are all observed), so the
        // key is observed first. A new key then usually sorts after every key so far (configurations
        // come in the order of their packages, units in the order first seen): one comparison with
        // the last key settles that, sparing the map's search, which compares keys field by field
        // at each of its levels (thousands of tables, in a monorepo).
        table_keys.observe(table_key);
        const auto& less = tables.key_comp();
        const bool after_last = !tables.empty() && less(std::prev(tables.end())->first, table_key);
        auto it = after_last ? tables.end() : tables.find(table_key);
        if (it == tables.end()) {
            const auto id = static_cast<std::uint32_t>(tables.size());
            TableBuild table{id, std::string(unit), {}};
            it = after_last ? tables.emplace_hint(tables.end(), std::move(table_key), std::move(table))
                            : tables.emplace(std::move(table_key), std::move(table)).first;
        }
        return std::pair<TableBuild*, std::size_t>{&it->second, cit->second};
    };
    const bool keep_residues = !projections.residue().empty();
    std::size_t placing = 0;  // the input being placed
    // The settings that hold for the whole loop are copied in: a copy is read in one step, where a
    // reference is read through its address every time. The body is inlined into the loops of
    // for_each_entry (the compiler, left to itself, calls it for every series: 16 instructions each).
    for_each_entry([&, rows_by_name, rows_are_names, keep_residues, cache_context](const Entry& e)
                       __attribute__((always_inline)) {
        if (e.input != placing) {
            // Every series of the previous input is placed: its samples are in the cells and the
            // names that are kept are held by the rows and lookups, so the series go now rather
            // than with the rest.
            std::vector<Series>().swap(inputs[placing].parsed.series);
            context_keys.clear();  // its keys view into the released series' units
            recent_contexts = {};
            ahead = LookAhead{};
            placing = e.input;
        }
        TableBuild* tb = nullptr;
        std::size_t col = 0;
        const Context context{e.series->unit.data(), e.series->unit.size(), e.input, e.series->config};
        const auto recent =
            cache_context
                ? std::find_if(recent_contexts.begin(), recent_contexts.end(),
                               [&](const RecentContext& r) { return r.context == context && r.tb != nullptr; })
                : recent_contexts.end();
        if (recent != recent_contexts.end()) {
            tb = recent->tb;
            col = recent->col;
        } else {
            const auto cached = cache_context ? context_keys.find(context) : context_keys.end();
            if (cached != context_keys.end()) {
                std::tie(tb, col) = cached->second;
            } else {
                std::tie(tb, col) = table_and_column(observation(e), e.series->unit);
                if (cache_context) context_keys.emplace(context, std::make_pair(tb, col));
            }
            if (cache_context) recent_contexts[recent_next++ % recent_contexts.size()] = {context, tb, col};
        }

        std::size_t key_id = 0;
        // A benchmark's metrics follow one another: the same name as the series before, whose text
        // they share. Every name's text was made before the grouping began and was all alive then,
        // so two different texts are never at the same place: such a series needs neither its
        // observation nor its name's characters.
        const char* series_text = e.series->name.data();
        const bool same_text = series_text == last_series_text;
        last_series_text = series_text;
        if (rows_by_name && have_last_name && same_text) {
            key_id = last_key_id;
        } else if (rows_by_name) {
            const Observation obs = observation(e);
            if (have_last_name && obs.fullname == last_name) {
                key_id = last_key_id;
            } else {
                // Later inputs usually list the benchmarks in the same order: the name after the
                // previous one is tried before the lookup.
                std::size_t at = last_name_at + 1;
                if (!have_last_name || at >= name_order.size() || name_order[at].display != obs.fullname) {
                    const std::size_t hash =
                        e.series == ahead.series ? ahead.hash : std::hash<std::string_view>{}(obs.fullname);
                    look_ahead(e);
                    const auto [found_at, is_new] = name_index.find_or_insert(
                        hash, [&](std::uint32_t place) { return name_order[place].display == obs.fullname; },
                        name_order.size());
                    if (is_new) {
                        // obs.fullname views into the series' name, which name_order now holds too.
                        if (rows_plain_names) {
                            name_order.push_back({e.series->name, obs.fullname, name_order.size()});
                            rows_of_key.emplace_back();
                        } else {
                            name_order.push_back({e.series->name, obs.fullname, intern_row_key(row_keys.project(obs))});
                        }
                    }
                    at = found_at;
                }
                last_name_at = at;
                last_name = name_order[at].display;
                last_key_id = name_order[at].key_id;
                key_id = last_key_id;
                have_last_name = true;
            }
        } else {
            key_id = intern_row_key(row_keys.project(observation(e)));
        }
        KeyRows& in_tables = rows_of_key[key_id];
        const std::uint32_t* found = in_tables.find(*tb);
        const bool new_row = found == nullptr;
        RowBuild* placed = nullptr;
        if (new_row) {
            placed = &tb->rows.emplace_back();
            placed->key_id = key_id;
            in_tables.add(*tb, tb->rows.size() - 1);
        } else {
            placed = &tb->rows[*found];
        }
        RowBuild& row = *placed;
        CellBuild& cell = row.cells.grow_to(col);
        if (cell.values.empty()) {
            // The cell takes the series' samples; the series gets the cell's empty list, which
            // goes with it (a swap spares the move's temporary and its release).
            cell.values.swap(e.series->values);
        } else {
            // Several series in one cell (two runs appended to one file, or a coarser --row/--col):
            // their samples pool.
            cell.values.append(e.series->values);
        }
        if (keep_residues) {
            if (!cell.residues) cell.residues = std::make_unique<std::set<Key>>();
            cell.residues->insert(residue_keys.project(observation(e)));
        }
        // Last, as the observations view into it: the row's name is its first series' (shared with the
        // benchmark's rows in other tables). Any other series lets go of its name now rather than
        // with its input: the rows and the name lookups hold what they need. (Keeping the names
        // until the input's series go raised the peak of a large comparison by about 19 MB.)
        if (new_row && rows_are_names) {
            row.name = std::move(e.series->name);
        } else {
            e.series->name = SharedText();
        }
    });
    for (auto& input : inputs) std::vector<Series>().swap(input.parsed.series);
    name_index = FlatIndex{};
    if (!rows_plain_names) name_order = {};
    std::vector<KeyRows>().swap(rows_of_key);
    // Every row key's place in benchstat's order, computed once for all tables.
    std::vector<std::size_t> row_place;
    if (rows_in_first_order) {
        row_place.resize(rows_plain_names ? name_order.size() : row_key_list.size());
        for (std::size_t k = 0; k < row_place.size(); ++k) row_place[k] = k;
    } else {
        row_place = row_keys.places(row_key_list);
    }
    row_keys = KeyMaker(projections.row(), projections);  // drops its record of first observations

    // Final column order: the inputs as given, or the projected keys in their sort order.
    std::vector<std::size_t> column_of_id(column_seen.size());
    if (report.columns_are_inputs) {
        for (std::size_t in = 0; in < inputs.size(); ++in) {
            report.columns.push_back({inputs[in].label, {inputs[in].label}, in});
            column_of_id[in] = in;
        }
    } else {
        std::vector<std::size_t> order(column_seen.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return col_keys.less(column_seen[a], column_seen[b]); });
        for (std::size_t place = 0; place < order.size(); ++place) {
            const Key& key = column_seen[order[place]];
            column_of_id[order[place]] = place;
            report.columns.push_back({join_values(key), key, std::nullopt});
        }
    }
    const std::size_t n_columns = report.columns.size();

    std::vector<Entry>().swap(passed);

    const std::vector<std::string> residue_names = residue_keys.names();
    const std::vector<std::string> table_names = table_keys.names();
    // Tables are made independently of each other, so a large report makes them on every core.
    struct TableJob {
        const Key* key;
        TableBuild* build;
        const UnitInfo* unit;  // what the inputs said about the table's unit, or null
    };
    std::vector<TableJob> jobs;
    std::vector<bool> table_exact;  // filled here: bits of one word cannot be set from two threads
    std::size_t total_rows = 0;
    for (auto& [table_key, tb] : tables) {
        const auto info_it = unit_info.find(tb.unit);
        const UnitInfo* info = info_it != unit_info.end() ? &info_it->second : nullptr;
        jobs.push_back({&table_key, &tb, info});
        table_exact.push_back(info != nullptr && info->assume_exact);
        total_rows += tb.rows.size();
    }
    report.tables.resize(jobs.size());
    // First each table's frame: its key and unit, the columns it has cells in, and the order of its rows.
    std::vector<std::vector<std::size_t>> row_orders(jobs.size());
    // Each row's place in the global order of keys, ascending along the table's rows: the stripes
    // below find their ends in these rather than through the grouping's rows.
    std::vector<std::vector<std::size_t>> row_places(jobs.size());
    // Whether a table's rows are made in the order they were grouped (usually so). Bytes, not
    // bits: tables are framed on several threads.
    std::vector<std::uint8_t> rows_in_order(jobs.size(), 0);
    const auto frame_table = [&](std::size_t t) {
        const Key& table_key = *jobs[t].key;
        TableBuild& tb = *jobs[t].build;
        Table& table = report.tables[t];
        for (std::size_t k = 0; k + 1 < table_key.size(); ++k) table.config.emplace_back(table_names[k], table_key[k]);
        table.unit = tb.unit;
        const UnitInfo* info = jobs[t].unit;
        table.better = info != nullptr && info->has_better ? info->better : default_better(tb.unit);
        table.better_unknown = info != nullptr && !info->has_better && info->direction_unknown;
        table.unit_class = unit_class(tb.unit);
        // Rows in the global order of their keys (first observation unless --row says otherwise).
        // One walk over the grouped rows (a large table's are tens of megabytes) finds each row's
        // place and the columns the table has cells in.
        std::vector<std::size_t>& order = row_orders[t];
        order.resize(tb.rows.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::vector<std::size_t>& places = row_places[t];
        places.clear();
        places.reserve(order.size());
        std::vector<bool> has_column(n_columns, false);
        tb.rows.for_each([&](RowBuild& build) {
            places.push_back(row_place[build.key_id]);
            for (std::size_t id = 0; id < build.cells.size(); ++id) {
                if (!build.cells[id].values.empty()) has_column[column_of_id[id]] = true;
            }
        });
        // Rows are made in the order their keys are first seen in the table, which is usually already
        // the global order.
        if (std::is_sorted(places.begin(), places.end())) {
            rows_in_order[t] = 1;
        } else {
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return places[a] < places[b]; });
            std::vector<std::size_t> sorted(order.size());
            for (std::size_t i = 0; i < order.size(); ++i) sorted[i] = places[order[i]];
            places = std::move(sorted);
        }
        for (std::size_t col = 0; col < n_columns; ++col) {
            if (has_column[col]) table.columns.push_back(col);
        }
    };
    // A few thousand rows in all are made faster than a thread starts.
    constexpr std::size_t k_parallel_rows = 8192;
    parallel_for(jobs.size(), total_rows >= k_parallel_rows ? 1 : jobs.size() + 1, 1, frame_table);

    // Then the rows, each with its statistics. The samples of a row go as soon as its statistics are
    // made (unless the report keeps them), so rows are made in stripes across all tables: the rows of
    // one benchmark in its several tables (one per unit) are made together, in the order the inputs
    // listed the benchmarks, which is the order their samples were read into memory. What a stripe
    // releases is then mostly whole blocks of samples, which go back to the system at once.
    const auto make_row = [&](std::size_t t, std::size_t r) {
        TableBuild& tb = *jobs[t].build;
        Table& table = report.tables[t];
        RowBuild& build = tb.rows[row_orders[t][r]];
        Row& row = table.rows[r];
        if (rows_plain_names) {
            row.name = std::move(build.name);
            row.set_display(name_order[build.key_id].display);
        } else if (const Key& key = *row_key_list[build.key_id]; key.size() == 1) {
            // One value (the usual row key): shown as it is, usually the end of the name.
            row.name = rows_are_names ? std::move(build.name) : SharedText(key.front());
            row.set_display(key.front());
        } else {
            std::string display = join_values(*row_key_list[build.key_id]);
            row.name = rows_are_names ? std::move(build.name) : SharedText(display);
            row.set_display(display);
        }
        row.cells.resize(n_columns);
        for (std::size_t id = 0; id < build.cells.size(); ++id) {
            CellBuild& cell_build = build.cells[id];
            if (cell_build.values.empty()) continue;
            const std::size_t col = column_of_id[id];
            row.cells[col] = make_cell(std::move(cell_build.values), options, table_exact[t]);
            if (cell_build.residues && cell_build.residues->size() > 1) {
                // Results the projections put in one cell differ in something no projection shows.
                std::string fields = varying_fields(*cell_build.residues, residue_names);
                if (!fields.empty()) row.cells[col]->warnings.push_front("benchmarks vary in " + fields);
            }
            cell_build.residues.reset();
        }
        const std::size_t base = table.columns.front();
        if (row.cells[base]) {
            for (std::size_t ci = 1; ci < table.columns.size(); ++ci) {
                const std::size_t in = table.columns[ci];
                if (!row.cells[in]) continue;
                row.comparisons.set(make_comparison(*row.cells[base], *row.cells[in], base, in, table.better, options,
                                                    table_exact[t]));
            }
        }
        if (!options.keep_samples) {
            // The statistics are made: the report keeps the cells' counts and ranges, not the samples.
            for (auto& cell : row.cells) {
                if (cell) cell->sorted.release();
            }
        }
    };
    // Stripes and handing memory back keep a large comparison's peak down, and cost a smaller one
    // time for memory it has little of (a few milliseconds for 25,000 rows, a tenth of their
    // comparison): below this many rows, all rows are one stripe and nothing is handed back.
    constexpr std::size_t k_large_comparison_rows = 65536;
    const bool large = total_rows >= k_large_comparison_rows;
    // A stripe is the rows whose keys come next in the global order (a table's rows are in that
    // order), a few thousand keys at a time.
    constexpr std::size_t k_stripe_keys = 4096;
    // The grouping has released the inputs' series and its own lookups: for a large comparison, tens
    // of megabytes, the largest piece one input's list of series. When every table's rows fit in
    // such a piece (a suite of many packages, a table each), the rows are made in that memory and
    // need no new memory. A table too large for it takes new memory beside it instead, so then the
    // freed memory goes back to the system before the rows take their place, which keeps the peak
    // down.
    std::size_t largest_table_bytes = 0;
    for (const auto& order : row_orders) largest_table_bytes = std::max(largest_table_bytes, order.size() * sizeof(Row));
    if (large && largest_table_bytes > largest_series_bytes) return_free_memory();
    std::vector<std::size_t> made(jobs.size(), 0);          // rows made so far, per table
    std::vector<std::size_t> stripe_end(jobs.size(), 0);    // rows made once the stripe is done
    std::vector<std::size_t> first_in_stripe(jobs.size());  // the stripe's rows, numbered across tables
    std::vector<std::size_t> growing;                       // the tables that have rows in the stripe
    for (std::size_t limit = 0, left = total_rows; left > 0;) {
        limit = large ? limit + k_stripe_keys : std::numeric_limits<std::size_t>::max();
        std::size_t count = 0;
        growing.clear();
        for (std::size_t t = 0; t < jobs.size(); ++t) {
            first_in_stripe[t] = count;
            const std::vector<std::size_t>& places = row_places[t];
            const auto end = static_cast<std::size_t>(
                std::lower_bound(places.begin() + static_cast<std::ptrdiff_t>(made[t]), places.end(), limit) -
                places.begin());
            stripe_end[t] = end;
            if (end > made[t]) growing.push_back(t);
            count += end - made[t];
        }
        // The stripe's rows are constructed first, table by table on both threads, as constructing
        // them is also the first touch of their memory. A table's rows are allocated when its first
        // stripe comes: with huge pages, the allocator's bookkeeping would otherwise touch (and so
        // commit) a page of every table's rows at once.
        parallel_for(growing.size(), count >= 512 ? 1 : growing.size() + 1, 1, [&](std::size_t g) {
            std::vector<Row>& rows = report.tables[growing[g]].rows;
            if (rows.capacity() == 0) rows.reserve(row_orders[growing[g]].size());
            rows.resize(stripe_end[growing[g]]);
        });
        // A stripe ends with all its rows made, so its rows are handed out in small chunks that keep
        // both threads busy to the end; a thread is started for a few hundred rows or more, which
        // take longer than starting it. A row's table is the last one starting at or before it.
        parallel_for(count, 512, 64, [&](std::size_t i) {
            const auto t = static_cast<std::size_t>(std::upper_bound(first_in_stripe.begin(), first_in_stripe.end(), i) -
                                                    first_in_stripe.begin()) - 1;
            make_row(t, made[t] + (i - first_in_stripe[t]));
        });
        for (std::size_t t = 0; t < jobs.size(); ++t) {
            made[t] = report.tables[t].rows.size();
            // A finished table's grouping goes now rather than with the rest.
            if (made[t] == row_orders[t].size()) {
                jobs[t].build->rows.clear();
            } else if (rows_in_order[t]) {
                // The rows made so far used the grouping's rows before made[t]: a large table's
                // blocks of them go as the stripes pass.
                jobs[t].build->rows.release_front(made[t]);
            }
        }
        left -= count;
    }
    for (auto& job : jobs) job.build->rows.clear();
    tables.clear();
    // The rows have their names and display names: what identified them while grouping goes now.
    row_key_list = {};
    std::unordered_map<Key, std::size_t, KeyHash>().swap(row_key_ids);
    name_order = {};
    // The geometric means of each table, which are independent of the other tables', and what its
    // sample counts can detect.
    std::vector<SuiteDetectability> table_detect(report.tables.size());
    const auto summarize_columns = [&](std::size_t t) {
        Table& table = report.tables[t];
        table_detect[t] = table_detectability(table, baseline_column(report, table));
        const std::size_t base = table.columns.front();
        // One walk over the rows for every column's means (see RunningGeomean).
        struct ColumnMeans {
            std::size_t input = 0;
            RunningGeomean centers;
            RunningGeomean ratios;
            std::size_t ratio_count = 0;
            bool bad_ratio = false;  // a center against a baseline of 0
        };
        std::vector<ColumnMeans> columns(table.columns.size());
        for (std::size_t ci = 0; ci < columns.size(); ++ci) columns[ci].input = table.columns[ci];
        std::size_t n_base = 0;
        for (const auto& row : table.rows) {
            const auto& baseline = row.cells[base];
            if (baseline) ++n_base;
            for (std::size_t ci = 0; ci < columns.size(); ++ci) {
                ColumnMeans& column = columns[ci];
                const auto& cell = row.cells[column.input];
                if (!cell) continue;
                const double a = cell->summary.center;
                column.centers.add(a);
                if (ci == 0 || !baseline) continue;
                const double b = baseline->summary.center;
                ++column.ratio_count;
                if (a == b) {
                    column.ratios.add(1);
                } else if (b == 0) {
                    column.bad_ratio = true;
                } else {
                    column.ratios.add(a / b);
                }
            }
        }
        for (std::size_t ci = 0; ci < columns.size(); ++ci) {
            const ColumnMeans& column = columns[ci];
            ColumnSummary s;
            s.has_ratio_cell = ci > 0;
            if (ci > 0 && n_base != column.ratio_count) {
                s.warnings.push_back("benchmark set differs from baseline; geomeans may not be comparable");
            }
            const double gm = column.centers.value();
            if (std::isnan(gm)) {
                s.warnings.push_back("summaries must be >0 to compute geomean");
            } else {
                s.geomean = gm;
            }
            if (ci > 0 && !column.bad_ratio) {
                const double gr = column.ratios.value();
                if (std::isnan(gr)) {
                    s.warnings.push_back("ratios must be >0 to compute geomean");
                } else {
                    s.ratio = gr;
                }
            }
            table.summaries.push_back(std::move(s));
        }
    };
    parallel_for(report.tables.size(), total_rows >= k_parallel_rows ? 1 : report.tables.size() + 1, 1,
                 summarize_columns);

    {
        bool any_gbench = false;
        bool any_go = false;
        for (const auto& input : inputs) {
            (input.parsed.format == InputFormat::gbench_json ? any_gbench : any_go) = true;
        }
        if (any_gbench && any_go) {
            report.warnings.push_back(
                "the inputs come from different tools (Google Benchmark and Go); only benchmarks with the same "
                "name and unit are compared");
        }
    }
    for (const auto& input : inputs) {
        for (const auto& d : input.parsed.warnings) {
            report.warnings.push_back(d.line ? fmt::format("{}:{}: {}", d.file, d.line, d.message)
                                             : fmt::format("{}: {}", d.file, d.message));
        }
    }
    report.detectability = suite_detectability(table_detect, options);
    report.inputs = std::move(inputs);
    return report;
}

}  // namespace ksail_benchstat
