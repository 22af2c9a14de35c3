// The CI gate: turns the report's change intervals into pass/fail findings, goals and policy notes.
#include "ksail_benchstat/gate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate_config.hpp"
#include "ksail_benchstat/parallel.hpp"

namespace ksail_benchstat {

std::string_view gate_status_name(GateStatus status) {
    switch (status) {
    case GateStatus::failed: return "failed";
    case GateStatus::possible_regression: return "possible_regression";
    case GateStatus::below_threshold: return "below_threshold";
    case GateStatus::unstable: return "unstable";
    case GateStatus::goal_met: return "goal_met";
    case GateStatus::goal_unmet: return "goal_unmet";
    case GateStatus::inconclusive: return "inconclusive";
    case GateStatus::not_gated: return "not_gated";
    }
    return "failed";
}

namespace {

constexpr double k_default_threshold = 10;
// Beyond this the advice "run N samples" stops being useful; we say "more than" instead.
constexpr std::size_t k_max_samples_advice = 10000;
// Small samples: below this on both sides a suite is treated as single runs (deterministic mode).
constexpr std::size_t k_deterministic_n = 4;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_time_unit(std::string_view unit) { return starts_with(unit, "sec/") || ends_with(unit, "-sec/op"); }
bool is_bytes_unit(std::string_view unit) { return unit == "B/op"; }
bool is_allocs_unit(std::string_view unit) { return unit == "allocs/op"; }
// Rates are time turned upside down, so they depend on the hardware exactly as much as time does.
bool is_hardware_dependent(std::string_view unit) { return is_time_unit(unit) || ends_with(unit, "/s"); }

// "+12.3%": one decimal is enough to read a change; small changes keep two so they do not print as 0.
void append_pct(std::string& out, double v) { append_fixed(out, v, v != 0 && std::abs(v) < 1 ? 2 : 1, "%", true); }

std::string pct_text(double v) {
    std::string out;
    append_pct(out, v);
    return out;
}

// fmt's "{:g}". Whole numbers below 10^6, which it prints as plain digits, are the usual thresholds
// and levels: they skip the parsing of a format string and fmt's general float formatting.
std::string g_text(double v) {
    if (v == std::trunc(v) && std::abs(v) < 1e6 && !(v == 0 && std::signbit(v))) {
        return std::to_string(static_cast<long long>(v));
    }
    return fmt::format("{:g}", v);
}

std::string threshold_text(double pct, Better better) {
    std::string out(better == Better::lower ? "+" : "-");
    out += g_text(pct);
    out += '%';
    return out;
}

std::string seconds_text(double s) {
    if (s < 1e-6) return fmt::format("{:g}ns", s * 1e9);
    if (s < 1e-3) return fmt::format("{:g}µs", s * 1e6);
    if (s < 1) return fmt::format("{:g}ms", s * 1e3);
    return fmt::format("{:g}s", s);
}

// An absolute amount of `unit` for messages: "1.5ms", "4096 B", "2 allocs/op".
std::string amount_text(double v, std::string_view unit) {
    if (is_time_unit(unit)) return seconds_text(v);
    if (is_bytes_unit(unit)) return fmt::format("{:g} B", v);
    return fmt::format("{:g} {}", v, unit);
}

// "+183.3% [+176.6% … +192.7%]", the form every reason uses, appended to `out`.
void append_change(std::string& out, const ChangeInterval& change, OptionalDouble fallback) {
    const OptionalDouble est = change.estimate_pct ? change.estimate_pct : fallback;
    if (est) {
        append_pct(out, *est);
    } else {
        out += '?';
    }
    const std::string_view of = change.negative_baseline ? " of a negative baseline" : "";
    if (change.exact && change.low_pct) {
        out += " (exact)";
        out += of;
        return;
    }
    if (!change.low_pct && !change.high_pct && !change.estimate_pct) return;
    out += " [";
    if (change.low_pct) {
        append_pct(out, *change.low_pct);
    } else {
        out += "-∞";
    }
    out += " … ";
    if (change.high_pct) {
        append_pct(out, *change.high_pct);
    } else {
        out += "+∞";
    }
    out += ']';
    out += of;
}

std::string change_text(const ChangeInterval& change, OptionalDouble fallback) {
    std::string out;
    append_change(out, change, fallback);
    return out;
}

// "sec/op +12.3% [+10.1% … +14.5%] (p=0.002)", how most reasons begin; the caller appends the rest.
// A large suite has hundreds of findings, so the reason is made in one string, without fmt's
// parsing of a format string per piece.
std::string reason_start(std::string_view unit, const Comparison& c) {
    std::string out;
    out.reserve(160);
    out += unit;
    out += ' ';
    append_change(out, c.change, c.delta_pct);
    out += " (p=";
    append_fixed(out, c.test.p, 3);
    out += ')';
    return out;
}

// A raw-scale percentage of a negative baseline has the opposite sign to the values' movement
// (-10 -> -7 is "-30%"); the gate decides on the movement, so it reads such a percentage negated.
std::optional<double> movement(OptionalDouble pct, bool negative_baseline) {
    if (!pct) return std::nullopt;
    return negative_baseline ? -*pct : *pct;
}

// A comparison's change as the values moved: the estimate (the delta of the centers when there is
// none) and the interval's bounds, negated and swapped where the baseline is negative.
struct Movement {
    std::optional<double> estimate;
    std::optional<double> low;
    std::optional<double> high;
};

Movement movement_of(const Comparison& c, double baseline_center) {
    const ChangeInterval& change = c.change;
    const bool flip = change.negative_baseline;
    Movement m;
    m.estimate = change.estimate_pct ? movement(change.estimate_pct, flip) : movement(c.delta_pct, baseline_center < 0);
    m.low = movement(flip ? change.high_pct : change.low_pct, flip);
    m.high = movement(flip ? change.low_pct : change.high_pct, flip);
    return m;
}

double threshold_for(std::string_view unit, const GateOptions& options) {
    std::optional<double> any;
    std::optional<double> own;
    for (const auto& t : options.thresholds) {
        if (t.unit == unit) own = t.pct;
        if (t.unit.empty()) any = t.pct;
    }
    return own ? *own : (any ? *any : k_default_threshold);
}

// How far a signed change goes in the worse direction of its unit (negative: it improved).
double worse_amount(double v, Better better) { return better == Better::lower ? v : -v; }

bool name_matches(std::string_view glob, std::string_view name) {
    if (glob_match(glob, name)) return true;
    return starts_with(name, "Benchmark") && glob_match(glob, name.substr(9));
}

// Samples that are all integers and, together, only take two adjacent values k and k+1 with one
// side holding both: `go test` reports allocs/op by integer division, so a true 9.98 prints as 9
// or 10 and a "change" appears without any change in the code.
bool flips_between_adjacent_integers(const Cell& x, const Cell& y) {
    if (!x.all_integers || !y.all_integers || x.size() == 0 || y.size() == 0) return false;
    const double lo = std::min(x.min, y.min);
    const double hi = std::max(x.max, y.max);
    if (hi != lo + 1) return false;
    return x.min != x.max || y.min != y.max;
}

// A hardware fingerprint of one configuration: the keys that name the processor (Go's `cpu:`; Google
// Benchmark's CPU count and caches). Empty when the input does not say. Google Benchmark's host name
// is no fingerprint (a CI runner gets a new one every run), nor is its mhz_per_cpu, which it reads
// at run time from a clock that frequency scaling moves.
std::string hardware_of(const Config& config) {
    std::string out;
    for (std::string_view key : {"cpu", "num_cpus", "caches"}) {
        const std::string_view value = trim(config_value(config, key));
        if (value.empty()) continue;
        if (!out.empty()) out += ", ";
        out += value;
    }
    return out;
}

bool is_hardware_key(std::string_view key) {
    return key == "cpu" || key == "num_cpus" || key == "caches";
}

// Everything the gate needs to know about one (row, input) comparison. Made when visited rather than
// listed: a large suite has hundreds of thousands.
struct Case {
    const Table* t = nullptr;
    const Row* r = nullptr;
    const Comparison* c = nullptr;
    std::uint32_t table = 0;
    std::uint32_t row = 0;
    bool significant = false;  // p (adjusted when a correction is asked for) <= alpha
    // Where gate_case puts what it finds: the gate's own lists, unless these name a table's own
    // (while the tables are gated in parallel).
    std::vector<GateFinding>* findings = nullptr;
    std::set<std::string>* direction_unknown = nullptr;
    const Cell& base() const { return *r->cells[c->baseline]; }
    const Cell& head() const { return *r->cells[c->input]; }
};

class Gate {
public:
    Gate(Report& report, const GateOptions& options)
        : m_report(report),
          m_options(options),
          m_equivalence_text(g_text(report.options.equivalence_pct)),
          m_time_floor_text(fmt::format("both medians are under the {} time floor", seconds_text(options.min_time))) {}

    void run() {
        m_deterministic = all_single_runs();
        apply_correction();
        detect_hardware();
        learn_tables();
        gate_cases();
        check_failed_benchmarks();
        for (const auto& req : m_options.requirements) check_goal(req);
        write_notes();

        GateResult& g = m_result;
        g.enabled = m_options.enabled;
        g.rule_text = rule_text();
        const bool bad = std::any_of(g.findings.begin(), g.findings.end(), [](const GateFinding& f) {
            return f.status == GateStatus::failed || f.status == GateStatus::goal_unmet ||
                   f.status == GateStatus::inconclusive;
        });
        g.passed = !(m_options.enabled && bad);
        m_report.gate = std::move(m_result);
    }

private:
    Report& m_report;
    const GateOptions& m_options;
    GateResult m_result;
    const std::string m_equivalence_text;  // the equivalence margin as "{:g}" prints it, for reasons
    const std::string m_time_floor_text;   // floor_reason of every time row under the floor
    std::size_t m_compared = 0;  // the cases: compared (row, input) pairs, counted as they are gated
    // With --correction: per case, in visiting order, whether its adjusted p-value is significant.
    std::vector<bool> m_corrected;
    bool m_deterministic = false;
    std::vector<std::set<std::string>> m_hardware;  // per input: hardware fingerprints seen
    std::set<std::string> m_direction_unknown;  // compared units whose better direction no input states
    std::size_t m_uncompared = 0;                   // benchmarks in both inputs that no table compared
    // Per table, what gate_case asks of every row of it, known before the rows are gated.
    struct TableFacts {
        double threshold = k_default_threshold;  // threshold_for(unit)
        bool hardware_gated = false;             // is_hardware_dependent(unit) and no --allow-cpu-mismatch
        std::string_view package;                // the findings' package: the "pkg" of the config
    };
    std::vector<TableFacts> m_table_facts;
    std::vector<char> m_mismatch;  // cpu_mismatch(base, in) at base * m_hardware.size() + in

    // Calls visit(case) for every compared (row, input), always in the same order: by table, row
    // and column. A case is significant by its own p-value, or after the correction once it is made.
    template <class Visit>
    void for_each_case(Visit&& visit) const {
        for_each_case_while([&](const Case& k) {
            visit(k);
            return true;
        });
    }

    // Whether there are cases and every one is a single run (too few samples on each side for a
    // test). Stops at the first case that is not: a suite's first row usually settles it.
    bool all_single_runs() const {
        bool any = false;
        bool all_small = true;
        for_each_case_while([&](const Case& k) {
            any = true;
            all_small = k.base().size() < k_deterministic_n && k.head().size() < k_deterministic_n;
            return all_small;
        });
        return any && all_small;
    }

    // gate_case for every case, in for_each_case's order. On a large report the tables are gated on
    // every core, each into lists of its own, which are then joined in table order. (Most cases are
    // not significant and settled at once, but finding the others is a walk over every row, and the
    // significant ones make texts.) Single runs, --fail-on-inconclusive and a correction keep to one
    // core: they are rare with large reports.
    void gate_cases() {
        constexpr std::size_t k_parallel_rows = 8192;
        std::size_t rows = 0;
        for (const Table& t : m_report.tables) rows += t.rows.size();
        if (rows < k_parallel_rows || m_deterministic || m_options.fail_on_inconclusive || !m_corrected.empty()) {
            for_each_case([&](const Case& k) {
                ++m_compared;
                if (may_matter(k)) gate_case(k);
            });
            return;
        }
        struct TableCases {
            std::size_t count = 0;  // compared cases
            std::vector<GateFinding> findings;
            std::set<std::string> direction_unknown;
        };
        std::vector<TableCases> per_table(m_report.tables.size());
        parallel_for(per_table.size(), 1, 1, [&](std::size_t ti) {
            TableCases& cases = per_table[ti];
            std::size_t ordinal = 0;  // no correction here: the cases' own p-values decide
            std::size_t count = 0;
            for_each_case_in_table(ti, ordinal, [&](Case& k) {
                ++count;
                if (!may_matter(k)) return true;
                k.findings = &cases.findings;
                k.direction_unknown = &cases.direction_unknown;
                gate_case(k);
                return true;
            });
            cases.count = count;
        });
        for (TableCases& cases : per_table) {
            m_compared += cases.count;
            for (GateFinding& f : cases.findings) m_result.findings.push_back(std::move(f));
            m_direction_unknown.merge(cases.direction_unknown);
        }
    }

    // As for_each_case, until visit(case) returns false.
    template <class Visit>
    void for_each_case_while(Visit&& visit) const {
        std::size_t ordinal = 0;
        for (std::size_t ti = 0; ti < m_report.tables.size(); ++ti) {
            if (!for_each_case_in_table(ti, ordinal, visit)) return;
        }
    }

    // The cases of table ti in for_each_case's order, until visit(case) returns false (and then
    // false). `ordinal` is the number of cases in the tables before it, for the corrected verdicts;
    // it ends as the number up to this table's end.
    template <class Visit>
    bool for_each_case_in_table(std::size_t ti, std::size_t& ordinal, Visit&& visit) const {
        const Table& t = m_report.tables[ti];
        // A table the baseline input has no results in compares its later columns with each other
        // (as benchstat's text does); those are not changes against the baseline, and every other
        // format reports them as added, so the gate does not judge them.
        const std::size_t base = baseline_column(m_report, t);
        const bool corrected = !m_corrected.empty();
        // Whether the comparison c of row r, for column `in`, is a case, and if so visit's answer.
        const auto consider = [&](const Row& r, std::size_t ri, const Comparison* c, std::size_t in) {
            if (!c || c->baseline != base || !r.cells[base] || !r.cells[in]) return true;
            Case k{&t, &r, c, static_cast<std::uint32_t>(ti), static_cast<std::uint32_t>(ri)};
            k.significant = corrected ? bool(m_corrected[ordinal]) : c->significant;
            ++ordinal;
            return bool(visit(k));
        };
        for (std::size_t ri = 0; ri < t.rows.size(); ++ri) {
            const Row& r = t.rows[ri];
            const std::span<const Comparison> all = r.comparisons.all();
            if (all.size() <= 1) {
                // Most rows hold one comparison (a before/after pair): its column is the only one
                // that can be a case, so the columns need not be looked up one by one.
                if (!all.empty() && all[0].input < r.cells.size() && !consider(r, ri, &all[0], all[0].input)) {
                    return false;
                }
                continue;
            }
            for (std::size_t in = 0; in < r.cells.size(); ++in) {
                if (!consider(r, ri, r.comparisons[in], in)) return false;
            }
        }
        return true;
    }

    // The CPU each input ran on: from the parsed configurations when they are still there, else from
    // the tables each input has cells in (compare() may release the parsed data).
    void detect_hardware() {
        // Projected columns (--col) do not correspond to inputs, so no CPU can be attributed to them.
        if (!m_report.columns_are_inputs) {
            m_hardware.clear();
            return;
        }
        const std::size_t n = m_report.inputs.size();
        m_hardware.assign(n, {});
        for (std::size_t in = 0; in < n; ++in) {
            for (const auto& config : m_report.inputs[in].parsed.configs) {
                std::string hw = hardware_of(config);
                if (!hw.empty()) m_hardware[in].insert(std::move(hw));
            }
        }
        for (const auto& t : m_report.tables) {
            const std::string hw = hardware_of(t.config);
            if (hw.empty()) continue;
            for (std::size_t in : t.columns) {
                if (in < n) m_hardware[in].insert(hw);
            }
        }
        if (n < 2 || !cpu_mismatch(0, 1, n)) return;

        // Tables are grouped by every configuration key, so rows from different CPUs sit in different
        // tables and no comparison was made. Count them so the note can say what was lost.
        using Key = std::tuple<std::vector<std::pair<std::string, std::string>>, std::string, std::string>;
        std::map<Key, std::pair<std::set<std::size_t>, bool>> seen;  // inputs present, compared?
        for (const auto& t : m_report.tables) {
            Config soft;
            for (const auto& kv : t.config) {
                if (!is_hardware_key(kv.first)) soft.push_back(kv);
            }
            for (const auto& r : t.rows) {
                auto& entry = seen[Key{soft, t.unit, std::string(r.display())}];
                for (std::size_t in = 0; in < r.cells.size(); ++in) {
                    if (r.cells[in]) entry.first.insert(in);
                    if (r.comparisons[in]) entry.second = true;
                }
            }
        }
        std::set<std::pair<Config, std::string>> benchmarks;
        for (const auto& [key, entry] : seen) {
            if (entry.first.size() >= 2 && entry.first.count(0) && !entry.second) {
                benchmarks.emplace(std::get<0>(key), std::get<2>(key));
            }
        }
        m_uncompared = benchmarks.size();
    }

    // m_table_facts and m_mismatch: the same for every row of a table, so not asked again per row
    // (a unit's threshold, whether it depends on the hardware, two inputs' CPUs compared, the
    // package of each finding).
    void learn_tables() {
        m_table_facts.clear();
        m_table_facts.reserve(m_report.tables.size());
        for (const Table& t : m_report.tables) {
            m_table_facts.push_back({threshold_for(t.unit, m_options),
                                     is_hardware_dependent(t.unit) && !m_options.allow_cpu_mismatch,
                                     trim(config_value(t.config, "pkg"))});
        }
        const std::size_t n = m_hardware.size();
        m_mismatch.assign(n * n, 0);
        for (std::size_t base = 0; base < n; ++base) {
            for (std::size_t in = 0; in < n; ++in) m_mismatch[base * n + in] = cpu_mismatch(base, in, n) ? 1 : 0;
        }
    }

    // cpu_mismatch(base, in, m_hardware.size()), as learn_tables found it.
    bool known_cpu_mismatch(std::size_t base, std::size_t in) const {
        const std::size_t n = m_hardware.size();
        return base < n && in < n && m_mismatch[base * n + in] != 0;
    }

    bool cpu_mismatch(std::size_t base, std::size_t in, std::size_t n) const {
        if (base >= n || in >= n) return false;
        const auto& a = m_hardware[base];
        const auto& b = m_hardware[in];
        return !a.empty() && !b.empty() && a != b;
    }

    bool any_cpu_mismatch() const {
        for (std::size_t in = 1; in < m_hardware.size(); ++in) {
            if (cpu_mismatch(0, in, m_hardware.size())) return true;
        }
        return false;
    }

    std::optional<std::string> excluded_by(const Row& r) const {
        for (const auto& glob : m_options.excludes) {
            if (name_matches(glob, r.name)) return glob;
        }
        return std::nullopt;
    }

    // The limits that apply to one row: command-line and file defaults, then every matching rule of
    // the gate configuration in file order (a later rule overrides what an earlier one set).
    struct Limits {
        double threshold = k_default_threshold;
        std::optional<double> min_change;
        const BenchmarkRule* min_change_rule = nullptr;
        const BenchmarkRule* ignored_by = nullptr;
    };
    // `threshold` is threshold_for(unit).
    Limits limits_for(const Row& r, const std::string& unit, double threshold) const {
        Limits lim;
        lim.threshold = threshold;
        for (const auto& rule : m_options.rules) {
            if (!rule.unit.empty() && rule.unit != unit) continue;
            if (!rule.glob.empty() && !name_matches(rule.glob, r.name)) continue;
            if (rule.threshold) lim.threshold = *rule.threshold;
            if (rule.min_change) {
                lim.min_change = rule.min_change;
                lim.min_change_rule = &rule;
            }
            lim.ignored_by = rule.ignore ? &rule : nullptr;
        }
        return lim;
    }

    std::string absolute_short_text(const Limits& lim, const std::string& unit, double amount) const {
        return fmt::format("the change of {} is under the {} absolute limit of {}", amount_text(amount, unit),
                           amount_text(*lim.min_change, unit), lim.min_change_rule->origin);
    }

    void add(const Case& k, GateStatus status, std::string reason, std::size_t samples_needed = 0) {
        write_finding((k.findings != nullptr ? *k.findings : m_result.findings).emplace_back(), k.table, k.row,
                      k.c->input, status, std::move(reason), samples_needed);
    }

    // A finding about row `row` of table `table` for input `input`, whether or not it was compared.
    void add_at(std::size_t table, std::size_t row, std::size_t input, GateStatus status, std::string reason,
                std::size_t samples_needed = 0) {
        write_finding(m_result.findings.emplace_back(), table, row, input, status, std::move(reason), samples_needed);
    }

    // Fills `f`, a new finding made in place in its list (a finding moved there would be one more
    // copy of its texts' pointers for each finding of a large suite).
    void write_finding(GateFinding& f, std::size_t table, std::size_t row, std::size_t input, GateStatus status,
                       std::string reason, std::size_t samples_needed) const {
        const Table& t = m_report.tables[table];
        f.table = table;
        f.row = row;
        f.input = input;
        f.status = status;
        f.benchmark = t.rows[row].name;
        f.package = m_table_facts[table].package;
        f.unit = t.unit;
        f.reason = std::move(reason);
        f.samples_needed = samples_needed;
    }

    // Whether an otherwise failing change is too small in absolute terms to matter.
    bool under_floor(const Case& k) const {
        const std::string& unit = k.t->unit;
        const double a = k.base().summary.center;
        const double b = k.head().summary.center;
        if (is_time_unit(unit)) {
            // The larger side decides: a per-side filter would drop 55ns -> 166ns, a real regression.
            return std::max(a, b) < m_options.min_time;
        }
        if (is_allocs_unit(unit)) return std::abs(b - a) < m_options.min_allocs;
        // Like time, on the larger side: 48 -> 80 B/op is a new allocation and counts; 0 -> 16 B does not.
        if (is_bytes_unit(unit)) return std::max(std::abs(a), std::abs(b)) < m_options.min_bytes;
        return false;
    }

    // Why a change under_floor is too small to matter. Made only for the findings that say it.
    std::string floor_reason(const Case& k) const {
        const std::string& unit = k.t->unit;
        if (is_time_unit(unit)) return m_time_floor_text;
        if (is_allocs_unit(unit)) {
            const double change = std::abs(k.head().summary.center - k.base().summary.center);
            return fmt::format("the change of {:g} allocs/op is under the {:g} allocs/op floor", change,
                               m_options.min_allocs);
        }
        return fmt::format("both medians are under the {:g} B floor", m_options.min_bytes);
    }

    // floor_reason when the change is under_floor, else nothing.
    std::optional<std::string> floor_of(const Case& k) const {
        if (!under_floor(k)) return std::nullopt;
        return floor_reason(k);
    }

    // Why a row is neither a change nor equivalent, and what would settle it.
    std::string inconclusive_reason(const Case& k) const {
        const Comparison& c = *k.c;
        std::string out = reason_start(k.t->unit, c);
        out += " is neither a significant change nor within ±";
        out += m_equivalence_text;
        out += '%';
        if (c.detect.samples_needed >= k_max_samples_needed) {
            out += "; more than ";
            out += std::to_string(k_max_samples_needed);
            out += " samples per side would be needed";
        } else if (c.detect.samples_needed > std::max(k.base().size(), k.head().size())) {
            out += "; about ";
            out += std::to_string(c.detect.samples_needed);
            out += " samples per side would resolve ±";
            out += m_equivalence_text;
            out += '%';
        }
        return out;
    }

    // Per-side sample count at which the interval would be narrow enough to lie wholly beyond the
    // threshold, if the estimate stayed where it is. The interval's width scales with
    // sqrt(1/n1 + 1/n2), so we scale the current half-width by that.
    std::size_t samples_to_settle(const Case& k, double estimate, std::optional<double> bound, double threshold) const {
        const std::size_t n1 = k.base().size();
        const std::size_t n2 = k.head().size();
        if (!bound) return k.c->change.samples_needed ? k.c->change.samples_needed : std::max(n1, n2) * 2;
        const Better better = k.t->better;
        const bool log_scale = k.c->change.log_scale;
        const auto g = [&](double pct) {
            const double signed_pct = pct;
            const double v = log_scale ? std::log1p(signed_pct / 100) : signed_pct;
            return worse_amount(v, better);
        };
        const double t_signed = better == Better::lower ? threshold : -threshold;
        if (log_scale && t_signed <= -100) return k_max_samples_advice;
        const double half = g(estimate) - g(*bound);
        const double room = g(estimate) - g(t_signed);
        const double n_eff = 2.0 / (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2));
        if (room <= 0 || half <= 0) return k_max_samples_advice;
        const double need = std::ceil(n_eff * (half / room) * (half / room));
        if (!(need < static_cast<double>(k_max_samples_advice))) return k_max_samples_advice;
        return std::max(static_cast<std::size_t>(need), std::max(n1, n2) + 1);
    }

    // Holm and Benjamini-Hochberg adjust the p-values of all compared rows together, so that a
    // suite of hundreds of rows does not produce its expected handful of chance findings.
    void apply_correction() {
        const double alpha = m_report.options.alpha;
        if (m_options.correction == Correction::none) return;
        std::vector<const Comparison*> cases;
        for_each_case([&](const Case& k) { cases.push_back(k.c); });
        const std::size_t m = cases.size();
        if (m == 0) return;
        std::vector<std::size_t> order(m);
        for (std::size_t i = 0; i < m; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return cases[a]->test.p < cases[b]->test.p; });
        std::vector<double> adjusted(m, 1.0);
        if (m_options.correction == Correction::holm) {
            double running = 0;
            for (std::size_t j = 0; j < m; ++j) {
                double v = std::min(1.0, static_cast<double>(m - j) * cases[order[j]]->test.p);
                running = std::max(running, v);
                adjusted[order[j]] = running;
            }
        } else {
            double running = 1.0;
            for (std::size_t j = m; j-- > 0;) {
                double v = std::min(1.0, static_cast<double>(m) / static_cast<double>(j + 1) * cases[order[j]]->test.p);
                running = std::min(running, v);
                adjusted[order[j]] = running;
            }
        }
        std::size_t lost = 0;
        m_corrected.resize(m);
        for (std::size_t i = 0; i < m; ++i) {
            const Comparison& c = *cases[i];
            // Exact-unit comparisons (p = 0) stay significant; the correction only ever removes.
            m_corrected[i] = c.significant && (c.test.p == 0 || adjusted[i] <= alpha);
            if (c.significant && !m_corrected[i]) ++lost;
        }
        m_result.notes.push_back(fmt::format(
            "{} correction over {} compared rows: {} row{} significant on its own {} not significant after correction "
            "and cannot fail the gate.",
            m_options.correction == Correction::holm ? "Holm" : "Benjamini-Hochberg", m, lost, lost == 1 ? "" : "s",
            lost == 1 ? "is" : "are"));
        // The smallest p a U test can give is 2 / C(2n, n); say which n lets the strictest rank pass.
        std::size_t n_needed = 1;
        while (n_needed < 200 && min_possible_p(n_needed, n_needed) > alpha / static_cast<double>(m)) ++n_needed;
        m_result.notes.push_back(fmt::format(
            "With {} rows, the most significant row must reach p <= {:.2g}: that needs at least {} samples per side.",
            m, alpha / static_cast<double>(m), n_needed));
    }

    // Most rows of a large suite are not significant, and such a row can only matter to gate_case
    // with single runs, with --fail-on-inconclusive, or by having no known direction (which is noted
    // even when not significant): the rest are settled here, without a call and before their limits
    // are looked up.
    bool may_matter(const Case& k) const {
        return k.significant || m_deterministic || m_options.fail_on_inconclusive || k.t->better_unknown;
    }

    // Precondition: may_matter(k).
    void gate_case(const Case& k) {
        const Comparison& c = *k.c;
        const std::string& unit = k.t->unit;
        const Better better = k.t->better;
        const TableFacts& facts = m_table_facts[k.table];
        const Limits lim = limits_for(*k.r, unit, facts.threshold);
        const double threshold = lim.threshold;
        const double a = k.base().summary.center;
        const double b = k.head().summary.center;
        // Most rows end without a finding, so the texts of a finding are made only when one is added.
        const auto thr = [&] { return threshold_text(threshold, better); };
        // reason_start(unit, c) and then `rest`.
        const auto reason = [&](std::initializer_list<std::string_view> rest) {
            std::string out = reason_start(unit, c);
            for (const std::string_view part : rest) out += part;
            return out;
        };

        // The change in the worse direction; a zero baseline (0 -> N allocs) or a ratio beyond a
        // double's range (1 ns -> 1e299 s) has no percentage, so it is infinitely large.
        const bool no_percentage = !c.delta_pct && a != b;
        const Movement moved = movement_of(c, a);
        std::optional<double> estimate = moved.estimate;
        if (!estimate && no_percentage) {
            estimate = (b > a ? 1 : -1) * std::numeric_limits<double>::infinity();
        }
        const bool got_worse = estimate && worse_amount(*estimate, better) > 0;

        if (const auto glob = excluded_by(*k.r)) {
            if (k.significant || (m_deterministic && a != b)) {
                add(k, GateStatus::not_gated, reason({" is not gated: excluded by '", *glob, "'"}));
            }
            return;
        }
        if (lim.ignored_by) {
            if (k.significant || (m_deterministic && a != b)) {
                add(k, GateStatus::not_gated, reason({" is not gated: ignored by ", lim.ignored_by->origin}));
            }
            return;
        }
        if (k.t->better_unknown) {
            // A guessed direction would fail a row that improved as often as one that regressed.
            (k.direction_unknown != nullptr ? *k.direction_unknown : m_direction_unknown).insert(unit);
            if (k.significant) {
                add(k, GateStatus::not_gated,
                    reason({" is not gated: the input does not say whether higher or lower is better "
                            "(state it with --higher-is-better or --lower-is-better)"}));
            }
            return;
        }
        if (facts.hardware_gated && known_cpu_mismatch(c.baseline, c.input)) {
            if (k.significant) {
                add(k, GateStatus::not_gated, reason({" is not gated: the inputs ran on different CPUs"}));
            }
            return;
        }

        if (m_options.fail_on_inconclusive && c.equivalence == Equivalence::inconclusive) {
            add(k, GateStatus::inconclusive, inconclusive_reason(k));
        }
        if (m_deterministic) {
            gate_single_run(k, lim, thr());
            return;
        }
        if (!k.significant) return;
        if (flips_between_adjacent_integers(k.base(), k.head())) {
            add(k, GateStatus::unstable,
                fmt::format("{} flips between {:g} and {:g} ({}, {}): an integer-rounded value near the boundary, "
                            "not a change; not gated",
                            unit, std::min(k.base().min, k.head().min), std::max(k.base().max, k.head().max),
                            change_text(c.change, c.delta_pct), fmt::format("p={:.3f}", c.test.p)));
            return;
        }
        if (!got_worse) return;  // improvements never fail

        const bool floor = under_floor(k);
        const bool estimate_beyond = worse_amount(*estimate, better) >= threshold;
        // The bound nearest to "no change": when it is beyond the threshold, so is the whole interval.
        std::optional<double> bound = better == Better::lower ? moved.low : moved.high;
        bool interval_beyond = bound && worse_amount(*bound, better) >= threshold;
        if (!bound && no_percentage) {
            // No percentage exists; complete separation of the samples is the interval-rule
            // equivalent of "lies wholly beyond".
            interval_beyond = better == Better::lower ? k.head().min > k.base().max : k.head().max < k.base().min;
        }
        bool fails = m_options.rule == GateRule::point ? estimate_beyond : interval_beyond;
        // A rule's absolute limit is decided like the relative one: on the interval's near bound under
        // the interval rule, on the difference of the medians under the point rule.
        std::optional<std::string> absolute_short;
        if (lim.min_change) {
            const double estimate_abs = std::abs(b - a);
            const double decide_abs = m_options.rule == GateRule::interval && bound
                                          ? std::abs(*bound) / 100 * std::abs(a)
                                          : estimate_abs;
            if (estimate_abs < *lim.min_change) {
                absolute_short = absolute_short_text(lim, unit, estimate_abs);
                fails = false;
            } else if (fails && decide_abs < *lim.min_change) {
                fails = false;  // the estimate clears the limit, the interval does not: a possible regression
            }
        }

        if (fails && floor) {
            add(k, GateStatus::below_threshold, reason({" is beyond ", thr(), " but ", floor_reason(k)}));
        } else if (fails) {
            const char* what = m_options.rule == GateRule::point ? "the estimate" : "the whole interval";
            add(k, GateStatus::failed, reason({": ", what, " lies beyond the ", thr(), " threshold"}));
        } else if (estimate_beyond && !floor && !absolute_short) {
            const std::size_t n = samples_to_settle(k, *estimate, bound, threshold);
            const std::string advice = n >= k_max_samples_advice ? "more than " + std::to_string(k_max_samples_advice)
                                                                 : "about " + std::to_string(n);
            add(k, GateStatus::possible_regression,
                reason({": the estimate is beyond ", thr(), " but the interval reaches inside it; ", advice,
                        " samples per side would settle it"}),
                n);
        } else if (estimate_beyond) {
            add(k, GateStatus::below_threshold,
                reason({" may be beyond ", thr(), " but ", floor ? floor_reason(k) : *absolute_short}));
        } else {
            add(k, GateStatus::below_threshold, reason({" is significant but below the ", thr(), " threshold"}));
        }
    }

    // Single runs: a median of one sample says nothing about noisy units, but B/op and allocs/op are
    // deterministic for most Go code, so their medians are compared directly.
    void gate_single_run(const Case& k, const Limits& lim, const std::string& thr) {
        const double threshold = lim.threshold;
        const std::string& unit = k.t->unit;
        const Better better = k.t->better;
        const double a = k.base().summary.center;
        const double b = k.head().summary.center;
        if (a == b) return;
        std::optional<double> delta = k.c->delta_pct;
        if (!delta) delta = (b > 0 ? 1 : -1) * std::numeric_limits<double>::infinity();
        const bool worse = worse_amount(*delta, better) > 0;
        const bool beyond = worse_amount(*delta, better) >= threshold;
        const std::string change = fmt::format("{:g} -> {:g} ({})", a, b, std::isinf(*delta) ? "new" : pct_text(*delta));
        if (!is_bytes_unit(unit) && !is_allocs_unit(unit)) {
            if (beyond) {
                add(k, GateStatus::not_gated,
                    fmt::format("{} {} is not gated: single runs cannot tell noise from change", unit,
                                pct_text(*delta)));
            }
            return;
        }
        if (!worse) return;
        auto floor = floor_of(k);
        if (!floor && lim.min_change && std::abs(b - a) < *lim.min_change) {
            floor = absolute_short_text(lim, unit, std::abs(b - a));
        }
        if (beyond && !floor) {
            add(k, GateStatus::failed, fmt::format("{} {} of single runs lies beyond the {} threshold", unit, change, thr));
        } else if (beyond) {
            add(k, GateStatus::below_threshold, fmt::format("{} {} is beyond {} but {}", unit, change, thr, *floor));
        } else {
            add(k, GateStatus::below_threshold, fmt::format("{} {} is below the {} threshold", unit, change, thr));
        }
    }

    // A benchmark that has results in the baseline and failed in every run of a later input has no
    // numbers there: not a removed benchmark but a broken one, which fails the gate. (One that
    // failed in the baseline too was never compared, and is left to the inputs' warnings.)
    void check_failed_benchmarks() {
        if (!m_report.columns_are_inputs) return;
        for (std::size_t in = 1; in < m_report.inputs.size(); ++in) {
            const InputFile& input = m_report.inputs[in];
            for (const FailedBenchmark& failed : input.parsed.failed_benchmarks) {
                const auto place = baseline_row_missing_in(failed.name, in);
                if (!place) continue;
                add_at(place->first, place->second, in, GateStatus::failed,
                       fmt::format("failed in every run of {} (line {}{}): {} has results for it, {} has none",
                                   input.label, failed.line,
                                   failed.message.empty() ? std::string() : ": " + failed.message,
                                   m_report.inputs[0].label, input.label));
            }
        }
    }

    // The first row named `name` that has a baseline cell and no cell of input `in`: (table, row).
    std::optional<std::pair<std::size_t, std::size_t>> baseline_row_missing_in(const std::string& name,
                                                                               std::size_t in) const {
        for (std::size_t t = 0; t < m_report.tables.size(); ++t) {
            const std::vector<Row>& rows = m_report.tables[t].rows;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                if (rows[r].name != name || rows[r].cells.size() <= in) continue;
                if (rows[r].cells[0] && !rows[r].cells[in]) return std::pair{t, r};
            }
        }
        return std::nullopt;
    }

    void check_goal(const Requirement& req) {
        const std::string goal = fmt::format("{:+g}%", req.pct);
        bool matched = false;
        for_each_case([&](const Case& k) {
            if (k.t->unit != req.unit || !name_matches(req.glob, k.r->name)) return;
            matched = true;
            const Comparison& c = *k.c;
            const Better better = k.t->better;
            // "By PCT or better": for lower-is-better every plausible change must be <= PCT.
            const auto reaches = [&](double v) { return better == Better::lower ? v <= req.pct : v >= req.pct; };
            if (is_hardware_dependent(k.t->unit) && !m_options.allow_cpu_mismatch &&
                cpu_mismatch(c.baseline, c.input, m_hardware.size())) {
                add(k, GateStatus::goal_unmet,
                    fmt::format("goal {} {} cannot be checked: the inputs ran on different CPUs", req.unit, goal));
                return;
            }
            if (m_deterministic) {
                const bool met = c.delta_pct && reaches(*c.delta_pct) &&
                                 (is_bytes_unit(k.t->unit) || is_allocs_unit(k.t->unit));
                add(k, met ? GateStatus::goal_met : GateStatus::goal_unmet,
                    met ? fmt::format("{} of single runs meets the goal of {}", c.delta_pct ? pct_text(*c.delta_pct) : "?",
                                      goal)
                        : fmt::format("single runs cannot show the goal of {} on {}", goal, req.unit));
                return;
            }
            const std::string change = change_text(c.change, c.delta_pct);
            const bool flip = c.change.negative_baseline;
            const Movement moved = movement_of(c, k.base().summary.center);
            const std::optional<double> far = better == Better::lower ? moved.high : moved.low;
            const std::optional<double> est = moved.estimate;
            if (far && reaches(*far)) {
                add(k, GateStatus::goal_met, fmt::format("{} {}: the whole interval meets the goal of {}", req.unit,
                                                         change, goal));
            } else if (!far && c.change.samples_needed) {
                add(k, GateStatus::goal_unmet,
                    fmt::format("{} {}: the interval is unbounded, so the goal of {} is not shown; about {} samples per "
                                "side would bound it",
                                req.unit, change, goal, c.change.samples_needed),
                    c.change.samples_needed);
            } else if (est && reaches(*est)) {
                add(k, GateStatus::goal_unmet,
                    fmt::format("{} {}: only the estimate reaches the goal of {}; the interval reaches {}", req.unit,
                                change, goal, far ? pct_text(flip ? -*far : *far) : std::string("beyond it")));
            } else {
                add(k, GateStatus::goal_unmet,
                    fmt::format("{} {} does not reach the goal of {}", req.unit, change, goal));
            }
        });
        if (!matched) {
            GateFinding f;
            f.status = GateStatus::goal_unmet;
            f.benchmark = req.glob;
            f.unit = req.unit;
            // No row matched: table/row point past every table (renderers then show benchmark, which
            // holds the glob), not at the first row of the report.
            f.table = std::numeric_limits<std::size_t>::max();
            f.row = std::numeric_limits<std::size_t>::max();
            f.reason = fmt::format("goal {} {} {}: no compared benchmark matches '{}'", req.glob, req.unit, goal,
                                   req.glob);
            m_result.findings.push_back(std::move(f));
        }
    }

    void write_notes() {
        auto& notes = m_result.notes;
        auto& alerts = m_result.alerts;
        if (any_cpu_mismatch()) {
            std::vector<std::string> names;
            for (const auto& set : m_hardware) {
                std::string joined;
                for (const auto& hw : set) joined += (joined.empty() ? "" : " / ") + hw;
                names.push_back(joined.empty() ? std::string("unknown") : joined);
            }
            std::string list;
            for (std::size_t in = 0; in < names.size(); ++in) {
                const std::string& label = in < m_report.inputs.size() ? m_report.inputs[in].label : std::string();
                list += fmt::format("{}{} ran on {}", in ? "; " : "", label.empty() ? fmt::format("input {}", in) : label,
                                    names[in]);
            }
            notes.push_back(fmt::format(
                "WARNING: the inputs ran on different CPUs ({}). Time differences mostly measure the hardware, so "
                "time metrics are {}.",
                list, m_options.allow_cpu_mismatch ? "gated anyway (--allow-cpu-mismatch)" : "not gated"));
            if (!m_options.allow_cpu_mismatch) alerts.push_back(notes.back());
            if (m_uncompared > 0) {
                notes.push_back(fmt::format(
                    "No comparison was possible for {} benchmark{} present in both inputs: results are grouped by "
                    "configuration, which includes the CPU, so nothing about them was gated.",
                    m_uncompared, m_uncompared == 1 ? "" : "s"));
                alerts.push_back(notes.back());
            }
        }
        if (!m_direction_unknown.empty()) {
            std::string units;
            for (const auto& unit : m_direction_unknown) units += (units.empty() ? "" : ", ") + unit;
            notes.push_back(fmt::format(
                "The inputs do not say whether higher or lower is better for {}, so {} not gated; state it with "
                "--higher-is-better or --lower-is-better.",
                units, m_direction_unknown.size() == 1 ? "it is" : "they are"));
            alerts.push_back(notes.back());
        }
        if (!m_options.rules.empty()) {
            std::size_t ignores = 0;
            for (const auto& rule : m_options.rules) ignores += rule.ignore ? 1 : 0;
            notes.push_back(fmt::format("{} rule{} from {} set{} per-benchmark limits{}.", m_options.rules.size(),
                                        m_options.rules.size() == 1 ? "" : "s", m_options.config_path,
                                        m_options.rules.size() == 1 ? "s" : "",
                                        ignores ? fmt::format(" ({} ignore{} rows)", ignores, ignores == 1 ? "s" : "")
                                                : std::string()));
        }
        if (m_deterministic) {
            notes.push_back(
                "Single runs (fewer than 4 samples per side): only B/op and allocs/op are gated, on their medians; "
                "time and other noisy units are not gated. Run base and head alternately with 6 or more rounds to "
                "gate time.");
            alerts.push_back(notes.back());
        }
        if (m_compared > 0) {
            const double alpha = m_report.options.alpha;
            notes.push_back(fmt::format(
                "{} row{} compared at alpha {:g}: about {:.1f} would be significant by chance even if nothing "
                "changed{}.",
                m_compared, m_compared == 1 ? " was" : "s were", alpha, alpha * static_cast<double>(m_compared),
                m_options.rule == GateRule::interval
                    ? ", which is why a row fails only when its whole interval lies beyond the threshold"
                    : "; the point rule can fail on them"));
        }
    }

    std::string rule_text() const {
        if (!m_options.fail_on_inconclusive) return regression_rule_text();
        return regression_rule_text() +
               fmt::format(", or when a change is neither significant nor within ±{:g}%", m_report.options.equivalence_pct);
    }

    std::string regression_rule_text() const {
        const double base_threshold = threshold_for("", m_options);
        std::string limits = fmt::format("+{:g}%", base_threshold);
        std::set<std::string> seen;
        for (const auto& t : m_options.thresholds) {
            if (!t.unit.empty() && seen.insert(t.unit).second) {
                limits += fmt::format(", {} {:g}%", t.unit, threshold_for(t.unit, m_options));
            }
        }
        const std::string floors = fmt::format("time only above {}; allocs ≥{:g}, bytes ≥{:g} B",
                                               seconds_text(m_options.min_time), m_options.min_allocs,
                                               m_options.min_bytes);
        if (m_deterministic) {
            return fmt::format("single runs: fail when B/op or allocs/op changed beyond {} ({}); time is not gated",
                               limits, floors);
        }
        if (m_options.rule == GateRule::point) {
            return fmt::format("fail when a significant change (p ≤ {:g}) has an estimate beyond {} ({})",
                               m_report.options.alpha, limits, floors);
        }
        return fmt::format("fail when the {:g}% interval of a change lies beyond {} ({})",
                           m_report.options.confidence * 100, limits, floors);
    }
};

// A non-negative finite percentage, "10", "10%" or "7.5". `what` names the argument in messages.
double parse_pct(std::string_view text, std::string_view whole, std::string_view what, bool allow_negative) {
    const auto parsed = parse_percentage(text);
    if (!parsed) {
        throw UsageError(fmt::format("{} '{}': '{}' is not a percentage (expected e.g. 10 or 7.5%)", what, whole, text));
    }
    const double value = *parsed;
    if (!std::isfinite(value)) {
        throw UsageError(fmt::format("{} '{}': the percentage must be a finite number", what, whole));
    }
    if (!allow_negative && value < 0) {
        throw UsageError(fmt::format(
            "{} '{}': the percentage must not be negative (the unit decides which direction is worse)", what, whole));
    }
    return value;
}

// Lets people write the unit as their tool prints it ("ns/op"); the report uses tidied units.
std::string normalize_unit(std::string_view unit) { return tidy_unit(trim(unit)).first; }

}  // namespace

void apply_gate(Report& report, const GateOptions& options) { Gate(report, options).run(); }

Threshold parse_threshold(const std::string& text) {
    Threshold t;
    const auto eq = text.find('=');
    if (eq != text.rfind('=')) {
        throw UsageError(fmt::format("threshold '{}': expected [UNIT=]PCT with one '=', e.g. allocs/op=5%", text));
    }
    std::string_view pct = text;
    if (eq != std::string::npos) {
        const std::string_view unit = trim(std::string_view(text).substr(0, eq));
        if (unit.empty()) throw UsageError(fmt::format("threshold '{}': the unit before '=' is empty", text));
        t.unit = normalize_unit(unit);
        pct = std::string_view(text).substr(eq + 1);
    }
    t.pct = parse_pct(pct, text, "threshold", false);
    return t;
}

Requirement parse_requirement(const std::string& text) {
    // The glob may itself contain ':' (a package path, a sub-benchmark name), so split on the last two.
    const auto last = text.rfind(':');
    const auto middle = last == std::string::npos || last == 0 ? std::string::npos : text.rfind(':', last - 1);
    if (last == std::string::npos || middle == std::string::npos) {
        throw UsageError(fmt::format("requirement '{}': expected GLOB:UNIT:PCT, e.g. 'BenchmarkX*:sec/op:-20%'", text));
    }
    Requirement r;
    r.glob = std::string(trim(std::string_view(text).substr(0, middle)));
    const std::string_view unit = trim(std::string_view(text).substr(middle + 1, last - middle - 1));
    if (r.glob.empty()) throw UsageError(fmt::format("requirement '{}': the benchmark glob is empty", text));
    if (unit.empty()) throw UsageError(fmt::format("requirement '{}': the unit is empty", text));
    r.unit = normalize_unit(unit);
    r.pct = parse_pct(std::string_view(text).substr(last + 1), text, "requirement", true);
    return r;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

bool glob_match(std::string_view pattern, std::string_view text) {
    // Iterative matcher with one backtrack point: the last '*' seen, and where its match ended.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_t = 0;
    // Matches the class starting at pattern[p] == '[' against ch; returns the index after ']', or npos
    // when the class is unterminated (then '[' is an ordinary character).
    const auto match_class = [&](std::size_t at, char ch, bool& ok) -> std::size_t {
        std::size_t i = at + 1;
        bool negate = false;
        if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
            negate = true;
            ++i;
        }
        bool found = false;
        bool first = true;
        while (i < pattern.size() && (pattern[i] != ']' || first)) {
            first = false;
            const char lo = pattern[i];
            if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
                const char hi = pattern[i + 2];
                if (lo <= ch && ch <= hi) found = true;
                i += 3;
            } else {
                if (lo == ch) found = true;
                ++i;
            }
        }
        if (i >= pattern.size()) return std::string_view::npos;
        ok = found != negate;
        return i + 1;
    };
    while (t < text.size()) {
        bool advanced = false;
        if (p < pattern.size()) {
            const char pc = pattern[p];
            if (pc == '*') {
                star = p++;
                star_t = t;
                continue;
            }
            if (pc == '[') {
                bool ok = false;
                const std::size_t next = match_class(p, text[t], ok);
                if (next != std::string_view::npos) {
                    if (ok) {
                        p = next;
                        ++t;
                        advanced = true;
                    }
                } else if (text[t] == '[') {
                    ++p;
                    ++t;
                    advanced = true;
                }
            } else if (pc == '?' || pc == text[t]) {
                ++p;
                ++t;
                advanced = true;
            }
        }
        if (advanced) continue;
        if (star == std::string_view::npos) return false;
        p = star + 1;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace ksail_benchstat
