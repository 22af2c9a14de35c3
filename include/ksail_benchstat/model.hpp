// The sample model: what every parser produces and the comparison consumes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ksail_benchstat/samples.hpp"
#include "ksail_benchstat/shared_text.hpp"

namespace ksail_benchstat {

enum class InputFormat { go_text, go_test_json, gbench_json };

// The contract's name for a format: "go-text", "go-test-json" or "gbench-json".
std::string_view format_name(InputFormat format);

// Which direction of change is an improvement for a unit.
enum class Better { lower, higher };

// Ordered configuration of a benchmark: file-level `key: value` pairs in order of appearance
// (Go: goos, goarch, pkg, cpu, ...; Google Benchmark: the context fields).
using Config = std::vector<std::pair<std::string, std::string>>;

// A non-fatal finding about an input, shown to the user as a warning.
struct Diagnostic {
    std::string file;
    std::size_t line = 0;  // 0 when no line applies
    std::string message;
};

// Metadata about a tidied unit, from Go `Unit` lines or a parser's knowledge of its format.
struct UnitInfo {
    std::string unit;        // tidied unit, e.g. "sec/op"
    bool has_better = false; // true when `better` was stated by the input
    Better better = Better::lower;
    bool assume_exact = false;  // Go `Unit X assume=exact`
    // The input cannot say which direction is better (a Google Benchmark user counter such as
    // `nodes`): `better` is only a guess for display, and the gate does not act on it.
    bool direction_unknown = false;
};

// All samples of one metric of one benchmark under one configuration, in one input.
struct Series {
    std::size_t config = 0;      // index into ParsedInput::configs
    SharedText name;             // full name as the input writes it: "BenchmarkX/sub-8", "BM_X/64";
                                 // a benchmark's series share it
    SharedText unit;             // tidied unit: "sec/op", "B/op", "allocs/op", "B/s", or the input's own;
                                 // shared by the series of one unit
    Samples values;              // in base units (seconds, bytes), in input order
    std::size_t line = 0;        // line of the first sample, for messages
};

// Everything read from one input file.
// A benchmark every run of which failed, so the input has no results for it (Google Benchmark's
// error_occurred in every repetition).
struct FailedBenchmark {
    std::string name;
    std::size_t line = 0;
    std::string message;  // the benchmark's own error message, or ""
};

struct ParsedInput {
    InputFormat format = InputFormat::go_text;
    std::vector<Config> configs;      // distinct configurations, in order of first use
    std::vector<Series> series;       // in order of first observation
    std::vector<UnitInfo> units;      // unit metadata declared or implied by the input
    std::vector<Diagnostic> warnings; // non-fatal problems, in file order
    bool aggregates_only = false;     // Google Benchmark file with no per-repetition entries
    std::vector<FailedBenchmark> failed_benchmarks;
};

// The value of `key` in `config`, or "" when absent.
std::string_view config_value(const Config& config, std::string_view key);

// A configuration's content as one string (keys and values with separators that cannot occur in
// them), by which parsers recognise a configuration they have seen.
std::string config_key(const Config& config);

}  // namespace ksail_benchstat
