// The comparison: groups samples into tables, runs every statistic and decision, and produces the
// one report model that all renderers print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ksail_benchstat/filter.hpp"
#include "ksail_benchstat/model.hpp"
#include "ksail_benchstat/projection.hpp"
#include "ksail_benchstat/stats.hpp"
#include "ksail_benchstat/units.hpp"

namespace ksail_benchstat {

// One input as given on the command line, already parsed.
struct InputFile {
    std::string label;  // column label: the LABEL of LABEL=PATH, or the path as given
    std::string path;   // the path as given ("-" for standard input)
    ParsedInput parsed;
};

struct CompareOptions {
    double alpha = 0.05;
    double confidence = 0.95;
    Filter filter;              // --filter: only matching series are compared
    ProjectionSet projections;  // --table, --row, --col, --ignore (default .config, .fullname, .file)
    double equivalence_pct = 5;      // --equivalence: "equivalent" means the change's interval lies within ±this
    Center center = Center::median;  // --center: what Summary::center, deltas and geomeans use
    // Whether Cell::sorted keeps the samples once their statistics are made (the HTML report plots
    // them). Without them a report is a third smaller, and a large comparison's peak memory lower,
    // as each row's samples go while the next rows are made (docs/performance.md); the command line
    // keeps them for HTML only.
    bool keep_samples = true;
    // Each comparison's smallest detectable change and the samples that would resolve
    // ±equivalence_pct (Comparison::detect): every output but plain text shows them. Off, `detect`
    // stays empty and the rows are made without that work.
    bool detectability = true;
    // Each comparison's Hodges-Lehmann change and its interval (Comparison::change), and with them
    // the three-way verdict (Comparison::equivalence): the gate, and every output but plain text,
    // use them. Off, `change` stays empty and `equivalence` says inconclusive for every row that did
    // not change significantly, except where a significant row's centers are equal and the change's
    // estimate is what gives its direction.
    bool change_interval = true;
};

enum class Verdict : std::uint8_t { improved, regressed, unchanged, insufficient, added, removed };
std::string_view verdict_name(Verdict verdict);
inline constexpr std::size_t k_verdicts = static_cast<std::size_t>(Verdict::removed) + 1;  // values 0 to this - 1

// The three-way verdict: a significant change (by its direction), the whole interval of the change
// within ±equivalence_pct, or neither.
enum class Equivalence : std::uint8_t { regressed, improved, equivalent, inconclusive };
std::string_view equivalence_name(Equivalence equivalence);
inline constexpr std::size_t k_equivalences = static_cast<std::size_t>(Equivalence::inconclusive) + 1;

// One (benchmark, input) cell: the sorted sample and its summary.
struct Cell {
    Samples sorted;              // empty after compare() unless CompareOptions::keep_samples
    Summary summary;             // summary.n counts the samples
    double min = 0;              // the smallest and largest sample
    double max = 0;
    bool all_integers = false;   // every sample is a finite integer
    Notes warnings;              // footnotes about the sample or its interval
    std::size_t size() const noexcept { return summary.n; }
};

// Room Comparison::write_test_text needs: "p=", a p-value, " n=" and two counts with a '+'.
inline constexpr std::size_t k_test_text_room = 2 + k_fixed_room + 3 + 21;

// One input's cell compared with the baseline cell of the same row.
struct Comparison {
    // The column indexes and the small fields below are narrow and sit together: a large report has
    // hundreds of thousands of comparisons, each its own allocation (120 bytes).
    std::uint32_t input = 0;     // column index (the input's index when the columns are the inputs)
    std::uint32_t baseline = 0;  // column index of the baseline
    UTestResult test;
    bool significant = false;               // p <= alpha
    bool same_center = false;               // both centers are equal
    bool significance_impossible = false;   // the sample sizes cannot reach alpha
    Verdict verdict = Verdict::unchanged;
    Equivalence equivalence = Equivalence::inconclusive;
    std::uint32_t n1 = 0;                   // sample counts of the baseline and of this input
    std::uint32_t n2 = 0;
    OptionalDouble delta_pct;               // (median_y / median_x - 1) * 100; empty when median_x is 0
    // The delta column: "~", "+12.34%", "0.00%" or "?". Made when printed rather than kept.
    std::string delta_text() const;
    // The test column: "p=0.002 n=6" or "p=0.002 n=6+8".
    std::string test_text() const;
    // test_text appended to `out`: a large table writes one per row in place.
    void append_test_text(std::string& out) const;
    // test_text written at `out` (room for k_test_text_room bytes), for a report that writes one
    // per row straight into its output; returns the end, or nullptr when only test_text writes the
    // p-value (one that is not finite).
    char* write_test_text(char* out) const;
    ChangeInterval change;                  // Hodges-Lehmann change and its interval
    Notes warnings;                         // footnotes about the comparison
    Detectability detect;  // smallest detectable change; per-side count resolving ±equivalence_pct
};

// A row's comparisons, found by column: nullptr for a column without one (the baseline, a missing
// cell). Usually a row has a single comparison (a before/after pair), which the row holds in
// place; a row with more holds them all in one array.
class RowComparisons {
public:
    const Comparison* operator[](std::size_t column) const noexcept {
        for (const Comparison& c : all()) {
            if (c.input == column) return &c;
        }
        return nullptr;
    }
    Comparison* operator[](std::size_t column) noexcept {
        return const_cast<Comparison*>(std::as_const(*this)[column]);
    }
    // Sets the comparison of column `comparison.input`, replacing any it had.
    void set(Comparison comparison) {
        if (Comparison* known = (*this)[comparison.input]) {
            *known = std::move(comparison);
        } else if (m_more) {
            m_more->push_back(std::move(comparison));
        } else if (!m_has_first) {
            m_first = std::move(comparison);
            m_has_first = true;
        } else {
            m_more = std::make_unique<std::vector<Comparison>>();
            m_more->reserve(2);
            m_more->push_back(std::move(m_first));
            m_more->push_back(std::move(comparison));
            m_first = Comparison{};
        }
    }
    // Every comparison of the row, in the order they were set.
    std::span<const Comparison> all() const noexcept {
        if (m_more) return *m_more;
        return {&m_first, m_has_first ? std::size_t{1} : std::size_t{0}};
    }

private:
    Comparison m_first;                                 // the comparison, when there is one
    std::unique_ptr<std::vector<Comparison>> m_more;    // all of them, when there are more
    bool m_has_first = false;
};

// A row's cells by column (an empty slot for a column without one), used like a vector. Most
// rows have two columns (a before/after comparison), which are held in the row itself: a large
// report's rows are then made in one allocation per table rather than one more per row.
class RowCells {
public:
    using value_type = std::optional<Cell>;

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    // Grows with empty slots, or shrinks.
    void resize(std::size_t count) {
        if (count > k_inline && !m_more) {
            m_more = std::make_unique<std::vector<value_type>>();
            m_more->reserve(count);
            for (std::size_t i = 0; i < m_size; ++i) m_more->push_back(std::move(m_inline[i]));
            for (auto& slot : m_inline) slot.reset();
        }
        if (m_more) {
            m_more->resize(count);
        } else {
            for (std::size_t i = count; i < m_size; ++i) m_inline[i].reset();
        }
        m_size = count;
    }
    value_type& operator[](std::size_t column) noexcept { return data()[column]; }
    const value_type& operator[](std::size_t column) const noexcept { return data()[column]; }
    const value_type& at(std::size_t column) const {
        if (column >= m_size) throw std::out_of_range("RowCells::at");
        return data()[column];
    }
    value_type* begin() noexcept { return data(); }
    value_type* end() noexcept { return data() + m_size; }
    const value_type* begin() const noexcept { return data(); }
    const value_type* end() const noexcept { return data() + m_size; }

private:
    static constexpr std::size_t k_inline = 2;
    value_type* data() noexcept { return m_more ? m_more->data() : m_inline; }
    const value_type* data() const noexcept { return m_more ? m_more->data() : m_inline; }

    value_type m_inline[k_inline];                     // the cells, when there are at most two
    std::unique_ptr<std::vector<value_type>> m_more;  // all cells, when there are more
    std::size_t m_size = 0;
};

struct Row {
    SharedText name;  // full name as the input writes it; a benchmark's rows in several tables share it
    // The name as shown in tables (Go: without the "Benchmark" prefix). Set after `name`.
    std::string_view display() const {
        return display_from == k_own ? std::string_view(*own_display) : name.view().substr(display_from);
    }
    void set_display(std::string_view text) {
        // Usually the end of the name, which a large report then does not hold twice.
        if (text.size() <= name.size() && name.view().ends_with(text)) {
            display_from = name.size() - text.size();
            own_display.reset();
        } else {
            display_from = k_own;
            own_display = std::make_unique<std::string>(text);
        }
    }
    RowCells cells;                          // indexed by column (Report::columns)
    RowComparisons comparisons;              // by column; against the table's baseline

private:
    static constexpr std::size_t k_own = static_cast<std::size_t>(-1);
    std::size_t display_from = 0;  // where the display name starts in `name`, or k_own
    std::unique_ptr<std::string> own_display;  // the display name when it is not the end of `name`
};

// The geometric-mean row of one column.
struct ColumnSummary {
    std::optional<double> geomean;
    std::optional<double> ratio;  // geomean of center ratios against the baseline column
    bool has_ratio_cell = false;  // false for the baseline column
    std::vector<std::string> warnings;
};

// All rows sharing one configuration and one unit.
struct Table {
    // The table's key: by default every configuration key of the comparison with this table's value
    // ("" if absent); with --table, the projected keys and their values.
    Config config;
    std::string unit;
    Better better = Better::lower;
    // No input states which direction is better for the unit (a Google Benchmark user counter):
    // `better` is a guess, shown but never acted on by the gate.
    bool better_unknown = false;
    UnitClass unit_class = UnitClass::decimal;
    std::vector<std::size_t> columns;  // columns present in this table, in column order; [0] is the baseline
    std::vector<Row> rows;
    std::vector<ColumnSummary> summaries;  // indexed like `columns`
};

// A threshold for the CI gate: the smallest relative change (percent) that can fail a row.
struct Threshold {
    std::string unit;  // "" applies to every unit without its own threshold
    double pct = 10;
};

// A goal: every benchmark matching `glob` must change `unit` by `pct` percent or better.
struct Requirement {
    std::string glob;
    std::string unit;
    double pct = 0;  // e.g. -20 for "20% faster" on a lower-is-better unit
};

// A per-benchmark / per-unit rule of a gate configuration file (--gate-config). Every field that
// is set overrides the defaults for the rows it matches; later rules override earlier ones.
struct BenchmarkRule {
    std::string glob;                   // benchmark name glob; "" matches every benchmark
    std::string unit;                   // tidied unit; "" matches every unit
    std::optional<double> threshold;    // relative limit, percent
    std::optional<double> min_change;   // absolute limit, in the unit's base units (seconds, bytes, ...)
    bool ignore = false;                // never gate the matching rows
    std::string origin;                 // where the rule was written, e.g. "gate.json: rules[2]"
};

enum class GateRule { interval, point };

// Multiple-comparison correction of the p-values the gate uses (Holm: family-wise error rate;
// Benjamini-Hochberg: false discovery rate).
enum class Correction { none, holm, bh };

struct GateOptions {
    bool enabled = false;                 // --fail-on-regression
    GateRule rule = GateRule::interval;   // --gate-rule interval|point
    std::vector<Threshold> thresholds;    // --threshold [UNIT=]PCT; default 10% for every unit
    double min_time = 100e-9;             // --min-time: floor on the larger median, seconds
    double min_allocs = 1;                // smallest allocs/op change that can fail
    double min_bytes = 64;                // B/op rows fail only when the larger median is at least this
    std::vector<std::string> excludes;    // --exclude GLOB, matched against the benchmark name
    std::vector<Requirement> requirements;  // --require GLOB:UNIT:PCT
    bool allow_cpu_mismatch = false;      // gate time metrics even when the CPUs differ
    Correction correction = Correction::none;  // --correction holm|bh
    bool fail_on_inconclusive = false;    // --fail-on-inconclusive: inconclusive rows fail too
    std::vector<BenchmarkRule> rules;     // --gate-config FILE: per-benchmark / per-unit limits
    std::string config_path;              // the file the rules came from ("" when none)
};

// What the gate decided about one (row, input) pair.
enum class GateStatus {
    failed,               // regression beyond threshold and floors: fails the gate
    possible_regression,  // significant, estimate beyond threshold, interval reaches inside it
    below_threshold,      // significant change smaller than the threshold (or under a floor)
    unstable,             // integer metric flipping between adjacent values
    goal_met,
    goal_unmet,           // an unmet --require goal: fails the gate
    inconclusive,         // --fail-on-inconclusive: neither a change nor equivalent; fails the gate
    not_gated             // excluded, time on mismatched CPUs, or deterministic mode
};
std::string_view gate_status_name(GateStatus status);

struct GateFinding {
    std::size_t table = 0;  // index into Report::tables
    std::size_t row = 0;    // index into Table::rows
    std::size_t input = 0;  // compared input
    GateStatus status = GateStatus::failed;
    std::string benchmark;  // full name
    std::string package;    // "" when none
    std::string unit;
    std::string reason;     // one sentence for people, e.g. "+183.3% [+176.6% … +192.7%] beyond +10%"
    std::size_t samples_needed = 0;  // possible regressions: per-side count that would settle it
};

struct GateResult {
    bool enabled = false;
    bool passed = true;
    std::string rule_text;              // the rule in words, for headlines
    std::vector<GateFinding> findings;  // every status except plain unchanged rows
    std::vector<std::string> notes;     // policy notes (deterministic mode, CPU mismatch, ...)
    // The notes that say part of the suite was not gated (a copy of each): a gate that looked at
    // less than the user may think says so on standard error, whatever the output format.
    std::vector<std::string> alerts;
};

// Whether the suite's sample counts can show a significant change at all.
struct SuiteDetectability {
    std::size_t compared = 0;     // compared (row, input) pairs
    double min_possible_p = 0;    // the smallest p-value the least-sampled compared row can reach
    std::size_t n1 = 0;           // that row's sample counts
    std::size_t n2 = 0;
    std::size_t unreachable = 0;  // compared rows whose counts cannot reach alpha
    std::string warning;          // set when unreachable > 0
};

// One column of the comparison: an input file (the default), or one value of the --col projection.
struct Column {
    std::string label;                 // the input's label, or the projected values joined by spaces
    std::vector<std::string> values;   // one value per --col key (Report::column_keys)
    std::optional<std::size_t> input;  // the input this column is, when the columns are the inputs
};

struct Report {
    CompareOptions options;
    SuiteDetectability detectability;
    GateResult gate;
    std::vector<InputFile> inputs;  // parsed data may be released after compare(); labels stay
    // The columns every table draws from. By default one per input, in input order, so a column
    // index is an input index; with --col, the distinct projected values in their sort order.
    std::vector<Column> columns;
    std::vector<std::string> column_keys;  // the --col keys (".file" by default)
    bool columns_are_inputs = true;
    std::vector<Table> tables;
    std::vector<std::string> warnings;  // report-wide warnings (input diagnostics included)
};

// Compares the inputs, grouped by options.projections after options.filter: within each table the
// first column (by default the first input) is the baseline. Never throws for data problems; they
// become warnings in the report. Throws InputError when inputs from different platforms would
// share a table.
Report compare(std::vector<InputFile> inputs, const CompareOptions& options);

// The column a table's rows are compared against in reports: the first input by default (a table
// without it shows its rows as added), or with --col the table's own first column.
std::size_t baseline_column(const Report& report, const Table& table);

// Go's %v formatting of a float (shortest representation), used in benchstat-compatible messages.
std::string go_float(double value);

}  // namespace ksail_benchstat
