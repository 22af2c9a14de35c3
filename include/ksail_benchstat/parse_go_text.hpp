// Parser for Go benchmark text (`go test -bench` output, the benchfmt format).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// What a Unit line stated about one key of a unit, e.g. `better=higher`.
struct UnitStatement {
    std::string unit;  // as the line wrote it
    std::string key;   // `better` or `assume`
    std::string value;
    std::size_t line = 0;
};

// The warning for a Unit line's statement that contradicts an earlier one of the same key for
// the same tidied unit: it names both lines and says that the earlier one holds.
std::string contradiction_message(const UnitStatement& later, const UnitStatement& first);

// Parses Go benchmark text. `file` names the input in messages. `first_line` is the line number
// of the text's first line (for text extracted from another container).
// Malformed benchmark lines become warnings; the rest still counts. A NaN or infinite
// measurement is dropped with a warning and the rest of its line counts; a Unit line that
// contradicts an earlier one is a warning and changes nothing.
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
    // Parses the complete lines at the start of `text` (each ending in '\n', which is not part of
    // the line) as add_line does, numbering them from `line` + 1; `line` ends as the last one's
    // number. Returns the length of text read: what follows is a partial line, or nothing.
    std::size_t add_lines(std::string_view text, std::size_t& line, bool ascii = false);

    // Clears the file-level configuration (a new package stream starts in go test -json).
    void reset_config();
    // A hint that about `bytes` of text will follow: room for its series is reserved up front, so
    // the series array of a large input is not regrown (and copied) as it fills.
    void expect_bytes(std::size_t bytes);
    // Whether any value read so far is negative or not finite in base units. Without one, every
    // series has samples that need no dropping, and the reader's final check can be skipped.
    bool may_need_value_checks() const;

    // Finishes and returns what was read. Throws InputError as parse_go_text does.
    ParsedInput finish();
    // What the first Unit line to state `key` (`better` or `assume`) for this tidied unit stated;
    // nullptr when none did. (A UnitInfo's assume_exact of false is otherwise the same whether it
    // was stated or not.) Valid until more text is added.
    const UnitStatement* stated(std::string_view unit, std::string_view key) const;

private:
    struct Impl;
    Impl* m_impl;
};

}  // namespace ksail_benchstat
