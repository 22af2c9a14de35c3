// Tests of format detection: by the start of the content, whatever the strings further on say.
#include "ksail_benchstat/detect.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/errors.hpp"

namespace ksail_benchstat {
namespace {

// The message of the InputError that parse_input throws for `text`, or "" when it does not throw.
std::string error_of(std::string_view text) {
    try {
        parse_input(text, "in.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

// `text` parsed as the command line reads a file: block by block, with its size as the hint.
ParsedInput read_through_stream(const std::string& text) {
    std::size_t pos = 0;
    return parse_input_stream(
        [&](char* buffer, std::size_t size) {
            const std::size_t n = std::min(size, text.size() - pos);
            std::memcpy(buffer, text.data() + pos, n);
            pos += n;
            return n;
        },
        "in.txt", text.size());
}

TEST(DetectFormat, GoTestJsonByTheFirstKeyOfItsFirstEvent) {
    EXPECT_EQ(detect_format(R"({"Time":"2025-03-01T10:00:00Z","Action":"start","Package":"p"})"),
              InputFormat::go_test_json);
    EXPECT_EQ(detect_format("{\"Action\":\"run\",\"Test\":\"BenchmarkA\"}\n"), InputFormat::go_test_json);
    EXPECT_EQ(detect_format("{\"ImportPath\":\"p [p.test]\",\"Action\":\"build-output\",\"Output\":\"x\"}\n"),
              InputFormat::go_test_json);
    EXPECT_EQ(detect_format("\xEF\xBB\xBF \r\n{ \"Time\": \"2025-03-01T10:00:00Z\", \"Action\": \"start\"}"),
              InputFormat::go_test_json);
}

TEST(DetectFormat, GoogleBenchmarkJsonWhateverItsStringsSay) {
    // A one-line document with "Action" in a label, a context key or a benchmark name.
    EXPECT_EQ(detect_format(R"({"context":{"Action":"deploy"},"benchmarks":[{"name":"BM_A","label":"Action"}]})"),
              InputFormat::gbench_json);
    EXPECT_EQ(detect_format(R"({"benchmarks":[{"name":"\"Action\"","real_time":1}]})"), InputFormat::gbench_json);
    EXPECT_EQ(detect_format("{\n  \"context\": {\n    \"Action\": 1"), InputFormat::gbench_json);
    // Any other object goes to the Google Benchmark reader, which says what it lacks.
    EXPECT_EQ(detect_format("{}"), InputFormat::gbench_json);
    EXPECT_EQ(detect_format("{\"\\u0041ction\": \"start\"}"), InputFormat::gbench_json);
    EXPECT_EQ(error_of("{\"level\": \"info\"}\n"),
              "in.json: no \"benchmarks\" array; not Google Benchmark JSON output");
}

TEST(DetectFormat, JsonThatIsNotAnObjectOrHasCommentsGetsAJsonError) {
    for (const char* text : {"[1,2]", "[\n  {\"name\": \"BM_A\"}\n]", "[]", "[\"a\"]", " [ -1.5e3 ]"}) {
        EXPECT_EQ(detect_format(text), InputFormat::gbench_json) << text;
        EXPECT_EQ(error_of(text), "in.json:1: expected a JSON object with a \"benchmarks\" array, found an array")
            << text;
    }
    for (const char* text : {"// generated\n{\"benchmarks\": []}", "/* run 1 */ {\"Time\": \"x\"}",
                             "// a\n\n// b\n{\"context\": {}}"}) {
        EXPECT_EQ(detect_format(text), InputFormat::gbench_json) << text;
        EXPECT_EQ(error_of(text), "in.json:1: malformed JSON: a comment, but JSON has no comments") << text;
    }
}

TEST(DetectFormat, GoTextMayBeginWithLogLinesAndNotes) {
    for (const char* text : {"[1/3] building\nBenchmarkA 1 5 ns/op\n", "[INFO] start\nBenchmarkA 1 5 ns/op\n",
                             "[2025-03-01 10:00] run\nBenchmarkA 1 5 ns/op\n", "// baseline\nBenchmarkA 1 5 ns/op\n",
                             "goos: linux\nBenchmarkA 1 5 ns/op\n", "[", "// only a note"}) {
        EXPECT_EQ(detect_format(text), InputFormat::go_text) << text;
    }
    EXPECT_EQ(error_of("[1/3] building\nBenchmarkA 1 5 ns/op\n"), "");
}

// The UTF-8 of a stream's lines is checked line by line, except for lines in the previous line's
// shape (which differ from it only in digits): a bad byte is an error wherever it falls.
TEST(DetectFormat, BadUtf8IsFoundInAnyBlockOfAStream) {
    const std::string line = "BenchmarkA-8\t 100\t 12.5 ns/op\n";
    std::string clean;
    while (clean.size() < (std::size_t{5} << 19)) clean += line;  // two and a half blocks
    EXPECT_EQ(read_through_stream(clean).series.at(0).values.size(), clean.size() / line.size());
    // A bad byte in a benchmark's name: in the first block, the second, across their boundary, the last.
    const std::size_t block = std::size_t{1} << 20;
    for (const std::size_t near : {std::size_t{100}, block + 100, block - 5, block + 3, clean.size() - 10}) {
        std::string text = clean;
        const std::size_t start = text.rfind('\n', near) + 1;  // the name's first byte is on that line
        text[start + 10] = '\xff';
        EXPECT_THROW(read_through_stream(text), InputError) << near;
        text[start + 10] = '\xc3';  // a sequence cut short
        EXPECT_THROW(read_through_stream(text), InputError) << near;
    }
}

// all_ascii finds a high byte at any offset of texts of any length.
TEST(DetectFormat, AllAsciiFindsAHighByteAnywhere) {
    for (std::size_t size = 0; size <= 80; ++size) {
        std::string text(size, 'a');
        EXPECT_TRUE(all_ascii(text.data(), text.size())) << size;
        for (std::size_t at = 0; at < size; ++at) {
            text[at] = '\x80';
            EXPECT_FALSE(all_ascii(text.data(), text.size())) << size << " " << at;
            text[at] = '\x7f';
            EXPECT_TRUE(all_ascii(text.data(), text.size())) << size << " " << at;
            text[at] = 'a';
        }
    }
}

// A stream whose first 1 MiB block holds only blank lines is not empty: what follows decides.
TEST(DetectFormat, BlankSpaceBeyondTheFirstBlockOfAStreamIsNotAnEmptyInput) {
    const std::string results = "BenchmarkA 1 5 ns/op\nBenchmarkA 1 6 ns/op\n";
    for (const std::string& blank :
         {std::string(std::size_t{2} << 20, '\n'), std::string(std::size_t{3} << 20, ' ') + "\n",
          "\xEF\xBB\xBF" + std::string(std::size_t{1} << 20, '\n')}) {
        const ParsedInput parsed = read_through_stream(blank + results);
        ASSERT_EQ(parsed.series.size(), 1u);
        EXPECT_EQ(parsed.series[0].values.size(), 2u);
        EXPECT_EQ(parsed.series[0].line,
                  static_cast<std::size_t>(std::count(blank.begin(), blank.end(), '\n')) + 1);
        try {
            read_through_stream(blank);
            ADD_FAILURE() << "blank space alone must be an error";
        } catch (const InputError& error) {
            EXPECT_EQ(std::string(error.what()), "in.txt: the input is empty");
        }
    }
}

// A Go text stream of several blocks reads as the same text read whole: lines of one shape
// repeated, lines whose shape changes, lines cut by a block's end; no value the final check could
// drop, a negative custom metric (which it keeps), and a negative time (which it drops).
TEST(DetectFormat, GoTextStreamReadsAsTheWholeText) {
    const auto describe = [](const ParsedInput& parsed) {
        std::vector<std::string> all;
        for (const Series& s : parsed.series) {
            std::string text = s.name + " " + s.unit + " @" + std::to_string(s.line);
            for (const double v : s.values) text += " " + std::to_string(std::bit_cast<std::uint64_t>(v));
            all.push_back(text);
        }
        for (const Diagnostic& w : parsed.warnings) all.push_back(std::to_string(w.line) + ": " + w.message);
        return all;
    };
    for (const int odd : {0, 1, 2}) {
        std::string text;
        for (int benchmark = 0; text.size() < (std::size_t{5} << 19); ++benchmark) {
            const std::string name = "BenchmarkStream" + std::to_string(benchmark) + "-8";
            for (int run = 0; run < 10; ++run) {
                const int ns = (benchmark * 7 + run * 13) % 2000;
                text += name + "\t" + std::string(run % 4 == 0 ? "  " : "   ") + std::to_string(1000 + run) + "\t  " +
                        std::to_string(ns) + ".25 ns/op\t" + std::to_string(odd == 0 ? run : run - 5) + " widgets\n";
            }
        }
        if (odd == 2) text += "BenchmarkStream0-8\t 1000\t -3.5 ns/op\t 1 widgets\n";
        EXPECT_EQ(describe(read_through_stream(text)), describe(parse_input(text, "in.txt"))) << odd;
    }
}

}  // namespace
}  // namespace ksail_benchstat
