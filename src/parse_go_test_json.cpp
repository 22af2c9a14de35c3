// Reader for `go test -json` streams: rebuilds each package's text and parses it as Go text.
#include "ksail_benchstat/parse_go_test_json.hpp"

#include <cstddef>
#include <cstdint>
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
struct Event {
    std::string action;
    std::string package;
    std::string import_path;  // Go >= 1.24 build events name the package here instead
    std::string test;
    std::string output;
    bool has_output = false;
};

// A small scanner for one event line. test2json writes flat objects of strings and numbers,
// so a dedicated scanner is several times faster than a general JSON DOM, which matters for
// the 20 MB streams of large modules; it still rejects anything that is not one JSON object.
class EventScanner {
public:
    EventScanner(std::string_view text, std::string_view file, std::size_t line)
        : m_text(text), m_file(file), m_line(line) {}

    void scan(Event& event) {
        skip_space();
        expect('{');
        skip_space();
        if (peek() == '}') {
            ++m_pos;
        } else {
            for (;;) {
                skip_space();
                expect('"');
                const std::string_view key = read_key();
                skip_space();
                expect(':');
                skip_space();
                if (std::string* field = field_for(key, event); field != nullptr && peek() == '"') {
                    ++m_pos;
                    field->clear();
                    read_string(*field);
                    if (field == &event.output) {
                        event.has_output = true;
                    }
                } else {
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
    static std::string* field_for(std::string_view key, Event& event) {
        if (key == "Action") {
            return &event.action;
        }
        if (key == "Package") {
            return &event.package;
        }
        if (key == "ImportPath") {
            return &event.import_path;
        }
        if (key == "Test") {
            return &event.test;
        }
        if (key == "Output") {
            return &event.output;
        }
        return nullptr;
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

    // Reads a string body (the opening quote already consumed) that is only needed for a
    // moment: a view into the line when it has no escapes (keys never do), else decoded.
    std::string_view read_key() {
        const std::size_t end = json_scan::plain_run_end(m_text, m_pos, /*stop_at_non_ascii=*/false);
        if (end < m_text.size() && m_text[end] == '"') {
            const std::string_view key = m_text.substr(m_pos, end - m_pos);
            m_pos = end + 1;
            return key;
        }
        m_key.clear();
        read_string(m_key);
        return m_key;
    }

    // Reads a string body (the opening quote already consumed), decoding escapes into `out`.
    void read_string(std::string& out) {
        for (;;) {
            const std::size_t run =
                json_scan::plain_run_end(m_text, m_pos, /*stop_at_non_ascii=*/false);
            out.append(m_text.data() + m_pos, run - m_pos);
            m_pos = run;
            const char c = next();
            if (c == '"') {
                return;
            }
            if (c != '\\') {
                fail("control character in string");
            }
            const char escape = next();
            switch (escape) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
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
                        json_scan::append_utf8(out, 0xFFFD);
                        cp = low;
                    }
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD;  // lone surrogate: Go's encoder never writes one
                }
                json_scan::append_utf8(out, cp);
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
    std::size_t m_pos = 0;
    std::string m_key;  // a key (or skipped string) with escapes, decoded
};

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
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) {
            ++pos;
        }
        const std::size_t start = pos;
        while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') {
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

// The reassembled text of one package: completed lines, each with the event line it began on.
struct PackageText {
    std::string name;
    std::string text;  // completed lines back to back, newlines removed
    struct Line {
        std::size_t begin = 0;
        std::size_t end = 0;
        std::size_t json_line = 0;
    };
    std::vector<Line> lines;
    std::size_t pending_begin = 0;  // start in `text` of the line still being written
    std::size_t pending_line = 0;   // its event line; 0 when no line is pending
    bool has_results = false;

    void close_line() {
        std::size_t end = text.size();
        if (end > pending_begin && text[end - 1] == '\r') {
            --end;
        }
        const std::string_view line(text.data() + pending_begin, end - pending_begin);
        // test2json prints a bare "BenchmarkX" when a benchmark starts (chatty output); it is
        // not a result and Go text readers would call it malformed.
        const bool bare_name = line.substr(0, 9) == "Benchmark" &&
                               line.find_first_of(" \t") == std::string_view::npos;
        if (bare_name) {
            text.resize(pending_begin);
        } else {
            has_results = has_results || is_result_line(line);
            lines.push_back({pending_begin, end, pending_line});
        }
        pending_begin = text.size();
        pending_line = 0;
    }

    void append(std::string_view output, std::size_t json_line) {
        while (!output.empty()) {
            if (pending_line == 0) {
                pending_line = json_line;
            }
            const std::size_t newline = output.find('\n');
            if (newline == std::string_view::npos) {
                text.append(output);
                return;
            }
            text.append(output.substr(0, newline));
            close_line();
            output.remove_prefix(newline + 1);
        }
    }
};

// Build events name "pkg [pkg.test]"; the package is the part before the bracket.
std::string_view package_of_import_path(std::string_view import_path) {
    if (const auto space = import_path.find(' '); space != std::string_view::npos) {
        return import_path.substr(0, space);
    }
    return import_path;
}

}  // namespace

ParsedInput parse_go_test_json(std::string_view text, std::string_view file) {
    std::vector<PackageText> packages;
    std::unordered_map<std::string, std::size_t> package_index;
    std::size_t last_package = SIZE_MAX;  // consecutive events usually share a package
    Event event;

    const auto find_package = [&](const std::string& name) -> PackageText& {
        if (last_package != SIZE_MAX && packages[last_package].name == name) {
            return packages[last_package];
        }
        auto [it, inserted] = package_index.try_emplace(name, packages.size());
        if (inserted) {
            packages.emplace_back();
            packages.back().name = name;
        }
        last_package = it->second;
        return packages[it->second];
    };

    std::size_t line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        ++line_number;
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }

        event.action.clear();
        event.package.clear();
        event.import_path.clear();
        event.test.clear();
        event.output.clear();
        event.has_output = false;
        EventScanner(line, file, line_number).scan(event);

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
            continue;
        }
        PackageText& package = find_package(event.package);
        if (event.has_output) {
            package.append(event.output, line_number);
        }
        if (((event.action == "fail" && event.test.empty()) || event.action == "build-fail") &&
            package.has_results) {
            throw InputError(
                located(file, line_number, fmt::format("package {} failed", event.package)));
        }
    }

    GoTextParser parser(file);
    bool first = true;
    for (PackageText& package : packages) {
        if (package.pending_line != 0) {
            package.close_line();  // output that did not end with a newline
        }
        if (!first) {
            parser.reset_config();
        }
        first = false;
        for (const PackageText::Line& line : package.lines) {
            parser.add_line(std::string_view(package.text).substr(line.begin, line.end - line.begin),
                            line.json_line);
        }
        // Release each package's text once parsed; peak memory stays near one copy.
        std::string().swap(package.text);
        std::vector<PackageText::Line>().swap(package.lines);
    }
    ParsedInput result = parser.finish();
    result.format = InputFormat::go_test_json;
    return result;
}

}  // namespace ksail_benchstat
