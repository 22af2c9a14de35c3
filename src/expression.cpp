// The tokenizer shared by filter and projection expressions.
#include "ksail_benchstat/expression.hpp"

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"

namespace ksail_benchstat {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_op(char c) { return c == '(' || c == ')' || c == ':' || c == '@' || c == ','; }
// '-' and '*' are operators only at the start of a token, so "foo-bar" stays one word.
bool is_start_op(char c) { return is_op(c) || c == '-' || c == '*'; }

}  // namespace

void ExpressionTokenizer::fail(std::size_t offset, std::string_view message) const {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < m_text.size(); ++i) {
        if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) ++column;
    }
    throw UsageError(fmt::format("{}: syntax error: {} at column {} of {:?}", m_option, message, column, m_text));
}

Token ExpressionTokenizer::peek(bool allow_regex) {
    const std::size_t saved = m_pos;
    Token t = next(allow_regex);
    m_pos = saved;
    return t;
}

Token ExpressionTokenizer::next(bool allow_regex) {
    while (m_pos < m_text.size() && is_space(m_text[m_pos])) ++m_pos;
    Token t;
    t.offset = m_pos;
    if (m_pos >= m_text.size()) return t;
    const char c = m_text[m_pos];
    if (is_start_op(c)) {
        ++m_pos;
        t.text = std::string(1, c);
        switch (c) {
        case '(': t.kind = Token::open; break;
        case ')': t.kind = Token::close; break;
        case ':': t.kind = Token::colon; break;
        case '@': t.kind = Token::at; break;
        case ',': t.kind = Token::comma; break;
        case '-': t.kind = Token::minus; break;
        default: t.kind = Token::star; break;
        }
        return t;
    }
    if (allow_regex && c == '/') {
        // The regexp ends at the first '/' outside brackets and groups.
        int brackets = 0;
        int groups = 0;
        std::size_t i = m_pos + 1;
        for (; i < m_text.size(); ++i) {
            const char r = m_text[i];
            if (r == '/' && brackets == 0 && groups == 0) break;
            if (r == '[') ++brackets;
            else if (r == ']') brackets = brackets > 0 ? brackets - 1 : 0;
            else if (r == '(' && brackets == 0) ++groups;
            else if (r == ')' && brackets == 0) --groups;
            else if (r == '\\') ++i;
        }
        if (i >= m_text.size()) fail(m_pos, "missing close \"/\"");
        const std::size_t after = i + 1;
        if (after < m_text.size() && !is_space(m_text[after]) && !is_start_op(m_text[after])) {
            fail(after, "regexp must be followed by space or an operator (unescaped \"/\"?)");
        }
        t.kind = Token::regex;
        t.text = std::string(m_text.substr(m_pos + 1, i - m_pos - 1));
        m_pos = after;
        return t;
    }
    if (c == '"') {
        std::string word;
        std::size_t i = m_pos + 1;
        for (; i < m_text.size() && m_text[i] != '"'; ++i) {
            if (m_text[i] != '\\') {
                word += m_text[i];
                continue;
            }
            if (++i >= m_text.size()) break;
            switch (m_text[i]) {
            case 'n': word += '\n'; break;
            case 't': word += '\t'; break;
            case 'r': word += '\r'; break;
            case '\\': word += '\\'; break;
            case '"': word += '"'; break;
            default: fail(i - 1, "bad escape sequence");
            }
        }
        if (i >= m_text.size()) fail(m_pos, "missing end quote");
        t.kind = Token::word;
        t.text = std::move(word);
        m_pos = i + 1;
        return t;
    }
    std::size_t end = m_pos;
    while (end < m_text.size() && !is_space(m_text[end]) && !is_op(m_text[end])) ++end;
    t.text = std::string(m_text.substr(m_pos, end - m_pos));
    t.kind = t.text == "AND" ? Token::and_word : t.text == "OR" ? Token::or_word : Token::word;
    m_pos = end;
    return t;
}

}  // namespace ksail_benchstat
