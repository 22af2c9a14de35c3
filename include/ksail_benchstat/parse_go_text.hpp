// Parser for Go benchmark text (`go test -bench` output, the benchfmt format).
#pragma once

#include <cstddef>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Parses Go benchmark text. `file` names the input in messages. `first_line` is the line number
// of the text's first line (for text extracted from another container).
// Malformed benchmark lines become warnings; the rest still counts.
// Throws InputError naming FILE:LINE when the text records a failed run (`--- FAIL: Benchmark…`
// or `FAIL<tab>pkg`).
ParsedInput parse_go_text(std::string_view text, std::string_view file);

// Incremental form used by other readers: feeds text in pieces that end at line boundaries,
// carrying configuration and series across calls. line_of_piece gives the number used in
// messages for the piece's first line.
class GoTextParser {
public:
    explicit GoTextParser(std::string_view file);
    ~GoTextParser();
    GoTextParser(const GoTextParser&) = delete;
    GoTextParser& operator=(const GoTextParser&) = delete;

    // Parses one line (without its newline) that appeared at `line` of the input. `ascii` says
    // the caller already knows the line is all ASCII, so its UTF-8 is not checked again.
    void add_line(std::string_view text, std::size_t line, bool ascii = false);
    // Clears the file-level configuration (a new package stream starts in go test -json).
    void reset_config();
    // A hint that about `bytes` of text will follow: room for its series is reserved up front, so
    // the series array of a large input is not regrown (and copied) as it fills.
    void expect_bytes(std::size_t bytes);
    // Finishes and returns what was read. Throws InputError as parse_go_text does.
    ParsedInput finish();
    // Whether a Unit line stated `assume=` for this (tidied) unit: a UnitInfo's assume_exact of
    // false is otherwise the same whether it was stated or not.
    bool states_assumption(std::string_view unit) const;

private:
    struct Impl;
    Impl* m_impl;
};

}  // namespace ksail_benchstat
