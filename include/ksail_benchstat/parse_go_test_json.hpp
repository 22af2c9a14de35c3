// Reader for `go test -json` event streams (test2json output).
#pragma once

#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Reads a test2json stream: concatenates each package's Output in stream order and parses it as
// Go benchmark text. Throws InputError naming FILE:LINE for a malformed event, or for a `fail` /
// `build-fail` action of a package that has benchmark results.
ParsedInput parse_go_test_json(std::string_view text, std::string_view file);

}  // namespace ksail_benchstat
