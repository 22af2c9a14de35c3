// JSON renderer: the versioned machine-readable report (schema in docs/output-formats.md).
// Written directly into the output, row by row (rows in parallel), in exactly the layout of
// nlohmann's dump(2): a 100 MB input makes a report of hundreds of thousands of rows, and a
// document tree of it took gigabytes.
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "byte_blocks.hpp"
#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/number_text.hpp"
#include "ksail_benchstat/render.hpp"
#include "ordered_chunks.hpp"
#include "short_text.hpp"
#include "text_cache.hpp"

namespace ksail_benchstat {
namespace {

// Bytes a JSON string holds as they are: printable ASCII except the quote and the backslash.
constexpr std::array<bool, 256> k_plain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

// A double in the layout of nlohmann's dump(), into `buffer` (at least k_number_text_room bytes);
// returns the end. The digits are the shortest that read back as the same double (see
// number_text.hpp): nlohmann's own search for them (Grisu2) was a third of this renderer's
// instructions, and for about one value in a hundred it keeps a digit more than needed or ends on
// another last digit. NaN and the infinities, which JSON cannot hold, are null.
char* format_json_double(double d, char* buffer) {
    if (!std::isfinite(d)) {
        std::memcpy(buffer, "null", 4);
        return buffer + 4;
    }
    return write_json_number_text(d, buffer);
}

// ",\n" and the indentation of up to 16 levels (far deeper than the report), so that an element
// starts with one append.
constexpr std::string_view k_break = ",\n                                ";

}  // namespace

std::string json_double(double d) {
    char buffer[64];
    return std::string(buffer, format_json_double(d, buffer));
}

namespace {

// The text the writer below appends to: a row of the report is about a hundred small appends, and
// a std::string spends more on each (an out-of-line call, then a copy call) than on the bytes.
// Here an append is a bounds test and an inlined copy, and numbers are formatted in place. The end
// and the limit are kept as pointers: an append then compares, copies and moves the end, with no
// sums of the start and a size to form.
class JsonText {
public:
    void clear() noexcept { m_end = m_data.get(); }
    std::size_t size() const noexcept { return static_cast<std::size_t>(m_end - m_data.get()); }
    operator std::string_view() const noexcept { return {m_data.get(), size()}; }

    void append(const char* text, std::size_t n) {
        if (n == 0) return;  // the buffer may not exist yet, and memcpy takes no null pointer
        char* at = tail(n);
        std::memcpy(at, text, n);
        m_end = at + n;
    }
    void append(std::size_t count, char c) {
        if (count == 0) return;
        char* at = tail(count);
        std::memset(at, c, count);
        m_end = at + count;
    }
    // Appends `s` in quotes when every byte of it is plain (see write_plain_quoted) and returns
    // true; otherwise returns false with the text as it was.
    bool append_plain_quoted(std::string_view s);
    JsonText& operator+=(std::string_view text) {
        append(text.data(), text.size());
        return *this;
    }
    JsonText& operator+=(char c) {
        char* at = tail(1);
        *at = c;
        m_end = at + 1;
        return *this;
    }
    // Room for `n` more bytes at the end, for `write` to fill: write(begin) returns the end of what
    // it wrote (at most n bytes).
    template <typename Write>
    void write_at_end(std::size_t n, const Write& write) {
        m_end = write(tail(n));
    }

    // For a writer that keeps its own copy of the end while it writes (see RowWriter): the end of
    // the buffer, and the end of the text set to `end`.
    char* limit() const noexcept { return m_limit; }
    void set_end(char* end) noexcept { m_end = end; }
    // The end of the text after making room for `n` more bytes there.
    char* room(std::size_t n) { return tail(n); }

private:
    char* tail(std::size_t n) {
        if (static_cast<std::size_t>(m_limit - m_end) < n) grow(n);
        return m_end;
    }
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t size = this->size();
        const std::size_t capacity =
            std::max({2 * static_cast<std::size_t>(m_limit - m_data.get()), size + n, std::size_t{4096}});
        auto data = std::make_unique_for_overwrite<char[]>(capacity);
        if (size > 0) std::memcpy(data.get(), m_data.get(), size);
        m_data = std::move(data);
        m_end = m_data.get() + size;
        m_limit = m_data.get() + capacity;
    }

    std::unique_ptr<char[]> m_data;
    char* m_end = nullptr;    // the end of the text
    char* m_limit = nullptr;  // the end of the buffer
};

// Bits that are all zero when the eight bytes of `word` are plain (see k_plain), masked with
// k_byte_highs: a byte of 0x80 or above has its own high bit; 0x7F gains it when one is added; a
// byte below 0x20 gains it when 0x20 is taken away; the quote and the backslash become zero under
// the exclusive or, and gain it when one is taken away. Plain bytes pass no carry or borrow to the
// byte above them, so the lowest byte that is not plain is always caught; what happens above it
// does not matter.
std::uint64_t plain_mask(std::uint64_t word) {
    return word | (word + k_byte_ones) | (word - k_byte_ones * 0x20) | ((word ^ (k_byte_ones * '"')) - k_byte_ones) |
           ((word ^ (k_byte_ones * '\\')) - k_byte_ones);
}

// Writes `s` in quotes at `at` (room for s.size() + 2 bytes) and returns the end when every
// byte of it is plain (see plain_mask); otherwise returns nullptr, having written over some of
// that room. The bytes are copied a word at a time as they are tested, so a plain string, nearly
// every string of a report, is read only once.
inline char* write_plain_quoted(char* at, std::string_view s) {
    const std::size_t n = s.size();
    const char* from = s.data();
#if defined(__SSE2__)
    if (n >= 16) {
        // Sixteen bytes a step. As signed bytes, those below 0x20 are the controls and every byte
        // from 0x80 up; 0x7F, the quote and the backslash are the other bytes that are not plain.
        const auto not_plain = [](__m128i bytes) {
            return _mm_or_si128(
                _mm_or_si128(_mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x7F))),
                _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))));
        };
        __m128i bad = _mm_setzero_si128();
        for_each_16_bytes(from, n, [&](std::size_t i, __m128i bytes) {
            store_16_bytes(at + 1 + i, bytes);
            bad = _mm_or_si128(bad, not_plain(bytes));
        });
        if (_mm_movemask_epi8(bad) != 0) return nullptr;
        at[0] = '"';
        at[n + 1] = '"';
        return at + n + 2;
    }
#endif
    std::uint64_t bad = 0;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const std::uint64_t word = load_word(from + i);
        std::memcpy(at + 1 + i, &word, sizeof word);
        bad |= plain_mask(word);
    }
    if (i < n) {
        if (n >= 8) {
            // The last eight bytes, overlapping ones already copied and tested.
            const std::uint64_t word = load_word(from + n - 8);
            std::memcpy(at + 1 + n - 8, &word, sizeof word);
            bad |= plain_mask(word);
        } else {
            for (; i < n; ++i) {
                const char c = from[i];
                at[1 + i] = c;
                bad |= k_plain[static_cast<unsigned char>(c)] ? 0 : k_byte_highs;
            }
        }
    }
    if ((bad & k_byte_highs) != 0) return nullptr;
    at[0] = '"';
    at[n + 1] = '"';
    return at + n + 2;
}

inline bool JsonText::append_plain_quoted(std::string_view s) {
    char* end = write_plain_quoted(tail(s.size() + 2), s);
    if (end == nullptr) return false;
    m_end = end;
    return true;
}

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF,
// after the Unicode standard's table of well-formed byte sequences) whose ASCII bytes are all
// plain: the document's library writes such a string as it is. The gate's reasons have an
// ellipsis, and the library's byte-by-byte path cost thousands of instructions for each.
bool plain_utf8(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (!k_plain[c]) return false;
            ++i;
            continue;
        }
        // The sequence's length, and the range of its second byte (later ones are 0x80 to 0xBF).
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;   // below that, an overlong form
            if (c == 0xED) high = 0x9F;  // above that, a surrogate
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;   // below that, an overlong form
            if (c == 0xF4) high = 0x8F;  // above that, past U+10FFFF
        } else {
            return false;
        }
        if (n - i < length) return false;
        const auto second = static_cast<unsigned char>(s[i + 1]);
        if (second < low || second > high) return false;
        for (std::size_t k = 2; k < length; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += length;
    }
    return true;
}

// A string with a byte to escape, or not ASCII: as the rest of the document's library writes it.
[[gnu::noinline]] void append_escaped_json_string(JsonText& out, std::string_view s) {
    if (plain_utf8(s)) {
        out += '"';
        out += s;
        out += '"';
        return;
    }
    // Inputs are checked for UTF-8 where they are read; should a text that is not get this far (a
    // warning quoting a line), its bad bytes become U+FFFD rather than an exception that ends the
    // run.
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// `s` as a JSON string.
inline void append_json_string(JsonText& out, std::string_view s) {
    if (!out.append_plain_quoted(s)) append_escaped_json_string(out, s);
}

}  // namespace

std::string json_string(std::string_view s) {
    JsonText text;
    append_json_string(text, s);
    return std::string(text);
}

namespace {

// Appends JSON with two-space indentation: objects and arrays open with a newline, elements are
// separated by ",\n", and empty containers print as {} and [].
class JsonWriter {
public:
    JsonWriter(JsonText& out, std::size_t depth) : m_out(out), m_depth(depth) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    // Continues an object whose opening and first members are already in the output: the next
    // member starts with ",\n".
    void resume_object() { m_levels.push_back({1}); }

    // The next value is the member `name` of the current object. A name written in this file is
    // plain ASCII and needs no escaping check: it is the most frequent string of the report.
    template <std::size_t N>
    JsonWriter& key(const char (&name)[N]) {
        const std::size_t spaces = 2 * (m_depth + m_levels.size());
        if (m_levels.empty() || spaces > k_break.size() - 2) {
            element();
            m_out += '"';
            m_out.append(name, N - 1);
            m_out.append("\": ", 3);
        } else {
            // The line break, the indentation and the quoted name in one append: a report has
            // dozens of members per row.
            const std::size_t from = m_levels.back().count++ == 0 ? 1 : 0;
            char buffer[k_break.size() + N + 3];
            const std::size_t indent = 2 - from + spaces;
            std::memcpy(buffer, k_break.data() + from, indent);
            buffer[indent] = '"';
            std::memcpy(buffer + indent + 1, name, N - 1);
            std::memcpy(buffer + indent + N, "\": ", 3);
            m_out.append(buffer, indent + N + 3);
        }
        m_after_key = true;
        return *this;
    }
    // A member name from the data (a configuration key), escaped as needed.
    JsonWriter& key(std::string_view name) {
        element();
        write_string(name);
        m_out.append(": ", 2);
        m_after_key = true;
        return *this;
    }

    void value(std::string_view s) {
        element();
        write_string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        element();
        m_out += b ? "true" : "false";
    }
    void value(std::size_t n) {
        element();
        m_out.write_at_end(24, [n](char* at) { return std::to_chars(at, at + 24, n).ptr; });
    }
    void value(int n) {
        element();
        m_out.write_at_end(16, [n](char* at) { return std::to_chars(at, at + 16, n).ptr; });
    }
    void value(double d) {
        element();
        m_out.write_at_end(64, [d](char* at) { return format_json_double(d, at); });
    }
    // A value already written in this layout at this depth, appended by `write(out)`.
    template <typename Write>
    void raw(Write&& write) {
        element();
        write(m_out);
    }
    void null() {
        element();
        m_out += "null";
    }
    void value(const std::vector<std::string>& strings) {
        begin_array();
        for (const auto& s : strings) value(s);
        end_array();
    }

private:
    struct Level {
        std::size_t count = 0;
    };

    void element() {
        if (m_after_key) {
            m_after_key = false;
            return;
        }
        if (m_levels.empty()) return;
        const bool first = m_levels.back().count++ == 0;
        line_break(first ? 1 : 0, m_depth + m_levels.size());
    }
    void open(char bracket) {
        element();
        m_out += bracket;
        m_levels.push_back({});
    }
    void close(char bracket) {
        const bool empty = m_levels.back().count == 0;
        m_levels.pop_back();
        if (!empty) line_break(1, m_depth + m_levels.size());
        m_out += bracket;
    }
    // A newline (",\n" from `from` 0, "\n" from 1) and the indentation of `depth`.
    void line_break(std::size_t from, std::size_t depth) {
        const std::size_t spaces = 2 * depth;
        if (spaces <= k_break.size() - 2) {
            m_out += k_break.substr(from, 2 - from + spaces);
        } else {
            m_out += k_break.substr(from, 2 - from);
            m_out.append(spaces, ' ');
        }
    }

    void write_string(std::string_view s) { append_json_string(m_out, s); }

    JsonText& m_out;
    std::size_t m_depth;
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

// The gate's status of each (table, row, column), for the rows' comparisons: a byte per cell of
// the tables that have findings, as every comparison of a large report looks its status up.
class StatusIndex {
public:
    explicit StatusIndex(const Report& report) : m_columns(report.columns.size()), m_codes(report.tables.size()) {
        for (const auto& f : report.gate.findings) {
            if (f.status == GateStatus::goal_met || f.status == GateStatus::goal_unmet) continue;
            if (f.table >= m_codes.size() || f.row >= report.tables[f.table].rows.size() || f.input >= m_columns) {
                continue;  // no comparison of the report has it
            }
            std::vector<std::uint8_t>& codes = m_codes[f.table];
            if (codes.empty()) codes.resize(report.tables[f.table].rows.size() * m_columns);
            // A later finding for the same comparison replaces an earlier one.
            codes[f.row * m_columns + f.input] = static_cast<std::uint8_t>(static_cast<int>(f.status) + 1);
        }
    }
    std::optional<GateStatus> find(std::size_t table, std::size_t row, std::size_t column) const {
        const std::vector<std::uint8_t>& codes = m_codes[table];
        if (codes.empty()) return std::nullopt;
        const std::uint8_t code = codes[row * m_columns + column];
        if (code == 0) return std::nullopt;
        return static_cast<GateStatus>(code - 1);
    }

private:
    std::size_t m_columns;
    std::vector<std::vector<std::uint8_t>> m_codes;  // per table, by row * columns + column; 0: none
};

// The members every row of a table shares, after "benchmark": written once per table, at the
// depth of a row's members.
std::string table_members(const Table& table) {
    JsonText text;
    JsonWriter w(text, 2);
    w.resume_object();
    const std::string_view pkg = config_value(table.config, "pkg");
    if (pkg.empty()) {
        w.key("package").null();
    } else {
        w.key("package").value(pkg);
    }
    w.key("unit").value(table.unit);
    w.key("better").value(table.better == Better::lower ? "lower" : "higher");
    w.key("config").begin_object();
    for (const auto& [k, v] : table.config) {
        if (!v.empty()) w.key(k).value(v);
    }
    w.end_object();
    return std::string(text);
}

// A text fixed when the program is compiled, as a template argument.
template <std::size_t N>
struct Literal {
    char text[N]{};
    consteval Literal(const char (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
    }
    static constexpr std::size_t size = N - 1;
};

// `Before`, a newline, the indentation of `Depth` levels and `After`, as one constant: in a row
// every member name, bracket and line break sits at a depth known in advance, so each piece of
// the layout between two values is one copy of a fixed size.
template <Literal Before, std::size_t Depth, Literal After>
inline constexpr auto k_line = [] {
    std::array<char, Before.size + 1 + 2 * Depth + After.size> text{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < Before.size; ++i) text[at++] = Before.text[i];
    text[at++] = '\n';
    for (std::size_t i = 0; i < 2 * Depth; ++i) text[at++] = ' ';
    for (std::size_t i = 0; i < After.size; ++i) text[at++] = After.text[i];
    return text;
}();

// The texts of a comparison's p-value: as a number ("p_value") and in the test column
// ("test_text", with the sample counts). An exact test has few possible p-values for given sample
// counts, so the rows of a report repeat them (about nine rows in ten of a large one find theirs
// in the cache), and finding the texts again costs much less than writing them. Each thread keeps
// its own cache (256 entries, 32 KB), across reports: a text depends only on the p-value's bits
// and the counts, the key.
struct PValueTexts {
    std::array<char, k_number_text_room> number{};
    std::array<char, 1 + k_test_text_room + 1> test{};  // in quotes
    std::uint8_t number_size = 0;                       // 0 while nothing is written
    std::uint8_t test_size = 0;  // 0 when only Comparison::test_text writes it (see RowWriter::test_text)
    bool empty() const noexcept { return number_size == 0; }
};
using PValueCache = TextCache<2, PValueTexts>;

// The texts of `cmp`'s p-value: found in `cache`, or written there first.
const PValueTexts& p_value_texts(PValueCache& cache, const Comparison& cmp) {
    const std::uint64_t counts = (std::uint64_t{cmp.n1} << 32) | cmp.n2;
    return cache.find({std::bit_cast<std::uint64_t>(cmp.test.p), counts}, [&cmp](PValueTexts& texts) {
        texts.number_size =
            static_cast<std::uint8_t>(format_json_double(cmp.test.p, texts.number.data()) - texts.number.data());
        texts.test_size = 0;
        if (char* end = cmp.write_test_text(texts.test.data() + 1)) {
            texts.test[0] = '"';
            *end = '"';
            texts.test_size = static_cast<std::uint8_t>(end + 1 - texts.test.data());
        }
    });
}

// The quoted names of the `count` values of an enumeration, from `name` (each a lower-case word
// of fewer than 30 bytes).
template <typename Enum, std::size_t count>
std::array<ShortText, count> quoted_names(std::string_view (*name)(Enum)) {
    std::array<ShortText, count> names{};
    for (std::size_t i = 0; i < count; ++i) {
        names[i] = short_text("\"" + std::string(name(static_cast<Enum>(i))) + "\"");
    }
    return names;
}

const std::array<ShortText, k_verdicts> k_verdict_names = quoted_names<Verdict, k_verdicts>(verdict_name);
const std::array<ShortText, k_equivalences> k_equivalence_names =
    quoted_names<Equivalence, k_equivalences>(equivalence_name);

// Writes the rows of the report, the bulk of a large one: the same layout as JsonWriter, with each
// piece's depth fixed by the row's shape rather than tracked as the writing goes.
//
// A row is about a hundred small pieces, and a test for room before each one cost as much as
// placing it. So the writer keeps its own copy of the text's end and of the buffer's end (fields
// of a local object, kept in registers, where a JsonText's would be read again after every byte
// written through a char pointer), and tests for room only before a piece of unknown size, a
// string, and at ensure(), which the rows call as each object starts. Every test leaves k_slack
// bytes to spare, far more than the fixed pieces and numbers written before the next test: at
// most a dozen pieces of a few dozen bytes, and numbers of at most k_number_text_room. Its
// functions are all inlined into write_row, as a call given the writer keeps its fields in memory.
class RowWriter {
public:
    explicit RowWriter(JsonText& out) : m_out(out), m_at(out.room(k_slack)), m_limit(out.limit()) {}
    // Hands the text written back to `out`.
    void finish() { m_out.set_end(m_at); }
    // Makes sure of k_slack bytes of room again.
    void ensure() {
        if (static_cast<std::size_t>(m_limit - m_at) < k_slack) grow(0);
    }

    template <Literal Before, std::size_t Depth, Literal After>
    RowWriter& line() {
        put(k_line<Before, Depth, After>);
        return *this;
    }
    // The member `Name` of an object at Depth - 1: the first one after the opening brace, or a
    // later one after a comma.
    template <std::size_t Depth, Literal Name>
    RowWriter& first() {
        return line<"{", Depth, Name>();
    }
    template <std::size_t Depth, Literal Name>
    RowWriter& next() {
        return line<",", Depth, Name>();
    }

    void string(std::string_view s) {
        if (static_cast<std::size_t>(m_limit - m_at) < s.size() + 2 + k_slack) grow(s.size() + 2);
        if (char* end = write_plain_quoted(m_at, s)) {
            m_at = end;
        } else {
            escaped(s);
        }
    }
    // A verdict or an equivalence, from a table of their quoted names.
    void name(const ShortText& quoted) { m_at = ksail_benchstat::put(m_at, quoted); }
    // A name the program gives (a verdict, an equivalence, a gate status): a lower-case word, so
    // plain, and copied without the test.
    void name(std::string_view s) {
        *m_at = '"';
        std::memcpy(m_at + 1, s.data(), s.size());
        m_at[s.size() + 1] = '"';
        m_at += s.size() + 2;
    }
    // The test column of a comparison ("p=0.002 n=6+8"), written straight into the text: it has
    // nothing to escape.
    void test_text(const Comparison& cmp) {
        if (static_cast<std::size_t>(m_limit - m_at) < k_test_text_room + 2 + k_slack) grow(k_test_text_room + 2);
        if (char* end = cmp.write_test_text(m_at + 1)) {
            *m_at = '"';
            *end = '"';
            m_at = end + 1;
        } else {
            string(cmp.test_text());
        }
    }
    // A p-value's number, from PValueTexts.
    void p_value(const PValueTexts& texts) {
        copy_number_text(m_at, texts.number.data());
        m_at += texts.number_size;
    }
    // A p-value's test column, from PValueTexts (or from `cmp` when that has not got it).
    void test_text(const PValueTexts& texts, const Comparison& cmp) {
        if (texts.test_size == 0) {
            test_text(cmp);
            return;
        }
        if (static_cast<std::size_t>(m_limit - m_at) < texts.test.size() + k_slack) grow(texts.test.size());
        std::memcpy(m_at, texts.test.data(), texts.test.size());
        m_at += texts.test_size;
    }
    // Text already in this layout (the members the rows of a table share).
    void raw(std::string_view text) {
        if (static_cast<std::size_t>(m_limit - m_at) < text.size() + k_slack) grow(text.size());
        std::memcpy(m_at, text.data(), text.size());
        m_at += text.size();
    }
    // A row often repeats a number (an interval whose ends are its center, equal samples with no
    // change, their change interval and detectable change all 0), so where the last number's text
    // is in the output is kept, and that text is copied when the same double comes again. Its bits
    // are compared, not its value: 0.0 and -0.0 are written differently. Before any number, and
    // after the buffer moves, the last text is that of 0.0, kept apart.
    void number(double d) {
        const auto bits = std::bit_cast<std::uint64_t>(d);
        if (bits == m_last_bits) {
            copy_number_text(m_at, m_last_text);
            m_at += m_last_size;
            return;
        }
        char* end = format_json_double(d, m_at);
        m_last_bits = bits;
        m_last_text = m_at;
        m_last_size = static_cast<std::size_t>(end - m_at);
        m_at = end;
    }
    // An empty value is null, and so is a NaN: an empty OptionalDouble holds a NaN (see
    // compact.hpp), so its double is written as it is, one test fewer for each value.
    void number(OptionalDouble d) { number(*d); }
    void number(std::size_t n) { m_at = std::to_chars(m_at, m_at + 24, n).ptr; }
    // Starts an element of an array at Depth - 1 with `After`, after a comma unless it is the
    // first (`any` says whether one came before, and is set).
    template <std::size_t Depth, Literal After>
    void element(bool& any) {
        if (any) {
            line<",", Depth, After>();
        } else {
            line<"", Depth, After>();
        }
        any = true;
    }
    // Opens an object that is an element of an array at Depth - 1.
    template <std::size_t Depth>
    void element_object(bool& any) {
        ensure();
        element<Depth, "{">(any);
    }
    // Closes an array whose members are at Depth + 1: "]" alone when it is empty.
    template <std::size_t Depth>
    void close_array(bool any) {
        if (any) {
            line<"", Depth, "]">();
        } else {
            *m_at++ = ']';
        }
    }
    void boolean(bool b) { b ? put("true") : put("false"); }
    void null() { put("null"); }
    // An array of strings as the value of a member at `Depth`.
    template <std::size_t Depth>
    void strings(const std::vector<std::string>& items) {
        *m_at++ = '[';
        bool any = false;
        for (const std::string& item : items) {
            element<Depth + 1, "">(any);
            string(item);
        }
        close_array<Depth>(any);
    }

private:
    static constexpr std::size_t k_slack = 1024;
    // Bytes copied for a number's text: at least its longest, "-2.2250738585072014e-308".
    static constexpr std::array<char, k_copied_number> k_zero_text{'0', '.', '0'};

    template <std::size_t N>
    void put(const std::array<char, N>& text) {
        std::memcpy(m_at, text.data(), N);
        m_at += N;
    }
    template <std::size_t N>
    void put(const char (&text)[N]) {
        std::memcpy(m_at, text, N - 1);
        m_at += N - 1;
    }
    // Room for `n` bytes and k_slack more. The slow paths hand the end to m_out and take it back,
    // rather than give JsonText this writer, whose fields would then have to live in memory.
    void grow(std::size_t n) {
        m_out.set_end(m_at);
        m_at = m_out.room(n + k_slack);
        m_limit = m_out.limit();
        forget_last_number();
    }
    // A string with a byte to escape, or not ASCII.
    void escaped(std::string_view s) {
        m_out.set_end(m_at);
        append_escaped_json_string(m_out, s);
        m_at = m_out.room(k_slack);
        m_limit = m_out.limit();
        forget_last_number();
    }
    // The buffer may have moved: the last number's text is no longer where it was.
    void forget_last_number() {
        m_last_bits = 0;
        m_last_text = k_zero_text.data();
        m_last_size = 3;
    }

    JsonText& m_out;
    char* m_at;                                    // the end of the text
    char* m_limit;                                 // the end of the buffer
    std::uint64_t m_last_bits = 0;                 // the last double written
    const char* m_last_text = k_zero_text.data();  // its text
    std::size_t m_last_size = 3;                   // and that text's size
};

// One row of "rows", from its opening brace to its closing one, at depth 2 (its members at 3).
[[gnu::flatten]] void write_row(JsonText& text, const Report& report, std::size_t ti, std::size_t ri,
                                std::string_view shared, const StatusIndex& status_of, PValueCache& p_texts) {
    RowWriter w(text);
    const Table& table = report.tables[ti];
    const Row& row = table.rows[ri];
    // Cells are indexed by column: by default the inputs, with --col the projected columns.
    const std::size_t n_inputs = report.columns.size();
    const std::size_t base = baseline_column(report, table);
    w.first<3, "\"benchmark\": ">().string(row.name);
    w.raw(shared);
    w.next<3, "\"summaries\": [">();
    bool any = false;
    for (std::size_t in = 0; in < n_inputs; ++in) {
        if (!row.cells[in]) continue;
        const Cell& c = *row.cells[in];
        w.element_object<4>(any);
        w.line<"", 5, "\"input\": ">().number(in);
        w.next<5, "\"n\": ">().number(std::size_t{c.summary.n});
        w.next<5, "\"center\": ">().number(c.summary.center);
        w.next<5, "\"ci_low\": ">().number(c.summary.lo);
        w.next<5, "\"ci_high\": ">().number(c.summary.hi);
        // Most arrays of warnings are empty: then "[]" and what follows are one piece, here and below.
        if (c.warnings.empty()) {
            w.next<5, "\"warnings\": ">().line<"[]", 4, "}">();
        } else {
            w.next<5, "\"warnings\": ">().strings<5>(c.warnings);
            w.line<"", 4, "}">();
        }
    }
    w.close_array<3>(any);
    w.next<3, "\"comparisons\": [">();
    any = false;
    for (std::size_t in = base + 1; in < n_inputs; ++in) {
        const bool has_base = row.cells[base].has_value();
        const bool has_new = row.cells[in].has_value();
        if (!has_base && !has_new) continue;
        w.element_object<4>(any);
        w.line<"", 5, "\"input\": ">().number(in);
        w.next<5, "\"baseline\": ">().number(base);
        if (has_base && has_new && row.comparisons[in]) {
            const Comparison& cmp = *row.comparisons[in];
            w.next<5, "\"delta_pct\": ">().number(cmp.delta_pct);
            const PValueTexts& p = p_value_texts(p_texts, cmp);
            w.next<5, "\"p_value\": ">().p_value(p);
            w.next<5, "\"significant\": ">();
            if (cmp.significant) {
                w.line<"true,", 5, "\"verdict\": ">();
            } else {
                w.line<"false,", 5, "\"verdict\": ">();
            }
            w.name(k_verdict_names[static_cast<std::size_t>(cmp.verdict)]);
            w.next<5, "\"change_pct\": ">().number(cmp.change.estimate_pct);
            w.next<5, "\"change_low_pct\": ">().number(cmp.change.low_pct);
            w.next<5, "\"change_high_pct\": ">().number(cmp.change.high_pct);
            w.next<5, "\"change_exact\": ">();
            if (cmp.change.exact) {
                w.line<"true,", 5, "\"delta_text\": ">();
            } else {
                w.line<"false,", 5, "\"delta_text\": ">();
            }
            w.string(cmp.delta_text());
            w.next<5, "\"test_text\": ">().test_text(p, cmp);
            if (cmp.warnings.empty()) {
                w.next<5, "\"warnings\": ">().line<"[],", 5, "\"equivalence\": ">();
            } else {
                w.next<5, "\"warnings\": ">().strings<5>(cmp.warnings);
                w.next<5, "\"equivalence\": ">();
            }
            w.name(k_equivalence_names[static_cast<std::size_t>(cmp.equivalence)]);
            w.next<5, "\"mde_pct\": ">().number(cmp.detect.mde_pct);
            w.next<5, "\"samples_needed\": ">();
            if (cmp.detect.samples_needed > 0) {
                w.number(cmp.detect.samples_needed);
                w.next<5, "\"gate\": ">();
            } else {
                w.line<"null,", 5, "\"gate\": ">();
            }
            if (const auto status = status_of.find(ti, ri, in)) {
                w.name(gate_status_name(*status));
                w.line<"", 4, "}">();
            } else {
                w.line<"null", 4, "}">();
            }
        } else {
            w.next<5, "\"delta_pct\": ">().null();
            w.next<5, "\"p_value\": ">().null();
            w.next<5, "\"significant\": ">().boolean(false);
            w.next<5, "\"verdict\": ">().name(has_new ? "added" : "removed");
            w.next<5, "\"change_pct\": ">().null();
            w.next<5, "\"change_low_pct\": ">().null();
            w.next<5, "\"change_high_pct\": ">().null();
            w.next<5, "\"equivalence\": ">().null();
            w.next<5, "\"mde_pct\": ">().null();
            w.next<5, "\"samples_needed\": ">().null();
            w.line<"", 4, "}">();
        }
    }
    w.close_array<3>(any);
    w.line<"", 2, "}">();
    w.finish();
}

// The members after "rows", to the end of the document: written before the rows, so that the
// output's size is known when it is reserved.
std::string render_json_tail(const Report& report) {
    JsonText out;
    JsonWriter w(out, 0);
    w.resume_object();
    const GateResult& gate = report.gate;
    w.key("gate").begin_object();
    w.key("enabled").value(gate.enabled);
    w.key("passed").value(gate.passed);
    w.key("rule").value(gate.rule_text);
    w.key("failures").begin_array();
    // A gate that is off fails nothing: its would-be failures are in "findings" only.
    for (const auto& f : gate.findings) {
        if (!gate.enabled) break;
        if (f.status != GateStatus::failed && f.status != GateStatus::goal_unmet &&
            f.status != GateStatus::inconclusive) {
            continue;
        }
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        w.key("unit").value(f.unit);
        w.key("reason").value(f.reason);
        w.end_object();
    }
    w.end_array();
    w.key("findings").begin_array();
    for (const auto& f : gate.findings) {
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        if (f.package.empty()) {
            w.key("package").null();
        } else {
            w.key("package").value(f.package);
        }
        w.key("unit").value(f.unit);
        w.key("input").value(f.input);
        w.key("status").value(gate_status_name(f.status));
        w.key("reason").value(f.reason);
        if (f.samples_needed > 0) w.key("samples_needed").value(f.samples_needed);
        w.end_object();
    }
    w.end_array();
    w.key("notes").value(gate.notes);
    w.end_object();
    const SuiteDetectability& d = report.detectability;
    w.key("detectability").begin_object();
    w.key("compared").value(d.compared);
    if (d.compared > 0) {
        w.key("min_possible_p").value(d.min_possible_p);
    } else {
        w.key("min_possible_p").null();
    }
    w.key("n_baseline").value(d.n1);
    w.key("n_compared").value(d.n2);
    w.key("unreachable").value(d.unreachable);
    if (d.warning.empty()) {
        w.key("warning").null();
    } else {
        w.key("warning").value(d.warning);
    }
    w.end_object();
    w.key("warnings").value(report.warnings);
    w.end_object();
    out += '\n';
    return std::string(out);
}

}  // namespace

std::string render_json(const Report& report) {
    std::string out;
    StringSink sink(out);
    render_json(report, sink);
    return out;
}

void render_json(const Report& report, TextSink& sink) {
    const StatusIndex status_of(report);
    // Rows are independent: chunks of rows are written on several cores (see ordered_chunks.hpp).
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    std::vector<std::string> shared(report.tables.size());
    for (std::size_t ti = 0; ti < report.tables.size(); ++ti) {
        shared[ti] = table_members(report.tables[ti]);
        for (std::size_t ri = 0; ri < report.tables[ti].rows.size(); ++ri) rows.emplace_back(ti, ri);
    }
    // 256 rows, about 350 KB of text: the thread's buffer stays in its core's cache, and chunks
    // hand over to each other rarely enough that waiting for one's turn costs little (64 rows
    // waited and woke about twice per chunk, some 17,000 system calls on a large report).
    constexpr std::size_t k_chunk = 256;
    const auto write_rows = [&](std::size_t chunk, JsonText& text) {
        thread_local PValueCache p_texts;
        for (std::size_t i = chunk * k_chunk; i < std::min(rows.size(), (chunk + 1) * k_chunk); ++i) {
            text += i == 0 ? "    " : ",\n    ";
            const auto [ti, ri] = rows[i];
            write_row(text, report, ti, ri, shared[ti], status_of, p_texts);
        }
    };
    const std::size_t n_chunks = (rows.size() + k_chunk - 1) / k_chunk;
    const std::string tail = render_json_tail(report);

    JsonText out;
    JsonWriter w(out, 0);
    w.begin_object();
    w.key("schema_version").value(1);
    w.key("tool").value("ksail-benchstat");
    w.key("version").value(KSAIL_BENCHSTAT_VERSION);
    w.key("alpha").value(report.options.alpha);
    w.key("confidence").value(report.options.confidence);
    w.key("equivalence_pct").value(report.options.equivalence_pct);
    w.key("center").value(center_name(report.options.center));
    w.key("inputs").begin_array();
    for (const auto& in : report.inputs) {
        w.begin_object();
        w.key("label").value(in.label);
        w.key("path").value(in.path);
        w.key("format").value(format_name(in.parsed.format));
        w.end_object();
    }
    w.end_array();
    // With --col, cells are indexed by projected columns rather than inputs: list them.
    if (!report.columns_are_inputs) {
        w.key("column_keys").value(report.column_keys);
        w.key("columns").begin_array();
        for (const auto& column : report.columns) {
            w.begin_object();
            w.key("label").value(column.label);
            w.key("values").value(column.values);
            w.end_object();
        }
        w.end_array();
    }
    if (rows.empty()) {
        w.key("rows").begin_array();
        w.end_array();
    } else {
        w.key("rows").raw([&](JsonText& text) {
            text += "[\n";
            sink.write(text);
            text.clear();
            write_chunks_in_order<JsonText>(sink, n_chunks, tail.size() + 8, write_rows);
            text += "\n  ]";
        });
    }
    out += tail;
    sink.write(out);
}

}  // namespace ksail_benchstat
