// Reader for `go test -json` event streams (test2json output).
#pragma once

#include <memory>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Reads a test2json stream: concatenates each package's Output in stream order and parses it as
// Go benchmark text. Throws InputError naming FILE:LINE for a malformed event, or for a `fail` /
// `build-fail` action of a package that has benchmark results.
ParsedInput parse_go_test_json(std::string_view text, std::string_view file);

// Incremental form of parse_go_test_json: takes the stream one line at a time, so a large stream
// need not be held whole. The results and errors are the same as parse_go_test_json's on the
// lines given, in order; a malformed event throws from add_line, a failure recorded in the Go
// text may only be raised by finish().
class GoTestJsonReader {
public:
    explicit GoTestJsonReader(std::string_view file);
    ~GoTestJsonReader();
    GoTestJsonReader(const GoTestJsonReader&) = delete;
    GoTestJsonReader& operator=(const GoTestJsonReader&) = delete;

    // Reads the stream's next line, without its newline (lines are numbered from 1 in the order
    // given).
    void add_line(std::string_view line);
    // Finishes and returns what was read.
    ParsedInput finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace ksail_benchstat
