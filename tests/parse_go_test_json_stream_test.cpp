// Tests of the line-by-line go test -json path: a stream read through parse_input_stream in
// blocks of any size gives exactly what the whole text gives (series, values, lines, warnings,
// errors), including lines that cross the 1 MiB first block and lines longer than a block.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_go_test_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

constexpr std::size_t k_first_block = std::size_t{1} << 20;  // parse_input_stream's block

// What a parse gave: the result, or the error's message.
struct Outcome {
    ParsedInput parsed;
    std::string error;
};

template <typename Parse>
Outcome outcome_of(Parse&& parse) {
    Outcome out;
    try {
        out.parsed = parse();
    } catch (const InputError& error) {
        out.error = error.what();
    }
    return out;
}

void expect_same(const Outcome& streamed, const Outcome& whole, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(streamed.error, whole.error);
    const ParsedInput& a = streamed.parsed;
    const ParsedInput& b = whole.parsed;
    EXPECT_EQ(a.format, b.format);
    EXPECT_EQ(a.configs, b.configs);
    ASSERT_EQ(a.series.size(), b.series.size());
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        EXPECT_EQ(a.series[i].config, b.series[i].config) << i;
        EXPECT_EQ(a.series[i].name, b.series[i].name) << i;
        EXPECT_EQ(a.series[i].unit, b.series[i].unit) << i;
        EXPECT_EQ(a.series[i].values, b.series[i].values) << i;
        EXPECT_EQ(a.series[i].line, b.series[i].line) << i;
    }
    ASSERT_EQ(a.units.size(), b.units.size());
    for (std::size_t i = 0; i < a.units.size(); ++i) {
        EXPECT_EQ(a.units[i].unit, b.units[i].unit);
        EXPECT_EQ(a.units[i].has_better, b.units[i].has_better);
        EXPECT_EQ(a.units[i].better, b.units[i].better);
        EXPECT_EQ(a.units[i].assume_exact, b.units[i].assume_exact);
    }
    ASSERT_EQ(a.warnings.size(), b.warnings.size());
    for (std::size_t i = 0; i < a.warnings.size(); ++i) {
        EXPECT_EQ(a.warnings[i].file, b.warnings[i].file);
        EXPECT_EQ(a.warnings[i].line, b.warnings[i].line);
        EXPECT_EQ(a.warnings[i].message, b.warnings[i].message);
    }
}

// Reads `text` through parse_input_stream: the first `generous` bytes in reads as large as
// asked, the rest at most `block` bytes per read.
Outcome streamed(std::string_view text, std::size_t block, std::size_t generous = 0) {
    std::size_t pos = 0;
    return outcome_of([&] {
        return parse_input_stream(
            [&](char* buffer, std::size_t size) {
                std::size_t n = std::min(size, text.size() - pos);
                n = pos < generous ? std::min(n, generous - pos) : std::min(n, block);
                std::memcpy(buffer, text.data() + pos, n);
                pos += n;
                return n;
            },
            "events.json", text.size());
    });
}

Outcome whole(std::string_view text) {
    return outcome_of([&] { return parse_input(text, "events.json"); });
}

// Checks `text` read in blocks of 1 to 64 bytes, as it is and placed so that it starts just
// before the end of the first 1 MiB block (after events of no package, which change nothing but
// the line numbers), and after one event line longer than a block.
void expect_stream_equals_whole(const std::string& text, const std::string& what) {
    for (std::size_t block = 1; block <= 64; ++block) {
        expect_same(streamed(text, block), whole(text), what + ", block " + std::to_string(block));
    }

    const std::string pad_line = R"({"ImportPath":"pad [pad.test]","Action":"build-output","Output":"# pad\n"})";
    for (const std::size_t before_boundary : {std::size_t{1}, std::size_t{37}, std::size_t{300}}) {
        std::string padded;
        while (padded.size() + pad_line.size() + 1 + before_boundary <= k_first_block) {
            padded += pad_line;
            padded += '\n';
        }
        padded.append(k_first_block - before_boundary - padded.size(), '\n');  // blank lines
        const std::size_t generous = padded.size();
        padded += text;
        const Outcome expected = whole(padded);
        for (std::size_t block = 1; block <= 64; block += (block < 8 ? 1 : 7)) {
            expect_same(streamed(padded, block, generous), expected,
                        what + ", " + std::to_string(before_boundary) + " bytes before the block end, block " +
                            std::to_string(block));
        }
    }

    std::string long_line = R"({"Action":"build-output","ImportPath":"pad","Output":")";
    long_line.append(k_first_block + 1000, 'x');
    long_line += "\"}\n";
    const std::string after_long = long_line + text;
    const Outcome expected = whole(after_long);
    for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}}) {
        expect_same(streamed(after_long, block, k_first_block - 5), expected,
                    what + ", after a long line, block " + std::to_string(block));
    }
}

const char* const k_split_result =
    R"({"Time":"2026-06-27T19:02:11Z","Action":"start","Package":"example.com/p"}
{"Action":"output","Package":"example.com/p","Output":"goos: linux\n"}
{"Action":"output","Package":"example.com/p","Output":"pkg: example.com/p\n"}
{"Action":"output","Package":"example.com/p","Output":"BenchmarkF\n"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"BenchmarkF-4   \t"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"  100\t 2000 ns/op\t  64 B/op\t 2 allocs/op\n"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"BenchmarkF-4   \t  100\t 3000 ns/op\t  64 B/op\t 2 allocs/op\n"}
{"Action":"output","Package":"example.com/p","Output":"BenchmarkBad-4 \t x\t 1 ns/op\nBenchmarkBad-4 \t 1\t 1\n"}
{"Action":"output","Package":"example.com/p","Output":"PASS\n"}
{"Action":"pass","Package":"example.com/p","Elapsed":0.5}
)";

// Package a prints again after b started, and c only at the end: a's text still comes first.
const char* const k_interleaved =
    R"({"Action":"start","Package":"a"}
{"Action":"output","Package":"b","Output":"pkg: b\nBenchmarkB-8 \t"}
{"Action":"output","Package":"a","Output":"pkg: a\nBenchmarkA-8 \t10\t 5 ns/op\n"}
{"Action":"output","Package":"b","Output":"20\t 7 ns/op\nBenchmarkA-8 \t10\t 6 ns/op\n"}
{"Action":"output","Package":"a","Output":"BenchmarkA-8 \t10\t 4 ns/op\nBenchmarkZ 1 x ns/op\n"}
{"Action":"output","Package":"c","Output":"BenchmarkA-8 \t10\t 9 ns/op"}
{"Action":"output","Package":"a","Output":"BenchmarkB-8 \t1\t 1 ns/op"}
)";

TEST(ParseGoTestJsonStream, SamplesWarningsAndLinesMatchTheWholeText) {
    expect_stream_equals_whole(k_split_result, "split result");
    expect_stream_equals_whole(k_interleaved, "interleaved packages");
}

TEST(ParseGoTestJsonStream, LineEndsBlankLinesBomAndNoFinalNewline) {
    std::string crlf;
    for (const char c : std::string(k_split_result)) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    expect_stream_equals_whole(crlf, "CRLF");
    expect_stream_equals_whole("\n\n  \t\r\n" + std::string(k_interleaved) + "\n\n", "blank lines");
    std::string unterminated = k_split_result;
    unterminated.pop_back();
    expect_stream_equals_whole(unterminated, "no final newline");
    // A byte-order mark is only skipped at the very start of the input.
    const std::string bom = "\xEF\xBB\xBF" + std::string(k_split_result);
    for (std::size_t block = 1; block <= 64; ++block) {
        expect_same(streamed(bom, block), whole(bom), "BOM, block " + std::to_string(block));
    }
}

// The go command's messages before the events (`2>&1`) do not hide the stream: it is detected
// from the lines after them and read as without them, with one warning.
TEST(ParseGoTestJsonStream, TextBeforeTheFirstEventIsSkipped) {
    const std::string text = "go: downloading golang.org/x/sys v0.20.0\ngo: downloading example.com/m v1.0.0\n" +
                             std::string(k_split_result);
    const Outcome read = whole(text);
    ASSERT_EQ(read.error, "");
    EXPECT_EQ(read.parsed.format, InputFormat::go_test_json);
    EXPECT_NE(testing_support::find_series(read.parsed, "BenchmarkF-4", "sec/op"), nullptr);
    ASSERT_FALSE(read.parsed.warnings.empty());
    EXPECT_EQ(read.parsed.warnings[0].line, 1u);
    expect_stream_equals_whole(text, "text before the first event");
}

TEST(ParseGoTestJsonStream, ErrorsMatchTheWholeText) {
    // A failure in the Go text is reported only when the events are all well formed.
    const std::string fail_then_malformed =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n--- FAIL: BenchmarkG-4\n"}
{"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 6 ns/op\n"}
{"Action":"output","Package":"p" "Output":"x"}
)";
    EXPECT_EQ(whole(fail_then_malformed).error.substr(0, 14), "events.json:3:");
    expect_stream_equals_whole(fail_then_malformed, "failure, then a malformed event");

    const std::string fail_then_failed_package =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\nFAIL\n"}
{"Action":"fail","Package":"p","Elapsed":1.2}
)";
    EXPECT_EQ(whole(fail_then_failed_package).error, "events.json:2: package p failed");
    expect_stream_equals_whole(fail_then_failed_package, "failure text, then a failed package");

    const std::string fail_in_first_package =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n"}
{"Action":"output","Package":"q","Output":"--- FAIL: BenchmarkQ\n"}
{"Action":"output","Package":"p","Output":"--- FAIL: BenchmarkP\n"}
)";
    EXPECT_EQ(whole(fail_in_first_package).error.substr(0, 14), "events.json:3:");
    expect_stream_equals_whole(fail_in_first_package, "failure in the first package");

    expect_stream_equals_whole(
        "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"Benchmark\\u00ff\xff 1 1 ns/op\"}",
        "invalid UTF-8 in the last, unterminated line");
    expect_stream_equals_whole("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"x\\u12g4\"}\n",
                               "bad escape");
    expect_stream_equals_whole("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"PASS\\n\"}\n",
                               "no results");
    expect_stream_equals_whole("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"Benchmark\"", "truncated");
}

TEST(ParseGoTestJsonStream, RealStreamsMatchTheWholeText) {
    for (const char* name : {"gotestjson/before.json", "gotestjson/after.json"}) {
        const std::string text = read_testdata(name);
        for (const std::size_t block : {std::size_t{1}, std::size_t{2}, std::size_t{13}, std::size_t{64}}) {
            expect_same(streamed(text, block), whole(text), std::string(name) + ", block " + std::to_string(block));
        }
    }
}

// Packages that interleave give what one Go text parser gives on their texts one after another,
// its configuration reset between packages: shared series, configurations and units, Unit
// lines of a later package, and warnings in package order.
TEST(ParseGoTestJsonStream, InterleavedPackagesReadAsIfOneAfterAnother) {
    struct Event {
        const char* package;
        const char* output;
    };
    const std::vector<Event> events = {
        {"a", "goos: linux\nBenchmarkShared 1 5 ns/op 3 B/op\n"},
        {"b", "goos: linux\nBenchmarkB 1 x ns/op\nUnit B/op better=higher assume=exact\n"},
        {"b", "BenchmarkShared 1 6 ns/op 7 widgets\nBenchmarkNew 2 1 ns/op\n"},
        {"a", "Unit ns/op assume=exact\nBenchmarkShared 1 4 ns/op 2 B/op\nBenchmarkA 1 x\n"},
        {"c", "pkg: c\nUnit ns/op assume=nothing better=lower\nBenchmarkShared 1 9 ns/op\n"},
        {"a", "pkg: a\nBenchmarkShared 1 8 ns/op\nBenchmarkShared 1 1 widgets\n"},
        {"b", "pkg: c\nBenchmarkShared 1 2 ns/op\nBenchmarkLast 1 1 ns/op"},
    };
    std::string text;
    for (const Event& e : events) {
        std::string escaped;
        for (const char* c = e.output; *c != '\0'; ++c) escaped += *c == '\n' ? std::string("\\n") : std::string(1, *c);
        text += fmt::format("{{\"Action\":\"output\",\"Package\":\"{}\",\"Output\":\"{}\"}}\n", e.package, escaped);
    }
    GoTextParser reference("events.json");
    bool first = true;
    for (const char* package : {"a", "b", "c"}) {
        if (!first) reference.reset_config();
        first = false;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (std::string_view(events[i].package) != package) continue;
            std::string_view output = events[i].output;
            while (!output.empty()) {
                const std::size_t end = std::min(output.find('\n'), output.size());
                reference.add_line(output.substr(0, end), i + 1);
                output.remove_prefix(std::min(end + 1, output.size()));
            }
        }
    }
    Outcome expected = outcome_of([&] { return reference.finish(); });
    expected.parsed.format = InputFormat::go_test_json;
    expect_same(outcome_of([&] { return parse_go_test_json(text, "events.json"); }), expected, "interleaved");
    ASSERT_FALSE(expected.parsed.warnings.empty());
}

// The incremental reader fed line by line is the whole-text reader.
TEST(ParseGoTestJsonStream, ReaderFedLineByLineEqualsWholeText) {
    const std::string text = k_interleaved;
    GoTestJsonReader reader("events.json");
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        reader.add_line(std::string_view(text).substr(pos, end - pos));
        pos = end + 1;
    }
    expect_same(outcome_of([&] { return reader.finish(); }),
                outcome_of([&] { return parse_go_test_json(text, "events.json"); }), "line by line");
}

}  // namespace
}  // namespace ksail_benchstat
