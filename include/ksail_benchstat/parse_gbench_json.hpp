// Parser for Google Benchmark JSON output (`--benchmark_format=json` / `--benchmark_out`).
#pragma once

#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Parses a Google Benchmark JSON document (versions 1.5 to 1.9). Each `iteration` entry is one
// sample; aggregates are used only when a file has no per-repetition entries. Errored and skipped
// benchmarks become warnings. Throws InputError naming FILE:LINE for malformed JSON or a
// document of the wrong shape.
ParsedInput parse_gbench_json(std::string_view text, std::string_view file);

}  // namespace ksail_benchstat
