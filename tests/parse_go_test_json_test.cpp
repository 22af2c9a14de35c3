// Tests of the go test -json reader: event reassembly, failures, malformed lines, and the
// equivalence with the Go text parser on the same samples.
#include "ksail_benchstat/parse_go_test_json.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

using testing_support::find_series;

std::string error_of(std::string_view text) {
    try {
        parse_go_test_json(text, "events.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

TEST(ParseGoTestJson, ResultLinesSplitAcrossEventsAreJoined) {
    const char* text =
        R"({"Time":"2026-06-27T19:02:11Z","Action":"start","Package":"example.com/p"}
{"Action":"output","Package":"example.com/p","Output":"goos: linux\n"}
{"Action":"output","Package":"example.com/p","Output":"goarch: amd64\n"}
{"Action":"output","Package":"example.com/p","Output":"pkg: example.com/p\n"}
{"Action":"output","Package":"example.com/p","Output":"BenchmarkF\n"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"BenchmarkF-4   \t"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"  100\t 2000 ns/op\t  64 B/op\t 2 allocs/op\n"}
{"Action":"output","Package":"example.com/p","Test":"BenchmarkF","Output":"BenchmarkF-4   \t  100\t 3000 ns/op\t  64 B/op\t 2 allocs/op\n"}
{"Action":"output","Package":"example.com/p","Output":"PASS\n"}
{"Action":"pass","Package":"example.com/p","Elapsed":0.5}
)";
    const ParsedInput input = parse_go_test_json(text, "events.json");
    EXPECT_EQ(input.format, InputFormat::go_test_json);
    const Series* time = find_series(input, "BenchmarkF-4", "sec/op");
    ASSERT_NE(time, nullptr);
    ASSERT_EQ(time->values.size(), 2u);
    EXPECT_DOUBLE_EQ(time->values[0], 2000e-9);
    EXPECT_DOUBLE_EQ(time->values[1], 3000e-9);
    // The sample's line is the event where its text line began.
    EXPECT_EQ(time->line, 6u);
    EXPECT_NE(find_series(input, "BenchmarkF-4", "allocs/op"), nullptr);
    ASSERT_EQ(input.configs.size(), 1u);
    EXPECT_EQ(config_value(input.configs[0], "pkg"), "example.com/p");
    // The chatty bare name line is not a malformed benchmark line.
    EXPECT_TRUE(input.warnings.empty());
}

TEST(ParseGoTestJson, OutputIsReassembledPerPackageWhateverTheTestOrAction) {
    // Two packages interleaved; output attributed to other tests, unusual and unknown actions.
    const char* text =
        R"({"Action":"start","Package":"a"}
{"Action":"start","Package":"b"}
{"Action":"output","Package":"a","Output":"pkg: a\n"}
{"Action":"output","Package":"b","Output":"pkg: b\n"}
{"Action":"output","Package":"a","Test":"BenchmarkOther","Output":"BenchmarkA-8 \t"}
{"Action":"output","Package":"b","Output":"BenchmarkB-8 \t"}
{"Action":"bench","Package":"a","Test":"BenchmarkA","Output":"10\t 5 ns/op\n"}
{"Action":"pause","Package":"b"}
{"Action":"cont","Package":"b"}
{"Action":"something-new","Package":"b","Output":"20\t 7 ns/op\n"}
{"ImportPath":"a [a.test]","Action":"build-output","Output":"# a\n"}
{"Action":"pass","Package":"a"}
{"Action":"skip","Package":"c","Output":"?   \tc\t[no test files]\n"}
{"Action":"pass","Package":"b"}
)";
    const ParsedInput input = parse_go_test_json(text, "events.json");
    const Series* a = find_series(input, "BenchmarkA-8", "sec/op");
    const Series* b = find_series(input, "BenchmarkB-8", "sec/op");
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(a->values.size(), 1u);
    ASSERT_EQ(b->values.size(), 1u);
    EXPECT_DOUBLE_EQ(a->values[0], 5e-9);
    EXPECT_DOUBLE_EQ(b->values[0], 7e-9);
    EXPECT_EQ(a->line, 5u);
    EXPECT_EQ(b->line, 6u);
    ASSERT_NE(a->config, b->config);
    EXPECT_EQ(config_value(input.configs[a->config], "pkg"), "a");
    EXPECT_EQ(config_value(input.configs[b->config], "pkg"), "b");
}

TEST(ParseGoTestJson, ConfigurationDoesNotLeakAcrossPackages) {
    const char* text =
        R"({"Action":"output","Package":"a","Output":"goos: linux\ncpu: X\npkg: a\nBenchmarkA 1 1 ns/op\n"}
{"Action":"output","Package":"b","Output":"pkg: b\nBenchmarkB 1 1 ns/op\n"}
)";
    const ParsedInput input = parse_go_test_json(text, "events.json");
    const Series* b = find_series(input, "BenchmarkB", "sec/op");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(config_value(input.configs[b->config], "goos"), "");
    EXPECT_EQ(config_value(input.configs[b->config], "pkg"), "b");
    // Several lines in one event keep that event's line number.
    EXPECT_EQ(find_series(input, "BenchmarkA", "sec/op")->line, 1u);
}

TEST(ParseGoTestJson, EscapesAreDecoded) {
    const char* text =
        R"({"Action":"output","Package":"p","Output":"BenchmarkCaf\u00e9\u002f\ud83d\ude00-2\t 1\t 4 ns/op\t 3 B/op\r\n","Elapsed":1e-3,"Extra":{"a":[1,true,null,"x\"y",{}]}}
)";
    const ParsedInput input = parse_go_test_json(text, "events.json");
    const Series* time = find_series(input, "BenchmarkCaf\xc3\xa9/\xf0\x9f\x98\x80-2", "sec/op");
    ASSERT_NE(time, nullptr);
    EXPECT_DOUBLE_EQ(time->values[0], 4e-9);
    EXPECT_NE(find_series(input, "BenchmarkCaf\xc3\xa9/\xf0\x9f\x98\x80-2", "B/op"), nullptr);
}

TEST(ParseGoTestJson, FailedPackageWithResultsIsAnError) {
    const char* text =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n"}
{"Action":"fail","Package":"p","Test":"BenchmarkG"}

{"Action":"fail","Package":"p","Elapsed":1.2}
)";
    EXPECT_EQ(error_of(text), "events.json:4: package p failed");

    const char* build_fail =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n"}
{"ImportPath":"p [p.test]","Action":"build-fail"}
)";
    EXPECT_EQ(error_of(build_fail).substr(0, 14), "events.json:2:");

    // A package that failed before printing any result is not this reader's concern; the test
    // failure of another package does not invalidate this one.
    const char* other =
        R"({"Action":"fail","Package":"q"}
{"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n"}
{"Action":"pass","Package":"p"}
)";
    EXPECT_EQ(error_of(other), "");
}

TEST(ParseGoTestJson, FailureTextInsideOutputIsAnErrorAtItsEventLine) {
    const char* text =
        R"({"Action":"output","Package":"p","Output":"BenchmarkF-4 \t 10\t 5 ns/op\n"}
{"Action":"output","Package":"p","Output":"--- FAIL: BenchmarkG-4\n"}
)";
    EXPECT_EQ(error_of(text).substr(0, 14), "events.json:2:");
}

TEST(ParseGoTestJson, MalformedLinesAreErrorsWithTheirLine) {
    EXPECT_EQ(error_of("{\"Action\":\"start\",\"Package\":\"p\"}\n\nPASS\n").substr(0, 14),
              "events.json:3:");
    EXPECT_EQ(error_of("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"x\n").substr(0, 14),
              "events.json:1:");
    EXPECT_EQ(error_of("\n{\"Action\":\"output\" \"Package\":\"p\"}").substr(0, 14),
              "events.json:2:");
    EXPECT_EQ(error_of("{\"Action\":\"start\"} trailing").substr(0, 14), "events.json:1:");
    EXPECT_EQ(error_of("{\"Action\":\"start\"}\n[1,2]").substr(0, 14), "events.json:2:");
    EXPECT_EQ(error_of("{\"Elapsed\":1.}").substr(0, 14), "events.json:1:");
    EXPECT_EQ(error_of("{\"Output\":\"\\q\"}").substr(0, 14), "events.json:1:");
    EXPECT_EQ(error_of("{\"Elapsed\":nul}").substr(0, 14), "events.json:1:");
    // Blank lines and an empty stream are fine.
    EXPECT_EQ(error_of("\n  \n\r\n"), "");
    EXPECT_EQ(error_of(""), "");
}

// The fields the reader takes must be strings, as Go's decoder requires (null is no value): an
// Output of another kind would otherwise drop its text, and with it half of a result line.
TEST(ParseGoTestJson, FieldsOfTheWrongKindAreErrors) {
    const std::string first = "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkA\\t\"}\n";
    for (const char* field : {"Action", "Package", "ImportPath", "Test", "Output"}) {
        for (const char* value : {"5", "true", "[\"x\"]", "{\"a\":\"b\"}"}) {
            SCOPED_TRACE(std::string(field) + ": " + value);
            const std::string rest = std::string(field) == "Output" ? "" : ",\"Output\":\"1 5 ns/op\\n\"";
            const std::string event =
                std::string("{\"Action\":\"output\",\"Package\":\"p\",\"") + field + "\":" + value + rest + "}\n";
            EXPECT_EQ(error_of(first + event),
                      std::string("events.json:2: malformed go test -json event: \"") + field + "\" is not a string");
        }
    }
    // null is no value, as in Go; Time and Elapsed are not read.
    EXPECT_EQ(error_of(first + "{\"Action\":\"output\",\"Test\":null,\"Package\":\"p\",\"Time\":5,\"Elapsed\":\"x\","
                               "\"Output\":\"1 5 ns/op\\n\"}\n"),
              "");
}

// `go test -json ./... 2>&1` puts the go command's messages before the stream: text before the
// first event is skipped with one warning; after it, text is malformed as before.
TEST(ParseGoTestJson, TextBeforeTheFirstEventIsSkippedWithAWarning) {
    const std::string events =
        "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkX-8\\t1000\\t100 ns/op\\n\"}\n"
        "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkX-8\\t1000\\t101 ns/op\\n\"}\n";
    const ParsedInput one = parse_go_test_json("go: downloading golang.org/x/sys v0.20.0\r\n" + events, "events.json");
    ASSERT_EQ(one.series.size(), 1u);
    EXPECT_EQ(one.series[0].values.size(), 2u);
    EXPECT_EQ(one.series[0].line, 2u);
    ASSERT_EQ(one.warnings.size(), 1u);
    EXPECT_EQ(one.warnings[0].line, 1u);
    EXPECT_EQ(one.warnings[0].message,
              "skipped 1 line before the first go test -json event: \"go: downloading golang.org/x/sys v0.20.0\"");

    const ParsedInput three =
        parse_go_test_json("\ngo: downloading a v1\n\n  go: downloading b v2\n[x]\n" + events, "events.json");
    ASSERT_EQ(three.warnings.size(), 1u);
    EXPECT_EQ(three.warnings[0].line, 2u);
    EXPECT_EQ(three.warnings[0].message,
              "skipped 3 lines before the first go test -json event, starting with \"go: downloading a v1\"");

    EXPECT_EQ(error_of("go: downloading a v1\n" + events + "go: downloading b v2\n" + events).substr(0, 14),
              "events.json:4:");
}

// A result line's fields may be separated by any of Go's ASCII spaces, as in Go text; only a name
// with nothing after it is a benchmark starting.
TEST(ParseGoTestJson, EverySeparatorOfGoTextSeparatesFields) {
    const ParsedInput input = parse_go_test_json(
        R"({"Action":"output","Package":"p","Output":"BenchmarkX-8\f1000\f100\u000bns/op\n"}
{"Action":"output","Package":"p","Output":"BenchmarkY-8\r1000\r100\rns/op\n"}
{"Action":"output","Package":"p","Output":"BenchmarkZ-8\u000b\n"}
)",
        "events.json");
    const Series* x = find_series(input, "BenchmarkX-8", "sec/op");
    ASSERT_NE(x, nullptr);
    ASSERT_EQ(x->values.size(), 1u);
    EXPECT_DOUBLE_EQ(x->values[0], 100e-9);
    EXPECT_NE(find_series(input, "BenchmarkY-8", "sec/op"), nullptr);
    EXPECT_TRUE(input.warnings.empty());
}

// Packages' Unit lines join as one text's would: the first statement holds, and a later package
// that contradicts it gets a warning at its line, among its other warnings.
TEST(ParseGoTestJson, ContradictoryUnitLinesOfTwoPackages) {
    const ParsedInput input = parse_go_test_json(
        R"({"Action":"output","Package":"p1","Output":"Unit hits/op better=higher\n"}
{"Action":"output","Package":"p1","Output":"BenchmarkX 1 5 hits/op\n"}
{"Action":"output","Package":"p2","Output":"BenchmarkY 1 x hits/op\n"}
{"Action":"output","Package":"p2","Output":"Unit hits/op better=lower assume=exact\n"}
{"Action":"output","Package":"p2","Output":"BenchmarkY 1 6 hits/op\n"}
{"Action":"output","Package":"p2","Output":"BenchmarkY 0 6 hits/op\n"}
{"Action":"output","Package":"p3","Output":"Unit hits/op better=higher assume=nothing\n"}
)",
        "events.json");
    ASSERT_EQ(input.units.size(), 1u);
    EXPECT_TRUE(input.units[0].has_better);
    EXPECT_EQ(input.units[0].better, Better::higher);
    EXPECT_TRUE(input.units[0].assume_exact);
    ASSERT_EQ(input.warnings.size(), 4u);
    EXPECT_EQ(input.warnings[0].line, 3u);
    EXPECT_EQ(input.warnings[1].line, 4u);
    EXPECT_EQ(input.warnings[1].message,
              "Unit hits/op: better=lower contradicts better=higher at line 1; keeping better=higher");
    EXPECT_EQ(input.warnings[2].line, 6u);
    EXPECT_EQ(input.warnings[3].line, 7u);
    EXPECT_EQ(input.warnings[3].message,
              "Unit hits/op: assume=nothing contradicts assume=exact at line 4; keeping assume=exact");
}

// Lines in test2json's usual shape are read by a shortcut; lines that only nearly have it take
// the general path. Both must give the same events.
TEST(ParseGoTestJson, UsualShapeAndItsNearMissesReadAlike) {
    const char* usual =
        R"({"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"p","Output":"pkg: p\n"}
{"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"p","Test":"BenchmarkF","Output":"BenchmarkF-4\t10\t5 ns/op\n"}
{"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"p","Output":"BenchmarkF-4\t10\t6 ns/op\n"}
{"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"q","Output":"BenchmarkF-4\t10\t7 ns/op\n"}
)";
    const char* near =
        R"({"Time":"2026-01-01T00:00:00\u005a","Action":"output","Package":"p","Output":"pkg: p\n"}
{"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"\u0070","Test":"BenchmarkF","Output":"BenchmarkF-4\t10\t5 ns/op\n"}
{"Time":"2026-01-01T00:00:00Z","Action":"output","Package":"p","Output":"BenchmarkF-4\t10\t6 ns/op\n","Elapsed":1}
{"Time":"2026-01-01T00:00:00Z", "Action":"output","Package":"q","Output":"BenchmarkF-4\t10\t7 ns/op\n"}
)";
    const ParsedInput a = parse_go_test_json(usual, "events.json");
    const ParsedInput b = parse_go_test_json(near, "events.json");
    EXPECT_EQ(a.configs, b.configs);
    ASSERT_EQ(a.series.size(), 2u);
    ASSERT_EQ(a.series.size(), b.series.size());
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        EXPECT_EQ(a.series[i].name, b.series[i].name);
        EXPECT_EQ(a.series[i].config, b.series[i].config);
        EXPECT_EQ(a.series[i].values, b.series[i].values);
    }
    // A line that starts in the usual shape and then goes wrong is still an error.
    EXPECT_EQ(error_of("{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"x\\q\"}"),
              "events.json:1: malformed go test -json event: bad escape in string");
    EXPECT_EQ(error_of("{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"x\"} x")
                  .substr(0, 14),
              "events.json:1:");
    EXPECT_EQ(error_of("{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"x\"")
                  .substr(0, 14),
              "events.json:1:");
}

// Events of interleaved packages, and a package whose name needs escapes in JSON, each reach
// their own package whether or not the previous event had the same one.
TEST(ParseGoTestJson, PackagesAreFoundWhenEventsInterleave) {
    const char* text =
        R"({"Time":"t","Action":"output","Package":"p","Output":"pkg: p\n"}
{"Time":"t","Action":"output","Package":"a\"b","Output":"pkg: q\n"}
{"Time":"t","Action":"output","Package":"a\"b","Output":"BenchmarkF\t1\t7 ns/op\n"}
{"Time":"t","Action":"output","Package":"a\"b","Output":"BenchmarkF\t1\t8 ns/op\n"}
{"Time":"t","Action":"output","Package":"p","Output":"BenchmarkF\t1\t5 ns/op\n"}
{"Time":"t","Action":"output","Package":"pp","Output":"BenchmarkF\t1\t9 ns/op\n"}
{"Time":"t","Action":"output","Package":"p","Output":"BenchmarkF\t1\t6 ns/op\n"}
)";
    const ParsedInput input = parse_go_test_json(text, "events.json");
    ASSERT_EQ(input.series.size(), 3u);
    EXPECT_EQ(config_value(input.configs[input.series[0].config], "pkg"), "p");
    ASSERT_EQ(input.series[0].values.size(), 2u);
    EXPECT_DOUBLE_EQ(input.series[0].values[1], 6e-9);
    EXPECT_EQ(config_value(input.configs[input.series[1].config], "pkg"), "q");
    ASSERT_EQ(input.series[1].values.size(), 2u);
    EXPECT_DOUBLE_EQ(input.series[1].values[1], 8e-9);
    ASSERT_EQ(input.series[2].values.size(), 1u);
    EXPECT_DOUBLE_EQ(input.series[2].values[0], 9e-9);
}

// Output known to be ASCII skips the parser's UTF-8 check; anything else still gets it.
TEST(ParseGoTestJson, InvalidUtf8InOutputIsStillAnError) {
    EXPECT_EQ(error_of("{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkF\xff 1 2 ns/op\\n\"}"),
              "events.json:1: invalid UTF-8 in benchmark line");
    EXPECT_EQ(error_of("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkF\"}\n"
                       "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"\xc3 1 2 ns/op\\n\"}"),
              "events.json:1: invalid UTF-8 in benchmark line");
    // A \u escape's character is not ASCII, though the escape is.
    EXPECT_EQ(error_of("{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkF\\u00e9 1 2 ns/op\\n\"}"), "");
}

// Output strings are scanned a block of bytes at a time: an escape, a non-ASCII byte or an
// invalid one must be found wherever it falls in or across a block.
TEST(ParseGoTestJson, StringContentIsFoundAtEveryOffset) {
    struct Case {
        std::string json;     // as written in the Output string
        std::string decoded;  // as it must read
    };
    const std::vector<Case> cases = {{"\xc3\xa9", "\xc3\xa9"}, {"\\u00e9", "\xc3\xa9"}, {"\\\"", "\""},
                                     {"\\\\", "\\"},         {"\\/", "/"},             {"x", "x"}};
    for (std::size_t offset = 0; offset < 40; ++offset) {
        const std::string before(offset, 'a');
        for (const Case& c : cases) {
            const std::string name = "Benchmark" + before + c.decoded + "-8";
            const std::string line = "{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"Benchmark" +
                                     before + c.json + "-8\\t 100\\t 5 ns/op\\n\"}\n";
            const ParsedInput input = parse_go_test_json(line, "events.json");
            ASSERT_EQ(input.series.size(), 1u) << line;
            EXPECT_EQ(input.series[0].name, name) << line;
        }
        // A byte that is not UTF-8 is still refused: the reader must not take the text for ASCII.
        const std::string bad = "{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"Benchmark" +
                                before + "\xff-8\\t 100\\t 5 ns/op\\n\"}";
        EXPECT_EQ(error_of(bad), "events.json:1: invalid UTF-8 in benchmark line") << offset;
        // A raw control character ends the string wherever it is.
        const std::string control = "{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"Benchmark" +
                                    before + "\x01-8\\t 100\\t 5 ns/op\\n\"}";
        EXPECT_EQ(error_of(control), "events.json:1: malformed go test -json event: control character in string")
            << offset;
    }
}

// An event whose one newline ends its output is parsed without a search for the newline; the
// events around that case must still be cut into the same lines.
TEST(ParseGoTestJson, OneNewlineAtTheEndAndItsNearMisses) {
    const auto event = [](std::string_view output) {
        return "{\"Time\":\"t\",\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"" + std::string(output) + "\"}\n";
    };
    const std::string stream = event("BenchmarkA 1 5 ns/op\\n") +                // the usual case
                               event("Bench") + event("markB 1 5 ns/op\\n") +     // a line already pending
                               event("BenchmarkC 1 5 ns/op\\u000a") +           // the newline by its code point
                               event("BenchmarkD 1 5 ns/op\\nBench") +          // one newline, not at the end
                               event("markE 1 5 ns/op\\n") + event("BenchmarkF 1 5 ns/op\\n\\n") +
                               event("\\nBenchmarkG 1 5 ns/op\\n");
    const ParsedInput input = parse_go_test_json(stream, "events.json");
    for (const char* name : {"BenchmarkA", "BenchmarkB", "BenchmarkC", "BenchmarkD", "BenchmarkE", "BenchmarkF",
                             "BenchmarkG"}) {
        const Series* s = find_series(input, name, "sec/op");
        ASSERT_NE(s, nullptr) << name;
        EXPECT_EQ(s->values.size(), 1u) << name;
    }
    EXPECT_EQ(input.series.size(), 7u);
    EXPECT_TRUE(input.warnings.empty());
}

TEST(ParseGoTestJson, OutputWithoutFinalNewlineStillCounts) {
    const ParsedInput input = parse_go_test_json(
        R"({"Action":"output","Package":"p","Output":"BenchmarkF 10 5 ns/op"})", "events.json");
    EXPECT_NE(find_series(input, "BenchmarkF", "sec/op"), nullptr);
}

// The reference streams hold the same samples as their text files.
void expect_same_samples(const std::string& json_file, const std::string& text_file) {
    const ParsedInput from_json = parse_go_test_json(read_testdata(json_file), json_file);
    const ParsedInput from_text = parse_go_text(read_testdata(text_file), text_file);
    EXPECT_EQ(from_json.format, InputFormat::go_test_json);
    EXPECT_EQ(from_json.configs, from_text.configs);
    ASSERT_EQ(from_json.series.size(), from_text.series.size());
    ASSERT_FALSE(from_json.series.empty());
    for (std::size_t i = 0; i < from_json.series.size(); ++i) {
        const Series& a = from_json.series[i];
        const Series& b = from_text.series[i];
        EXPECT_EQ(a.config, b.config) << a.name;
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.unit, b.unit) << a.name;
        EXPECT_EQ(a.values, b.values) << a.name;
    }
    ASSERT_EQ(from_json.units.size(), from_text.units.size());
    for (std::size_t i = 0; i < from_json.units.size(); ++i) {
        EXPECT_EQ(from_json.units[i].unit, from_text.units[i].unit);
        EXPECT_EQ(from_json.units[i].has_better, from_text.units[i].has_better);
        EXPECT_EQ(from_json.units[i].better, from_text.units[i].better);
    }
    EXPECT_EQ(from_json.warnings.size(), from_text.warnings.size());
}

TEST(ParseGoTestJsonReal, BeforeStreamEqualsBeforeText) {
    expect_same_samples("gotestjson/before.json", "gotestjson/before.txt");
}

TEST(ParseGoTestJsonReal, AfterStreamEqualsAfterText) {
    expect_same_samples("gotestjson/after.json", "gotestjson/after.txt");
}

}  // namespace
}  // namespace ksail_benchstat
