// Detects an input's format from its content, never from its name.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Detects the format of `text` and parses it with the matching parser. Throws InputError naming
// the file when the content is empty, binary, or no known format.
ParsedInput parse_input(std::string_view text, std::string_view file);

// Fills `buffer` with up to `size` bytes of an input and returns how many it wrote; 0 at the end.
// Throws InputError on a read error.
using ReadBlock = std::function<std::size_t(char* buffer, std::size_t size)>;

// Like parse_input, but pulls the text through `read`: Go benchmark text and go test -json
// streams are parsed line by line as they arrive, so a large file never needs to be held in
// memory whole; Google Benchmark JSON is read completely (into a buffer of `size_hint` bytes when
// the caller knows the size, so it never regrows).
ParsedInput parse_input_stream(const ReadBlock& read, std::string_view file, std::size_t size_hint = 0);

// The format `text` looks like: a JSON object whose first key is a field of test2json's events
// ("Time", "Action", ...) → go test -json; any other JSON object or a JSON array, also after
// comments → Google Benchmark JSON (whose reader rejects what it cannot read); otherwise Go text.
// Lines of other output before Go text or before a go test -json stream's first event (a JSON
// log line, the go command's messages) do not hide it, when it starts within the first 64 KiB.
InputFormat detect_format(std::string_view text);

}  // namespace ksail_benchstat
