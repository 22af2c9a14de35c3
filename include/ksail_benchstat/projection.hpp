// Projections: how --table, --row and --col turn a series into table, row and column keys, and
// how those keys sort (benchstat's projection syntax: "KEY[@alpha|@num|@(V1 V2 ...)], ...").
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ksail_benchstat/filter.hpp"

namespace ksail_benchstat {

enum class KeyOrder { first, alpha, num, fixed };

// One field of a projection: a key and the order of its values.
struct ProjectionField {
    std::string key;
    KeyOrder order = KeyOrder::first;    // first observed first, unless stated
    std::vector<std::string> fixed;      // KeyOrder::fixed: the values, in order; others are filtered out
};

// Parses one projection expression; `option` names it in errors. Throws UsageError
// "OPTION: syntax error: ..." for malformed text, unknown orders, ".unit", or "@(...)" on .config.
std::vector<ProjectionField> parse_projection(std::string_view text, std::string_view option);

// Numeric order of benchstat's @num: "2k" < "1Mi" < "3G"; numbers sort before non-numbers.
// Returns <0, 0 (unordered) or >0.
int compare_num(std::string_view a, std::string_view b);

// The --table, --row, --col and --ignore projections, parsed together: a key one of them names is
// left out of the .config and .fullname of every other, so nothing is shown twice.
class ProjectionSet {
public:
    // The defaults: --table .config --row .fullname --col .file.
    ProjectionSet();
    // Throws UsageError naming the option of a malformed expression.
    static ProjectionSet parse(std::string_view table, std::string_view row, std::string_view col,
                               std::string_view ignore);

    const std::vector<ProjectionField>& table() const { return m_table; }
    const std::vector<ProjectionField>& row() const { return m_row; }
    const std::vector<ProjectionField>& col() const { return m_col; }
    // What no projection shows: .config and .fullname (less the named keys) unless projected.
    const std::vector<ProjectionField>& residue() const { return m_residue; }

    // Whether configuration key `key` belongs in .config (no projection names it).
    bool in_config(const std::string& key) const { return m_config_keys.count(key) == 0; }
    // The .fullname of an observation: its full name less the name keys other projections show.
    std::string fullname(std::string_view fullname) const { return fullname_without(fullname, m_name_keys); }

    // Whether the columns are exactly the input files in command-line order (the default).
    bool columns_are_inputs() const;
    // Whether the rows are exactly the benchmarks' full names (the default).
    bool rows_are_names() const;
    // Whether any projection has a fixed order (and so filters).
    bool has_fixed_orders() const;
    // Whether an observation survives the fixed orders ("/size@(1K 4K)" keeps only those sizes).
    bool passes_fixed_orders(const Observation& obs) const;

private:
    struct Empty {};
    explicit ProjectionSet(Empty) {}

    std::vector<ProjectionField> m_table;
    std::vector<ProjectionField> m_row;
    std::vector<ProjectionField> m_col;
    std::vector<ProjectionField> m_residue;
    std::set<std::string> m_config_keys;  // configuration keys named by some projection
    std::vector<std::string> m_name_keys; // ".name" and "/KEY" named by some projection

    void add(const std::vector<ProjectionField>& fields);
};

// Turns observations into keys of one projection and orders them. `.config` expands to one
// component per configuration key in .config, in order of first appearance; learn every
// observation before projecting any.
class KeyMaker {
public:
    KeyMaker(const std::vector<ProjectionField>& fields, const ProjectionSet& set,
             const std::set<std::string>& config_exclude = {});

    void learn(const Observation& obs);
    // The key's components, one per flattened field.
    std::vector<std::string> project(const Observation& obs) const;
    // Records first observations of the key's values (call in observation order).
    void observe(const std::vector<std::string>& key);
    // benchstat's order of keys: field by field, by each field's order, then as strings.
    bool less(const std::vector<std::string>& a, const std::vector<std::string>& b) const;
    // The place of each of `keys` in that order (0 for the first). Faster than sorting with less():
    // the observation ranks of every key's components are looked up once, not per comparison.
    std::vector<std::size_t> places(const std::vector<const std::vector<std::string>*>& keys) const;
    // Whether a key reads the benchmark name (.name, .fullname or a /KEY part) / reads nothing else.
    bool reads_name() const;
    bool reads_only_name() const;
    // The flattened field names: projected keys, with .config replaced by its configuration keys.
    std::vector<std::string> names() const;

private:
    struct Flat {
        std::size_t field = 0;   // index into m_fields
        std::string config_key;  // for components of .config
    };
    std::vector<ProjectionField> m_fields;
    const ProjectionSet* m_set;
    std::set<std::string> m_config_exclude;
    std::vector<Flat> m_flat;
    std::vector<std::string> m_config_keys;  // .config components, in order of first appearance

    void flatten();
    // less() with optionally precomputed observation ranks of a's and b's components (npos: none).
    bool less_ranked(const std::vector<std::string>& a, const std::size_t* rank_a, const std::vector<std::string>& b,
                     const std::size_t* rank_b) const;
    std::vector<std::unordered_map<std::string, std::size_t>> m_first;  // per field: value -> first observation
};

}  // namespace ksail_benchstat
