// Format detection by content, and dispatch to the matching parser.
#include "ksail_benchstat/detect.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/mapped_memory.hpp"
#include "ksail_benchstat/parse_gbench_json.hpp"
#include "ksail_benchstat/parse_go_test_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

std::string_view skip_space(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    return text.substr(i);
}

std::string_view skip_bom_and_space(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    return skip_space(text);
}

// Comments before a document ("// ..." lines, "/* ... */"), which a person or a tool may add to a
// JSON file although JSON has none. Empty when the text ends within them.
std::string_view skip_comments(std::string_view body) {
    for (;;) {
        std::size_t end = std::string_view::npos;
        if (body.substr(0, 2) == "//") {
            end = body.find('\n');
        } else if (body.substr(0, 2) == "/*") {
            end = body.find("*/", 2);
            if (end != std::string_view::npos) end += 1;
        } else {
            return body;
        }
        if (end == std::string_view::npos) return {};
        body = skip_space(body.substr(end + 1));
    }
}

// Whether `body` begins a JSON array: '[' and then the first character of an array, object,
// string or of the closing bracket, or a number followed by ',' or ']'. Go benchmark text may
// begin with a log line such as "[1/3] build" or "[INFO] ...". `decided` is false when the text
// ends before that is clear.
bool is_json_array(std::string_view body, bool& decided) {
    decided = true;
    if (body.empty() || body[0] != '[') return false;
    std::string_view rest = skip_space(body.substr(1));
    if (!rest.empty() && (rest[0] == '{' || rest[0] == '[' || rest[0] == ']' || rest[0] == '"')) return true;
    const std::size_t number_end = std::min(rest.find_first_not_of("0123456789+-.eE"), rest.size());
    rest = skip_space(rest.substr(number_end));
    decided = !rest.empty();
    return number_end > 0 && !rest.empty() && (rest[0] == ',' || rest[0] == ']');
}

// The fields of test2json's events (cmd/internal/test2json). A stream's first event begins with
// "Time" (go test -json), "Action" (go tool test2json without -t) or "ImportPath" (build output,
// Go 1.24); the others are accepted too, in case a writer orders them differently.
bool is_test2json_field(std::string_view key) {
    constexpr std::string_view k_fields[] = {"Time",   "Action",  "Package",    "Test",
                                             "Output", "Elapsed", "ImportPath", "FailedBuild"};
    return std::find(std::begin(k_fields), std::end(k_fields), key) != std::end(k_fields);
}

// The first key of the object at the start of `body` (at its '{'), when it is written without
// escapes; nothing when there is none, or when the text ends first (`decided` false).
std::optional<std::string_view> first_key(std::string_view body, bool& decided) {
    const std::string_view rest = skip_space(body.substr(1));
    const std::size_t end = rest.empty() || rest[0] != '"' ? 0 : rest.find_first_of("\"\\", 1);
    decided = !rest.empty() && end != std::string_view::npos;
    if (rest.empty() || rest[0] != '"' || end == std::string_view::npos || rest[end] != '"') return std::nullopt;
    return rest.substr(1, end - 1);
}

// Go text and go test -json streams may begin with lines of other output: a JSON logger's lines
// before Go benchmark text, the go command's messages (`2>&1`) before test2json events. Among the
// lines after the first, the first that starts a Go result line ("Benchmark") or an event (a '{'
// line with an "Action") tells which format follows; neither can be a line of a Google Benchmark
// document. Only the first 64 KiB are looked at: detection stays quick, and the streaming reader's
// first block gives the answer the whole text gives.
std::optional<InputFormat> format_of_later_lines(std::string_view body) {
    constexpr std::size_t k_prefix = std::size_t{64} << 10;
    const std::string_view prefix = body.substr(0, k_prefix);
    for (std::size_t end = prefix.find('\n'); end != std::string_view::npos;) {
        const std::size_t start = end + 1;
        end = prefix.find('\n', start);
        const std::string_view line = prefix.substr(start, end == std::string_view::npos ? end : end - start);
        if (line.substr(0, 9) == "Benchmark") return InputFormat::go_text;
        if (line.substr(0, 1) == "{" && line.find("\"Action\"") != std::string_view::npos) {
            return InputFormat::go_test_json;
        }
    }
    return std::nullopt;
}

// What `text` looks like, and whether it held enough of its start to tell (an input's first block
// may not).
struct Detection {
    InputFormat format = InputFormat::go_text;
    bool decided = true;
};

Detection detect(std::string_view text) {
    const std::string_view body = skip_bom_and_space(text);
    // A JSON document behind comments goes to the JSON reader, which says that JSON has none.
    const std::string_view json = skip_comments(body);
    Detection detection;
    if (json.empty()) {
        detection.decided = false;
        return detection;
    }
    // The Google Benchmark reader says that a document which is an array is not the object it needs.
    if (is_json_array(json, detection.decided)) {
        detection.format = InputFormat::gbench_json;
        return detection;
    }
    if (json[0] != '{') {
        if (format_of_later_lines(body) == InputFormat::go_test_json) detection.format = InputFormat::go_test_json;
        return detection;
    }
    // test2json writes one compact object per line, each beginning with one of its fields; Google
    // Benchmark writes one document with "context" and "benchmarks" (any other object goes to its
    // reader, which says what is missing). Only the first key counts: a label or a name anywhere
    // else may say "Action".
    const std::optional<std::string_view> key = first_key(json, detection.decided);
    if (json.data() == body.data() && key && is_test2json_field(*key)) {
        detection.format = InputFormat::go_test_json;
        return detection;
    }
    // A JSON log line can come before Go benchmark text (or a go test -json stream): the lines
    // after it tell.
    detection.format = format_of_later_lines(body).value_or(InputFormat::gbench_json);
    return detection;
}

// Times, byte counts, allocation counts and their rates cannot be negative; other units (custom
// counters) may be.
bool never_negative(std::string_view unit) {
    for (std::string_view prefix : {"sec/", "cpu-sec/", "B/", "allocs/", "items/"}) {
        if (unit.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
}

// The last line of defence for every format: a value that is not finite after conversion to base
// units (1e308 MB/s overflows) or a negative time or size would make every statistic a lie, so it
// is dropped with a warning, and a series left without samples disappears.
// A sample's line is not kept (only the series' first), so a warning names a line only when the
// one value it is about is the series' first; otherwise it names the series by where it starts.
void drop_impossible_values(ParsedInput& parsed, std::string_view file) {
    for (Series& series : parsed.series) {
        std::size_t infinite = 0;
        std::size_t negative = 0;
        const auto is_infinite = [](double v) { return !std::isfinite(v); };
        const auto is_negative = [&](double v) { return v < 0 && never_negative(series.unit); };
        const bool first_infinite = !series.values.empty() && is_infinite(series.values[0]);
        const bool first_negative = !series.values.empty() && is_negative(series.values[0]);
        auto bad = [&](double v) {
            if (is_infinite(v)) return ++infinite, true;
            if (is_negative(v)) return ++negative, true;
            return false;
        };
        series.values.resize_down(
            static_cast<std::size_t>(std::remove_if(series.values.begin(), series.values.end(), bad) - series.values.begin()));
        const auto warn = [&](std::size_t count, bool first, std::string what) {
            if (count == 1 && first) {
                parsed.warnings.push_back({std::string(file), series.line, fmt::format("{}: {}", series.name, what)});
            } else {
                parsed.warnings.push_back(
                    {std::string(file), 0,
                     fmt::format("{} (in the series that starts at line {}): {}", series.name, series.line, what)});
            }
        };
        if (infinite > 0) {
            warn(infinite, first_infinite,
                 fmt::format("{} {} value{} dropped: too large to represent in base units", infinite, series.unit,
                             infinite == 1 ? "" : "s"));
        }
        if (negative > 0) {
            warn(negative, first_negative,
                 fmt::format("{} negative {} value{} dropped: {} cannot be negative", negative, series.unit,
                             negative == 1 ? "" : "s", series.unit));
        }
    }
    parsed.series.erase(std::remove_if(parsed.series.begin(), parsed.series.end(),
                                       [](const Series& s) { return s.values.empty(); }),
                        parsed.series.end());
}

}  // namespace

InputFormat detect_format(std::string_view text) { return detect(text).format; }

namespace {

// The block an input is read into. A small input's block is heap memory of which only the pages
// the read touches are ever mapped in. A large input's block is one large page mapped from the
// system: filled once and reused for every block, its 256 small pages would each cost a fault, and
// a fault costs far more than its page on some virtual machines (docs/performance.md).
class ReadBuffer {
public:
    ReadBuffer(std::size_t bytes, bool large) : m_bytes(bytes), m_mapped(large) {
        if (m_mapped) {
            m_data = MappedAllocator<char>().allocate(bytes);
        } else {
            m_data = new char[bytes];
        }
    }
    ReadBuffer(const ReadBuffer&) = delete;
    ReadBuffer& operator=(const ReadBuffer&) = delete;
    ~ReadBuffer() {
        if (m_mapped) {
            MappedAllocator<char>().deallocate(m_data, m_bytes);
        } else {
            delete[] m_data;
        }
    }
    char* get() const noexcept { return m_data; }

private:
    std::size_t m_bytes;
    bool m_mapped;
    char* m_data = nullptr;
};

// The checks every input gets before its parser sees it: not empty, not binary.
void check_text_input(std::string_view text, std::string_view file) {
    if (skip_bom_and_space(text).empty()) throw InputError(located(file, 0, "the input is empty"));
    std::size_t probe = std::min<std::size_t>(text.size(), 4096);
    if (std::find(text.begin(), text.begin() + static_cast<long>(probe), '\0') != text.begin() + static_cast<long>(probe)) {
        throw InputError(located(file, 0, "the input is binary, not benchmark results"));
    }
}

// An input that parsed but holds no results is an error, naming the first problem when there was one.
// `check_values` false: the parser vouches that no value would be dropped and no series is empty.
ParsedInput checked_results(ParsedInput parsed, std::string_view file, bool check_values = true) {
    if (check_values) drop_impossible_values(parsed, file);
    bool any = std::any_of(parsed.series.begin(), parsed.series.end(), [](const Series& s) { return !s.values.empty(); });
    if (!any) {
        std::string why = "no benchmark results found";
        if (!parsed.warnings.empty()) {
            const auto& w = parsed.warnings.front();
            throw InputError(located(file, w.line, why + " (first problem: " + w.message + ")"));
        }
        throw InputError(located(file, 0, why));
    }
    return parsed;
}

}  // namespace

ParsedInput parse_input(std::string_view text, std::string_view file) {
    check_text_input(text, file);
    std::string_view body = text;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    ParsedInput parsed;
    switch (detect_format(body)) {
    case InputFormat::go_test_json: parsed = parse_go_test_json(body, file); break;
    case InputFormat::gbench_json: parsed = parse_gbench_json(body, file); break;
    case InputFormat::go_text: parsed = parse_go_text(body, file); break;
    }
    return checked_results(std::move(parsed), file);
}

ParsedInput parse_input_stream(const ReadBlock& read, std::string_view file, std::size_t size_hint) {
    // The first block decides the format; 1 MiB holds the first line of any real input.
    constexpr std::size_t k_block = std::size_t{1} << 20;
    // An input of several blocks (by its size, when that is known) is read into one large page.
    const ReadBuffer buffer(k_block, size_hint >= 4 * k_block);
    std::size_t filled = 0;
    while (filled < k_block) {
        const std::size_t n = read(buffer.get() + filled, k_block - filled);
        if (n == 0) break;
        filled += n;
    }
    const bool whole = filled < k_block;
    std::string_view start(buffer.get(), filled);
    // A first block of nothing but blank space says nothing yet; the whole text is read and
    // checked below (detection is undecided).
    if (whole || !skip_bom_and_space(start).empty()) check_text_input(start, file);
    const bool bom = start.substr(0, 3) == "\xEF\xBB\xBF";
    // The format follows from the start of the text, up to the first key of a JSON document. When
    // this block ends before that, the whole text decides.
    const Detection detection = detect(bom ? start.substr(3) : start);
    const InputFormat format = detection.format;
    // A document whose first line goes past this block gains nothing from being read block by
    // block (the fast reader takes whole lines); it is read into one buffer of its size.
    const bool first_line_seen = skip_bom_and_space(bom ? start.substr(3) : start).find('\n') != std::string_view::npos;
    if (format == InputFormat::gbench_json && !whole && detection.decided && first_line_seen) {
        // Google Benchmark JSON is read block by block: two large files parsed at once are not
        // held whole at the same time.
        GbenchJsonParser parser(file);
        parser.add(bom ? start.substr(3) : start);
        // The parser copies what it keeps; smaller blocks after the first keep its own buffer small.
        constexpr std::size_t k_json_block = std::size_t{64} << 10;
        std::size_t n = 0;
        while ((n = read(buffer.get(), k_json_block)) > 0) parser.add(std::string_view(buffer.get(), n));
        return checked_results(parser.finish(), file);
    }
    if (format == InputFormat::gbench_json || !detection.decided || (format == InputFormat::go_text && whole)) {
        std::string text;
        text.reserve(std::max(size_hint, start.size()) + 1);
        text.append(start);
        if (!whole) {
            std::size_t n = 0;
            while ((n = read(buffer.get(), k_block)) > 0) text.append(buffer.get(), n);
        }
        return parse_input(text, file);
    }

    // Go text and go test -json arrive line by line: complete lines of each block go to the
    // parser, the partial last line waits for the next block. A block that was the whole input is
    // not followed by another read (at a terminal that would wait for a second end of input).
    std::size_t begin = bom ? 3 : 0;
    std::string carry;
    // add_lines(text) reads the complete lines at the start of `text` and returns their length,
    // newlines included; add_line(line) reads one line.
    const auto for_each_block = [&](auto&& add_lines, auto&& add_line) {
        for (;;) {
            std::string_view block(buffer.get() + begin, filled - begin);
            std::size_t pos = 0;
            if (carry.empty()) {
                pos = add_lines(block);
            } else if (const std::size_t end = block.find('\n'); end != std::string_view::npos) {
                // The line the previous block ended in ends here.
                carry.append(block.substr(0, end));
                add_line(std::string_view(carry));
                carry.clear();
                pos = end + 1;
                pos += add_lines(block.substr(pos));
            }  // else the whole block goes on with that line
            carry.append(block.substr(pos));
            if (whole) break;
            begin = 0;
            filled = read(buffer.get(), k_block);
            if (filled == 0) break;
        }
        if (!carry.empty()) add_line(std::string_view(carry));
    };

    if (format == InputFormat::go_test_json) {
        GoTestJsonReader reader(file);
        const auto add_lines = [&](std::string_view text) {
            std::size_t pos = 0;
            for (std::size_t end = 0; (end = text.find('\n', pos)) != std::string_view::npos; pos = end + 1) {
                reader.add_line(text.substr(pos, end - pos));
            }
            return pos;
        };
        for_each_block(add_lines, [&](std::string_view line) { reader.add_line(line); });
        return checked_results(reader.finish(), file);
    }
    GoTextParser parser(file);
    parser.expect_bytes(size_hint);
    std::size_t line_no = 0;
    // The parser checks the UTF-8 of each line it does not find in the previous line's shape (those
    // are valid by construction). Most lines are in that shape, so checking the few others costs
    // less than testing every block for ASCII as a whole.
    for_each_block([&](std::string_view text) { return parser.add_lines(text, line_no); },
                   [&](std::string_view line) { parser.add_line(line, ++line_no); });
    // The Go text parser makes no series without a sample, so only its odd values need the check.
    const bool check_values = parser.may_need_value_checks();
    return checked_results(parser.finish(), file, check_values);
}

}  // namespace ksail_benchstat
