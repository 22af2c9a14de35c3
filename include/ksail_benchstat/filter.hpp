// Benchmark keys and filters: benchstat's key names (.name, .fullname, .file, .unit, /sub, config
// keys) and its filter expression language ("/format:json goos:linux .unit:(ns/op OR B/op)").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// What filters and projections can see of one series of samples.
struct Observation {
    std::string_view file;      // .file: the input's label
    std::string_view fullname;  // .fullname: the name without Go's "Benchmark" prefix
    const Config* config = nullptr;
    std::string_view unit;      // .unit: the tidied unit
};

// The parts of a benchmark name after its base: "/key=value", positional "/value" and a final
// "-N" (GOMAXPROCS), as in "Encode/format=json-48" -> {"/format=json", "-48"}.
std::vector<std::string_view> name_parts(std::string_view fullname);

// The base name: "Encode" for "Encode/format=json-48".
std::string_view name_base(std::string_view fullname);

// The value of one key for an observation, "" when absent. Keys: ".name", ".fullname", ".file",
// ".unit", "/KEY" (a "KEY=value" name part; "/gomaxprocs" also reads the "-N" suffix; "/N" with
// a number N reads the N-th name part when no part is named N), or a configuration key.
std::string key_value(const Observation& obs, std::string_view key);

// The full name with the named parts removed: `excluded` holds "/KEY" entries (and ".name", which
// turns the base into "*"), as benchstat removes keys that another projection shows.
std::string fullname_without(std::string_view fullname, const std::vector<std::string>& excluded);

// Go-style units in their original spelling that a tidied unit may have been written as
// ("sec/op" was "ns/op"), so `.unit:ns/op` still matches.
std::vector<std::string> original_units(std::string_view unit);

// A parsed filter expression. Matching is per series; `.unit` terms see the series' unit.
class Filter {
public:
    struct Node;

    // Parses `expr`; throws UsageError "--filter: syntax error: MESSAGE at column N of "EXPR""
    // for malformed expressions or regular expressions. "*" and "" match everything.
    static Filter parse(std::string_view expr);

    // Whether the observation passes the filter.
    bool matches(const Observation& obs) const;

    // Whether the filter matches everything without looking (the default).
    bool is_everything() const { return m_root == nullptr; }

    Filter() = default;

private:
    std::shared_ptr<const Node> m_root;
};

}  // namespace ksail_benchstat
