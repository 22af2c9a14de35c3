// Report outline: what the human-readable reports (markdown, HTML) list and where — the headline,
// the section of every compared row, added and removed rows, goals — so both formats agree.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ksail_benchstat/compare.hpp"

namespace ksail_benchstat {

// The section a compared (row, input) pair is listed in, most important first.
// Rows that did not change significantly are inconclusive or equivalent (the three-way verdict).
// `changed`: a significant change of a unit whose better direction no input states.
enum class Bucket { failing, regressed, possible, improved, changed, below, unstable, inconclusive, equivalent };

// One (table, row, input) of the report.
struct OutlineItem {
    std::size_t table = 0;
    std::size_t row = 0;
    std::size_t input = 0;
    const GateFinding* finding = nullptr;  // the finding that placed the item, if any
};

// How a section of compared rows is presented. Texts are plain; `intro` may mark code with backticks.
struct SectionInfo {
    std::string title;       // "🔴 Regressions", without the count
    bool collapsed = false;  // shown folded away (a <details> element)
    bool emphasise = false;  // significant deltas stand out
    std::string intro;       // one or two sentences before the table, or ""
};
SectionInfo section_info(Bucket bucket, bool gate_enabled);

// One verdict of the headline: "❌" + "2 benchmarks regressed" (emphasised) + remark " (only one input)".
struct VerdictPart {
    std::string icon;
    std::string emphasis;
    std::string remark;
};

// The one-line headline in parts, unescaped.
struct Headline {
    std::vector<VerdictPart> verdicts;
    bool bad = false;                 // something regressed or a goal is unmet
    std::string gate_rule;            // the gate's rule in words; "" when the gate is off
    std::vector<std::string> counts;  // "🟢 3 improved", "191 compared", "n=6 per side"
};

// The cells of one compared row as display text, unescaped.
struct ComparedCells {
    std::string before;  // "173.1n ± 3%"
    std::string after;
    std::string delta;   // "+183.28%", "~"
    std::string change;  // "+187.2% [+176.6% … +192.7%]", "" without an estimate
    std::string p;       // "0.002", "0.002 (n=6+8)" when the sizes differ from the usual, "—"
    std::string detect;  // what the row could have detected: "n=6: changes under ±21% are invisible here; …"
    bool significant = false;
};

// "1 benchmark", "3 benchmarks".
std::string plural(std::size_t n, std::string_view one, std::string_view many);

class ReportOutline {
public:
    // Classifies every row of `report`, which must outlive the outline. A large report's rows are
    // walked on several cores, and `beside`, when given, is run once among that work (a renderer's
    // own walk over the rows, which then shares the cores with the outline's). An exception thrown
    // by `beside` or by the outline's work is rethrown once all of it is done.
    explicit ReportOutline(const Report& report, const std::function<void()>& beside = {});

    const Report& report() const { return m_report; }
    const std::vector<OutlineItem>& bucket(Bucket b) const;
    const std::vector<OutlineItem>& added() const { return m_added; }
    const std::vector<OutlineItem>& removed() const { return m_removed; }
    const std::vector<const GateFinding*>& goals() const { return m_goals; }

    // Whether any table names a Go package, and the shortest suffix naming it uniquely ("diff").
    bool has_packages() const { return m_has_packages; }
    std::string package_of(std::size_t table) const;
    std::string short_package(const std::string& package) const;

    // Distinct benchmarks among `items`: one benchmark regressed in three units counts once.
    std::size_t count_benchmarks(const std::vector<OutlineItem>& items) const;
    // The same over several lists together, without joining them.
    std::size_t count_benchmarks(std::span<const std::vector<OutlineItem>* const> lists) const;

    Headline headline() const;
    // section_info with the report's equivalence margin and, for inconclusive rows, whether they fail the gate.
    SectionInfo section(Bucket b) const;
    // Whether --fail-on-inconclusive made some row fail the gate.
    bool inconclusive_fails() const;
    // The cells of a compared row; `detect` stays empty unless `with_detect` (it takes some formatting).
    ComparedCells compared_cells(const OutlineItem& item, bool with_detect = true) const;
    // The center of an added (compared input) or removed (baseline) row: "12.3µ ± 2%".
    std::string presence_center(const OutlineItem& item, bool added) const;
    // The gate's reason for a finding, with the sample count that would settle a possible regression.
    std::string why(const GateFinding* finding) const;
    // The confidence level in percent: "95".
    std::string confidence_pct() const;

    std::size_t min_n() const { return m_min_n; }
    std::size_t max_n() const { return m_max_n; }

private:
    using Key = std::tuple<std::size_t, std::size_t, std::size_t>;
    static constexpr std::size_t k_bucket_count = static_cast<std::size_t>(Bucket::equivalent) + 1;
    // The lists an item can go to: the buckets, then these two.
    static constexpr std::size_t k_added_list = k_bucket_count;
    static constexpr std::size_t k_removed_list = k_bucket_count + 1;
    static constexpr std::size_t k_list_count = k_bucket_count + 2;
    // The items of some consecutive rows, classified, before they join the lists.
    struct Part;
    // Classifies the rows numbered [begin, end) in report order (see m_first_row).
    Part classify(std::size_t begin, std::size_t end) const;
    // The (table, row) of the row numbered `at`, which must be below the number of rows.
    std::pair<std::size_t, std::size_t> row_at(std::size_t at) const;
    // Calls visit(table, row, baseline column) for the rows numbered [begin, end).
    template <class Visit>
    void for_rows(std::size_t begin, std::size_t end, const Visit& visit) const;
    // The finding placing the item `key`; `next` is the first finding not before the previous
    // item asked about, so that asking in report order walks the sorted findings once.
    const GateFinding* placing_finding(std::size_t& next, const Key& key) const;
    Bucket bucket_of(const OutlineItem& item, const Comparison& cmp) const;
    void number_benchmarks();

    const Report& m_report;
    std::vector<const GateFinding*> m_findings;  // sorted by (table, row, input)
    std::map<std::string, std::string, std::less<>> m_short_package;  // found by views too
    bool m_has_packages = false;
    std::array<std::vector<OutlineItem>, k_bucket_count> m_buckets;  // indexed by Bucket
    std::vector<OutlineItem> m_added;
    std::vector<OutlineItem> m_removed;
    std::vector<const GateFinding*> m_goals;
    std::size_t m_min_n = static_cast<std::size_t>(-1);
    std::size_t m_max_n = 0;
    // Every row's benchmark (package and full name) as a number below m_benchmarks: row r of
    // table t is m_benchmark_of[m_first_row[t] + r]. Counting distinct benchmarks among hundreds
    // of thousands of items then marks numbers instead of hashing names.
    std::vector<std::size_t> m_first_row;
    std::vector<std::uint32_t> m_benchmark_of;
    std::size_t m_benchmarks = 0;
};

}  // namespace ksail_benchstat
