// The tokenizer shared by filter and projection expressions (benchstat's lexical syntax).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ksail_benchstat {

struct Token {
    enum Kind { end, word, regex, open, close, colon, at, comma, minus, star, and_word, or_word };
    Kind kind = end;
    std::size_t offset = 0;  // byte offset in the expression
    std::string text;        // the word (quotes removed, escapes applied), the regexp, or the operator
};

// Splits an expression into tokens: bare words, "double-quoted" words, /regexps/ (where a value
// may stand), the operators ( ) : @ , and, at the start of a token, - and *, and the keywords AND
// and OR. Errors name the option the expression came from.
class ExpressionTokenizer {
public:
    ExpressionTokenizer(std::string_view text, std::string option) : m_text(text), m_option(std::move(option)) {}

    // The next token; `allow_regex` where a value may be a /regexp/. Throws UsageError on a
    // malformed quoted word or regexp.
    Token next(bool allow_regex);
    // The next token without consuming it.
    Token peek(bool allow_regex);

    // Throws UsageError "OPTION: syntax error: MESSAGE at column N of "TEXT"".
    [[noreturn]] void fail(std::size_t offset, std::string_view message) const;

private:
    std::string_view m_text;
    std::string m_option;
    std::size_t m_pos = 0;
};

}  // namespace ksail_benchstat
