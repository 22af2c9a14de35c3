// Detects an input's format from its content, never from its name.
#pragma once

#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Detects the format of `text` and parses it with the matching parser. Throws InputError naming
// the file when the content is empty, binary, or no known format.
ParsedInput parse_input(std::string_view text, std::string_view file);

// The format `text` looks like (JSON object with "benchmarks" → gbench; JSON lines with
// "Action" → go test -json; otherwise Go text).
InputFormat detect_format(std::string_view text);

}  // namespace ksail_benchstat
