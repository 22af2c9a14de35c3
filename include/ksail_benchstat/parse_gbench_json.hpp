// Parser for Google Benchmark JSON output (`--benchmark_format=json` / `--benchmark_out`).
#pragma once

#include <memory>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Parses a Google Benchmark JSON document (versions 1.5 to 1.9). Each `iteration` entry is one
// sample; aggregates are used only when a file has no per-repetition entries. Errored and skipped
// benchmarks become warnings. Throws InputError naming FILE:LINE for malformed JSON or a
// document of the wrong shape.
ParsedInput parse_gbench_json(std::string_view text, std::string_view file);

// The same parser fed its text in blocks of any size, so that a large input need not be held
// whole: parse_gbench_json(a + b + ..., file) and add(a), add(b), ..., finish() give the same
// results, warnings and errors. add() and finish() throw InputError as parse_gbench_json does.
class GbenchJsonParser {
public:
    explicit GbenchJsonParser(std::string_view file);
    ~GbenchJsonParser();
    GbenchJsonParser(const GbenchJsonParser&) = delete;
    GbenchJsonParser& operator=(const GbenchJsonParser&) = delete;

    void add(std::string_view block);
    ParsedInput finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace ksail_benchstat
