// Reader for `go test -json` streams: rebuilds each package's text and parses it as Go text.
#include "ksail_benchstat/parse_go_test_json.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/json_scan.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

// The fields of a test2json event we use. Other fields (Time, Elapsed, ...) are skipped.
// The short fields are views into the event's line, which is valid while the event is handled:
// they almost never hold escapes, so copying them for every event would be wasted work. The
// rare escaped one is decoded into its own buffer. Output is always decoded (its lines end
// in "\n"), into a buffer kept across events.
struct Event {
    std::string_view action;
    std::string_view package;
    std::string_view import_path;  // Go >= 1.24 build events name the package here instead
    std::string_view test;
    std::string_view output;
    bool has_output = false;
    bool output_ascii = false;  // whether Output is all ASCII
    std::size_t output_newlines = 0;  // how many newlines Output holds
    bool same_package = false;  // whether Package is known to be the previous event's
    // Storage for a short field whose text had escapes, one per field, and for Output.
    std::string decoded[4];
    std::string output_buffer;

    void clear() {
        action = package = import_path = test = output = {};
        has_output = false;
        same_package = false;
    }
};

// A small scanner for one event line. test2json writes flat objects of strings and numbers,
// so a dedicated scanner is several times faster than a general JSON DOM, which matters for
// the 20 MB streams of large modules; it still rejects anything that is not one JSON object.
class EventScanner {
public:
    // `last_package` is the previous event's package when its name reads the same in JSON
    // (no character needs an escape), else empty.
    EventScanner(std::string_view text, std::string_view file, std::size_t line,
                 std::string_view last_package)
        : m_text(text), m_file(file), m_line(line), m_last_package(last_package) {}

    void scan(Event& event) {
        if (scan_usual(event)) {
            return;
        }
        event.clear();
        m_pos = 0;
        skip_space();
        expect('{');
        skip_space();
        if (peek() == '}') {
            ++m_pos;
        } else {
            for (;;) {
                skip_space();
                expect('"');
                int field = known_key();
                if (field == k_unknown_key) {
                    field = field_index(read_key());
                }
                skip_space();
                expect(':');
                skip_space();
                if (field >= 0 && peek() == '"') {
                    ++m_pos;
                    if (field == k_output) {
                        event.output = read_string(event.output_buffer, event.output_ascii);
                        event.output_newlines = m_newlines;
                        event.has_output = true;
                    } else {
                        *short_field(event, field) = read_text(event.decoded[field]);
                    }
                } else {
                    if (field >= 0) {
                        not_a_string(field);
                    }
                    skip_value();
                }
                skip_space();
                const char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    fail("expected ',' or '}' in object");
                }
            }
        }
        skip_space();
        if (m_pos != m_text.size()) {
            fail("unexpected text after the event object");
        }
    }

private:
    // test2json writes nearly every event as
    // {"Time":"...","Action":"...","Package":"...",["Test":"...",]"Output":"..."}: these keys in
    // this order, no spaces, and no escapes outside Output. Such a line is read with a few
    // direct comparisons; on anything else this returns false and the general scan starts over.
    // (A malformed Output fails here just as it would there, with the same message.)
    bool scan_usual(Event& event) {
        if (!skip_literal("{\"Time\":\"")) {
            return false;
        }
        std::string_view unused;
        if (!read_plain(unused) || !skip_literal(",\"Action\":\"") || !read_plain(event.action) ||
            !skip_literal(",\"Package\":\"")) {
            return false;
        }
        // Consecutive events nearly always share a package: one comparison with its name
        // settles both the reading and, for the reader, the finding of the package.
        if (!m_last_package.empty() && m_text.compare(m_pos, m_last_package.size(), m_last_package) == 0 &&
            m_pos + m_last_package.size() < m_text.size() && m_text[m_pos + m_last_package.size()] == '"') {
            event.package = m_text.substr(m_pos, m_last_package.size());
            event.same_package = true;
            m_pos += m_last_package.size() + 1;
        } else if (!read_plain(event.package)) {
            return false;
        }
        if (skip_literal(",\"Test\":\"") && !read_plain(event.test)) {
            return false;
        }
        if (!skip_literal(",\"Output\":\"")) {
            return false;
        }
        event.output = read_string(event.output_buffer, event.output_ascii);
        event.output_newlines = m_newlines;
        event.has_output = true;
        return m_pos + 1 == m_text.size() && m_text[m_pos] == '}';
    }

    // Skips `literal` when the text at the current position starts with it. The literal's length
    // is a constant here, so the comparison compiles to a few word comparisons in place rather
    // than a call (five of these run on every event line).
    template <std::size_t N>
    bool skip_literal(const char (&literal)[N]) {
        constexpr std::size_t length = N - 1;  // without the terminating NUL
        if (m_text.size() - m_pos < length || std::memcmp(m_text.data() + m_pos, literal, length) != 0) {
            return false;
        }
        m_pos += length;
        return true;
    }

    // Reads a string body (the opening quote already consumed) that has no escapes, as a view
    // into the line; returns false, having read nothing, for any other string.
    bool read_plain(std::string_view& value) {
        const std::size_t end = json_scan::plain_run_end(m_text, m_pos, /*stop_at_non_ascii=*/false);
        if (end >= m_text.size() || m_text[end] != '"') {
            return false;
        }
        value = m_text.substr(m_pos, end - m_pos);
        m_pos = end + 1;
        return true;
    }

    // The fields we read: the short ones index Event::decoded, then Output.
    enum : int { k_action, k_package, k_import_path, k_test, k_output };

    // test2json writes the same few keys on every line, and keys are most of a line's strings:
    // they are recognised in place (name and closing quote) before any general string reading.
    // Returns the field, k_other_key for a known key we skip, or k_unknown_key.
    static constexpr int k_other_key = -1;
    static constexpr int k_unknown_key = -2;
    int known_key() {
        const std::string_view rest = m_text.substr(m_pos);
        const auto is = [&](std::string_view key_and_quote) {
            if (rest.substr(0, key_and_quote.size()) != key_and_quote) {
                return false;
            }
            m_pos += key_and_quote.size();
            return true;
        };
        switch (peek()) {
        case 'T':
            if (is("Time\"")) return k_other_key;
            if (is("Test\"")) return k_test;
            break;
        case 'A':
            if (is("Action\"")) return k_action;
            break;
        case 'P':
            if (is("Package\"")) return k_package;
            break;
        case 'O':
            if (is("Output\"")) return k_output;
            break;
        case 'E':
            if (is("Elapsed\"")) return k_other_key;
            break;
        case 'I':
            if (is("ImportPath\"")) return k_import_path;
            break;
        default:
            break;
        }
        return k_unknown_key;
    }

    static int field_index(std::string_view key) {
        if (key == "Action") {
            return k_action;
        }
        if (key == "Package") {
            return k_package;
        }
        if (key == "ImportPath") {
            return k_import_path;
        }
        if (key == "Test") {
            return k_test;
        }
        if (key == "Output") {
            return k_output;
        }
        return -1;
    }

    static std::string_view* short_field(Event& event, int field) {
        switch (field) {
        case k_action: return &event.action;
        case k_package: return &event.package;
        case k_import_path: return &event.import_path;
        default: return &event.test;
        }
    }

    // A field we read whose value is not a string. Go's decoder takes null for a string as no
    // value and rejects any other kind; reading past one would drop its output without a word.
    void not_a_string(int field) const {
        if (m_text.compare(m_pos, 4, "null") == 0) {
            return;
        }
        constexpr std::string_view k_names[] = {"Action", "Package", "ImportPath", "Test", "Output"};
        fail(fmt::format("\"{}\" is not a string", k_names[field]));
    }

    [[noreturn]] void fail(std::string_view what) const {
        throw InputError(
            located(m_file, m_line, fmt::format("malformed go test -json event: {}", what)));
    }

    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    char next() {
        if (m_pos >= m_text.size()) {
            fail("unexpected end of line");
        }
        return m_text[m_pos++];
    }
    void expect(char c) {
        if (next() != c) {
            fail(fmt::format("expected '{}'", c));
        }
    }
    void skip_space() {
        // test2json writes no spaces between tokens: one comparison settles the usual case.
        if (m_pos < m_text.size() && static_cast<unsigned char>(m_text[m_pos]) > ' ') {
            return;
        }
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                          m_text[m_pos] == '\r' || m_text[m_pos] == '\n')) {
            ++m_pos;
        }
    }

    unsigned read_hex4() {
        unsigned value = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = json_scan::hex_value(next());
            if (digit < 0) {
                fail("bad \\u escape");
            }
            value = (value << 4) | static_cast<unsigned>(digit);
        }
        return value;
    }

    // Reads a string body that is only needed for a moment (a key, or a skipped value).
    std::string_view read_key() { return read_text(m_key); }

    // Reads a string body (the opening quote already consumed) as a view into the line when it
    // has no escapes, else decoded into `storage`.
    std::string_view read_text(std::string& storage) {
        std::string_view text;
        if (read_plain(text)) {
            return text;
        }
        bool ascii = false;
        return read_string(storage, ascii);
    }

    // Reads a string body (the opening quote already consumed), decoding escapes into
    // `buffer`, and returns the decoded text (a view into `buffer`). The buffer only ever grows,
    // so one kept across events is not reallocated, and it is written through a pointer: an
    // Output string alternates short runs and escapes ("\t" between fields), and appending each
    // piece to a string would check its capacity every time. `ascii` tells whether the decoded
    // text is all ASCII (and so valid UTF-8 without a check).
    std::string_view read_string(std::string& buffer, bool& ascii) {
        // Decoded text is never longer than its JSON form, so the rest of the line bounds it;
        // copy_plain_run needs sixteen bytes of room beyond the text.
        const std::size_t room = m_text.size() - m_pos + 16;
        if (buffer.size() < room) {
            buffer.resize(room);
        }
        char* const begin = buffer.data();
        char* out = begin;
        std::uint64_t high_bits = 0;  // of the plain runs; a \u escape's character is seen below
        m_newlines = 0;
        for (;;) {
            const std::size_t run = json_scan::copy_plain_run(m_text, m_pos, out, high_bits);
            out += run - m_pos;
            m_pos = run;
            const char c = next();
            if (c == '"') {
                ascii = (high_bits & k_byte_highs) == 0;
                return {begin, static_cast<std::size_t>(out - begin)};
            }
            if (c != '\\') {
                fail("control character in string");
            }
            // Go text separates a result line's fields with tabs, so "\t" is most of the escapes:
            // it is settled here, before the general switch (which has no case for it).
            if (peek() == 't') {
                ++m_pos;
                *out++ = '\t';
                continue;
            }
            const char escape = next();
            switch (escape) {
            case '"': *out++ = '"'; break;
            case '\\': *out++ = '\\'; break;
            case '/': *out++ = '/'; break;
            case 'b': *out++ = '\b'; break;
            case 'f': *out++ = '\f'; break;
            case 'n':
                *out++ = '\n';
                ++m_newlines;
                break;
            case 'r': *out++ = '\r'; break;
            case 'u': {
                std::uint32_t cp = read_hex4();
                // Characters outside the BMP arrive as a UTF-16 surrogate pair.
                if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && m_pos + 1 < m_text.size() &&
                    m_text[m_pos + 1] == 'u') {
                    m_pos += 2;
                    const std::uint32_t low = read_hex4();
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else {
                        out = json_scan::write_utf8(out, 0xFFFD);
                        high_bits |= 0x80;
                        cp = low;
                    }
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD;  // lone surrogate: Go's encoder never writes one
                }
                out = json_scan::write_utf8(out, cp);
                m_newlines += cp == '\n' ? 1 : 0;
                high_bits |= cp >= 0x80 ? 0x80 : 0;
                break;
            }
            default:
                fail("bad escape in string");
            }
        }
    }

    // Skips one value of any type, checking its syntax.
    void skip_value() {
        const char c = peek();
        if (c == '"') {
            ++m_pos;
            read_key();
        } else if (c == '{' || c == '[') {
            skip_container();
        } else if (c == 't' || c == 'f' || c == 'n') {
            const std::string_view rest = m_text.substr(m_pos);
            for (std::string_view word : {"true", "false", "null"}) {
                if (rest.substr(0, word.size()) == word) {
                    m_pos += word.size();
                    return;
                }
            }
            fail("invalid literal");
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            skip_number();
        } else {
            fail("expected a value");
        }
    }

    void skip_number() {
        if (peek() == '-') {
            ++m_pos;
        }
        const auto digits = [&] {
            const std::size_t from = m_pos;
            while (peek() >= '0' && peek() <= '9') {
                ++m_pos;
            }
            return m_pos > from;
        };
        if (!digits()) {
            fail("malformed number");
        }
        if (peek() == '.') {
            ++m_pos;
            if (!digits()) {
                fail("malformed number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-') {
                ++m_pos;
            }
            if (!digits()) {
                fail("malformed number");
            }
        }
    }

    // Arrays and objects only appear in fields we ignore; recurse with a depth bound so a
    // hostile line cannot exhaust the stack.
    void skip_container(int depth = 0) {
        if (depth > 256) {
            fail("nesting too deep");
        }
        const char open = next();
        const char close = open == '{' ? '}' : ']';
        skip_space();
        if (peek() == close) {
            ++m_pos;
            return;
        }
        for (;;) {
            skip_space();
            if (open == '{') {
                expect('"');
                read_key();
                skip_space();
                expect(':');
                skip_space();
            }
            if (peek() == '{' || peek() == '[') {
                skip_container(depth + 1);
            } else {
                skip_value();
            }
            skip_space();
            const char c = next();
            if (c == close) {
                return;
            }
            if (c != ',') {
                fail("expected ',' in array or object");
            }
        }
    }

    std::string_view m_text;
    std::string_view m_file;
    std::size_t m_line;
    std::string_view m_last_package;
    std::size_t m_pos = 0;
    std::string m_key;  // a key (or skipped string) with escapes, decoded
    std::size_t m_newlines = 0;  // newlines decoded by the last read_string (a string holds no raw ones)
};

// Go text's field separators, as the Go text parser splits on them (unicode.IsSpace within
// ASCII; a line holds no newline).
bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

// A result line is "BenchmarkName<space>iterations value unit ...": a name, an integer and at
// least one value/unit pair. Used only to decide whether a failed package had results.
bool is_result_line(std::string_view line) {
    if (line.substr(0, 9) != "Benchmark") {
        return false;
    }
    std::string_view fields[4];
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < line.size() && count < 4) {
        while (pos < line.size() && is_separator(line[pos])) {
            ++pos;
        }
        const std::size_t start = pos;
        while (pos < line.size() && !is_separator(line[pos])) {
            ++pos;
        }
        if (pos > start) {
            fields[count++] = line.substr(start, pos - start);
        }
    }
    if (count < 4) {
        return false;
    }
    for (char c : fields[1]) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

// Build events name "pkg [pkg.test]"; the package is the part before the bracket.
std::string_view package_of_import_path(std::string_view import_path) {
    if (const auto space = import_path.find(' '); space != std::string_view::npos) {
        return import_path.substr(0, space);
    }
    return import_path;
}

// One package's output, cut into text lines as it arrives. Each package has its own Go text
// parser, so its lines are parsed as soon as they complete even when packages interleave; the
// results are joined at the end as if the packages' texts had been read one after another.
struct PackageText {
    explicit PackageText(std::string_view file) : parser(file) {}

    std::string name;
    GoTextParser parser;
    // The parser's first error. It is raised only at the end: a malformed event or a failed
    // package anywhere in the stream takes precedence, as does an error of an earlier package.
    std::exception_ptr error;
    std::string pending;            // the line still being written, when it spans events
    std::size_t pending_line = 0;   // its event line; 0 when no line is pending
    bool has_results = false;
};

// Gives `known`, a unit that an earlier package has, what package `p`'s Unit lines stated about
// it (`unit` is the package's view of it) and no earlier package did. A statement that contradicts
// an earlier package's becomes a warning among the package's `warnings`, which are in line order,
// at its line. (Cold: it runs once per package and unit, and its helpers inlined here would only
// take the compiler's inlining budget from the code that runs on every event.)
[[gnu::cold]] void merge_statements(const std::deque<PackageText>& packages, std::size_t p, const UnitInfo& unit,
                                    UnitInfo& known, std::string_view file, std::vector<Diagnostic>& warnings) {
    for (const std::string_view key : {"better", "assume"}) {
        const UnitStatement* later = packages[p].parser.stated(unit.unit, key);
        if (later == nullptr) {
            continue;
        }
        const UnitStatement* first = nullptr;
        for (std::size_t q = 0; q < p && first == nullptr; ++q) {
            first = packages[q].parser.stated(unit.unit, key);
        }
        if (first == nullptr) {
            if (key == "better") {
                known.has_better = true;
                known.better = unit.better;
            } else {
                known.assume_exact = unit.assume_exact;
            }
        } else if (later->value != first->value) {
            const auto at = std::upper_bound(warnings.begin(), warnings.end(), later->line,
                                             [](std::size_t line, const Diagnostic& d) { return line < d.line; });
            warnings.insert(at, Diagnostic{std::string(file), later->line, contradiction_message(*later, *first)});
        }
    }
}

// Joins the packages' results into what one Go text parser gives on their texts one after
// another (its configuration reset between packages): configurations, series and units are
// shared by content and numbered in order of first use, a later package's samples of the same
// series follow the earlier ones, and warnings keep package order. A unit's `better` and `assume`
// are the first package's to state them; a later package that contradicts one gets the warning
// that the same Unit line would get in one text.
ParsedInput join_packages(std::deque<PackageText>& packages, std::string_view file) {
    ParsedInput joined = packages.front().parser.finish();
    if (packages.size() == 1) {
        return joined;
    }
    std::unordered_map<std::string, std::size_t> config_ids;
    for (std::size_t i = 0; i < joined.configs.size(); ++i) {
        config_ids.emplace(config_key(joined.configs[i]), i);
    }
    std::unordered_map<std::string, std::size_t> unit_ids;
    for (std::size_t i = 0; i < joined.units.size(); ++i) {
        unit_ids.emplace(joined.units[i].unit, i);
    }
    // Series are found by (configuration, name, unit). A package's series under a configuration
    // no earlier package used cannot meet an earlier series, and packages usually differ at
    // least in their `pkg:` line, so the index of all series is only built once a package
    // shares a configuration with an earlier one.
    const auto series_key = [](const Series& s) {
        std::string key(reinterpret_cast<const char*>(&s.config), sizeof s.config);
        key += s.name.view();
        key += '\0';
        key += s.unit.view();
        return key;
    };
    std::unordered_map<std::string, std::size_t> series_ids;
    bool indexed = false;

    for (std::size_t p = 1; p < packages.size(); ++p) {
        ParsedInput part = packages[p].parser.finish();
        const std::size_t known_configs = joined.configs.size();
        std::vector<std::size_t> config_of(part.configs.size());
        for (std::size_t i = 0; i < part.configs.size(); ++i) {
            auto [it, inserted] = config_ids.try_emplace(config_key(part.configs[i]), joined.configs.size());
            if (inserted) {
                joined.configs.push_back(std::move(part.configs[i]));
            }
            config_of[i] = it->second;
        }
        for (Series& s : part.series) {
            s.config = config_of[s.config];
            if (!indexed && s.config < known_configs) {
                for (std::size_t i = 0; i < joined.series.size(); ++i) {
                    series_ids.emplace(series_key(joined.series[i]), i);
                }
                indexed = true;
            }
            if (indexed) {
                auto [it, inserted] = series_ids.try_emplace(series_key(s), joined.series.size());
                if (!inserted) {
                    joined.series[it->second].values.append(s.values);
                    continue;
                }
            }
            joined.series.push_back(std::move(s));
        }
        for (UnitInfo& unit : part.units) {
            auto [it, inserted] = unit_ids.try_emplace(unit.unit, joined.units.size());
            if (inserted) {
                joined.units.push_back(std::move(unit));
                continue;
            }
            merge_statements(packages, p, unit, joined.units[it->second], file, part.warnings);
        }
        for (Diagnostic& warning : part.warnings) {
            joined.warnings.push_back(std::move(warning));
        }
    }
    return joined;
}

}  // namespace

struct GoTestJsonReader::Impl {
    explicit Impl(std::string_view file_name) : file(file_name) {}

    std::string file;
    std::deque<PackageText> packages;  // in order of first appearance; a deque, as parsers do not move
    std::unordered_map<std::string, std::size_t> package_index;
    std::size_t last_package = SIZE_MAX;  // consecutive events usually share a package
    std::string_view last_package_as_json;  // its name, when that is also its JSON text
    Event event;                          // reused, so its strings keep their capacity
    std::size_t line_number = 0;
    // The lines before the first event: blank ones, and text that is not JSON, which is skipped
    // (`go test -json ... 2>&1` puts the go command's own messages, such as "go: downloading
    // ...", before the stream). The first such text is kept for the warning.
    std::size_t lines_before_events = 0;
    std::size_t skipped_lines = 0;
    std::size_t first_skipped_line = 0;
    std::string first_skipped_text;

    PackageText& find_package(std::string_view name) {
        if (last_package != SIZE_MAX && packages[last_package].name == name) {
            return packages[last_package];
        }
        auto [it, inserted] = package_index.try_emplace(std::string(name), packages.size());
        if (inserted) {
            packages.emplace_back(file);
            packages.back().name = name;
        }
        last_package = it->second;
        const std::string& found = packages[last_package].name;
        const bool plain = json_scan::plain_run_end(found, 0, /*stop_at_non_ascii=*/false) == found.size();
        last_package_as_json = plain ? std::string_view(found) : std::string_view();
        return packages[it->second];
    }

    // Handles a completed text line of `package`: drops a '\r' before its newline and the bare
    // benchmark names, notes whether the package printed results, and parses the rest. `ascii`
    // says the line is known to be all ASCII, so the parser need not check its UTF-8.
    static void close_line(PackageText& package, std::string_view line, bool ascii) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        // test2json prints a bare "BenchmarkX" when a benchmark starts (chatty output); it is
        // not a result and Go text readers would call it malformed.
        // A result line's name ends in a tab (or space), which memchr finds at once; the rarer
        // separators are looked for only in a line that has neither.
        const bool bare_name = line.substr(0, 9) == "Benchmark" && line.find('\t') == std::string_view::npos &&
                               line.find(' ') == std::string_view::npos &&
                               line.find_first_of("\v\f\r") == std::string_view::npos;
        if (!bare_name) {
            package.has_results = package.has_results || is_result_line(line);
            if (!package.error) {
                try {
                    package.parser.add_line(line, package.pending_line, ascii);
                } catch (const InputError&) {
                    package.error = std::current_exception();
                }
            }
        }
        package.pending.clear();
        package.pending_line = 0;
    }

    // Cuts an event's output into lines. A line that comes whole in one event (nearly all do)
    // is parsed in place, as a view into the decoded output; only a line that spans events is
    // gathered in `pending`.
    static void append(PackageText& package, std::string_view output, std::size_t newlines,
                       std::size_t json_line, bool ascii) {
        // An event nearly always carries one whole line: when the decoder counted one newline and
        // it ends the output, the line is parsed without searching for it (the loop below would
        // do the same after a search).
        if (newlines == 1 && output.back() == '\n' && package.pending.empty()) {
            if (package.pending_line == 0) {
                package.pending_line = json_line;
            }
            close_line(package, output.substr(0, output.size() - 1), ascii);
            return;
        }
        while (!output.empty()) {
            if (package.pending_line == 0) {
                package.pending_line = json_line;
            }
            const std::size_t newline = output.find('\n');
            if (newline == std::string_view::npos) {
                package.pending.append(output);
                return;
            }
            if (package.pending.empty()) {
                close_line(package, output.substr(0, newline), ascii);
            } else {
                package.pending.append(output.substr(0, newline));
                close_line(package, package.pending, false);
            }
            output.remove_prefix(newline + 1);
        }
    }

    void add_line(std::string_view line) {
        ++line_number;
        // An event line starts with its '{'. Another line is blank, or text before the first
        // event: then every line so far was one of these, which the event lines need not count.
        if (line.empty() || line[0] != '{') {
            const std::size_t start = line.find_first_not_of(" \t\r");
            const bool before_events = lines_before_events + 1 == line_number;
            if (start == std::string_view::npos || (before_events && line[start] != '{')) {
                if (before_events) {
                    ++lines_before_events;
                    if (start != std::string_view::npos) {
                        skip_leading_text(line);
                    }
                }
                return;
            }
        }

        event.clear();
        EventScanner(line, file, line_number, last_package_as_json).scan(event);

        if (event.package.empty()) {
            // Build output carries no Package; only a failed build can matter.
            if (event.action == "build-fail") {
                const std::string name(package_of_import_path(event.import_path));
                if (const auto it = package_index.find(name);
                    it != package_index.end() && packages[it->second].has_results) {
                    throw InputError(
                        located(file, line_number, fmt::format("package {} failed to build", name)));
                }
            }
            return;
        }
        PackageText& package = event.same_package ? packages[last_package] : find_package(event.package);
        if (event.has_output) {
            append(package, event.output, event.output_newlines, line_number, event.output_ascii);
        }
        if (((event.action == "fail" && event.test.empty()) || event.action == "build-fail") &&
            package.has_results) {
            throw InputError(
                located(file, line_number, fmt::format("package {} failed", event.package)));
        }
    }

    // Notes a line of text before the first event. (Cold, as report_skipped_lines and
    // merge_statements are: rare, and so kept from taking the inlining budget of the per-event code.)
    [[gnu::cold]] void skip_leading_text(std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (skipped_lines++ == 0) {
            constexpr std::size_t k_shown = 100;
            first_skipped_line = line_number;
            first_skipped_text = std::string(line.substr(0, k_shown));
        }
    }

    // The one warning about text skipped before the first event; it precedes every other.
    [[gnu::cold]] void report_skipped_lines(ParsedInput& result) const {
        if (skipped_lines == 0) {
            return;
        }
        std::string message =
            skipped_lines == 1
                ? fmt::format("skipped 1 line before the first go test -json event: {:?}", first_skipped_text)
                : fmt::format("skipped {} lines before the first go test -json event, starting with {:?}",
                              skipped_lines, first_skipped_text);
        result.warnings.insert(result.warnings.begin(), Diagnostic{file, first_skipped_line, std::move(message)});
    }

    ParsedInput finish() {
        for (PackageText& package : packages) {
            if (package.pending_line != 0) {
                // Output that did not end with a newline still ends a line; `pending` is moved
                // out first because close_line clears it.
                const std::string last = std::move(package.pending);
                close_line(package, last, false);
            }
            if (package.error) {
                std::rethrow_exception(package.error);
            }
        }
        ParsedInput result;
        if (!packages.empty()) {
            result = join_packages(packages, file);
        }
        result.format = InputFormat::go_test_json;
        report_skipped_lines(result);
        return result;
    }
};

GoTestJsonReader::GoTestJsonReader(std::string_view file) : m_impl(std::make_unique<Impl>(file)) {}

GoTestJsonReader::~GoTestJsonReader() = default;

void GoTestJsonReader::add_line(std::string_view line) { m_impl->add_line(line); }

ParsedInput GoTestJsonReader::finish() { return m_impl->finish(); }

ParsedInput parse_go_test_json(std::string_view text, std::string_view file) {
    GoTestJsonReader reader(file);
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        reader.add_line(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return reader.finish();
}

}  // namespace ksail_benchstat
