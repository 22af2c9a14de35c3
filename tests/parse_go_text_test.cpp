// Unit tests of the Go benchmark text parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

using namespace ksail_benchstat;

TEST(ParseGoText, ConfigurationUnitsAndSamples) {
    auto parsed = parse_go_text(R"(goos: linux
goarch: amd64
pkg: example.com/a
cpu: Some CPU   
BenchmarkEncode/format=json-48   690848   1726 ns/op   12.5 MB/s   48 B/op   2 allocs/op
BenchmarkEncode/format=json-48   684861   1723 ns/op   12.0 MB/s   48 B/op   2 allocs/op
PASS
ok  	example.com/a	1.2s
)",
                                "a.txt");
    ASSERT_EQ(parsed.configs.size(), 1u);
    EXPECT_EQ(config_value(parsed.configs[0], "cpu"), "Some CPU   ");
    EXPECT_EQ(config_value(parsed.configs[0], "pkg"), "example.com/a");
    ASSERT_EQ(parsed.series.size(), 4u);
    EXPECT_EQ(parsed.series[0].name, "BenchmarkEncode/format=json-48");
    EXPECT_EQ(parsed.series[0].unit, "sec/op");
    EXPECT_DOUBLE_EQ(parsed.series[0].values[0], 1726e-9);
    EXPECT_EQ(parsed.series[1].unit, "B/s");
    EXPECT_DOUBLE_EQ(parsed.series[1].values[1], 12.0e6);
    EXPECT_EQ(parsed.series[2].unit, "B/op");
    EXPECT_EQ(parsed.series[3].unit, "allocs/op");
    EXPECT_EQ(parsed.series[3].values.size(), 2u);
    EXPECT_TRUE(parsed.warnings.empty());
}

TEST(ParseGoText, SamePackageNameInTwoPackagesIsTwoSeries) {
    auto parsed = parse_go_text("pkg: a\nBenchmarkX 1 5 ns/op\npkg: b\nBenchmarkX 1 6 ns/op\n", "f");
    ASSERT_EQ(parsed.series.size(), 2u);
    EXPECT_NE(parsed.series[0].config, parsed.series[1].config);
}

TEST(ParseGoText, MalformedLinesAreWarningsAndTheRestCounts) {
    auto parsed = parse_go_text("BenchmarkA-2 [results pending]\nBenchmarkB 10 abc ns/op\nBenchmarkC 10 5\n"
                                "BenchmarkD 10 5 ns/op\nBenchmarkE\n",
                                "f.txt");
    ASSERT_EQ(parsed.series.size(), 1u);
    EXPECT_EQ(parsed.series[0].name, "BenchmarkD");
    ASSERT_EQ(parsed.warnings.size(), 3u);
    EXPECT_EQ(parsed.warnings[0].line, 1u);
    EXPECT_NE(parsed.warnings[0].message.find("iteration count"), std::string::npos);
    EXPECT_EQ(parsed.warnings[1].line, 2u);
    EXPECT_EQ(parsed.warnings[2].line, 3u);
}

TEST(ParseGoText, EmptyValueDeletesConfigKey) {
    auto parsed = parse_go_text("note: x\nBenchmarkA 1 1 ns/op\nnote:\nBenchmarkB 1 1 ns/op\n", "f");
    ASSERT_EQ(parsed.configs.size(), 2u);
    EXPECT_EQ(config_value(parsed.configs[1], "note"), "");
}

TEST(ParseGoText, CrlfLineEnds) {
    auto parsed = parse_go_text("pkg: a\r\nBenchmarkA 1 1 ns/op\r\n", "f");
    ASSERT_EQ(parsed.series.size(), 1u);
    EXPECT_EQ(config_value(parsed.configs[0], "pkg"), "a");
    EXPECT_EQ(parsed.series[0].unit, "sec/op");
}

TEST(ParseGoText, UnitMetadata) {
    auto parsed = parse_go_text("Unit total-bytes better=higher assume=exact\nBenchmarkA 1 100 total-bytes\n", "f");
    bool found = false;
    for (const auto& u : parsed.units) {
        if (u.unit == "total-bytes") {
            found = true;
            EXPECT_TRUE(u.has_better);
            EXPECT_EQ(u.better, Better::higher);
            EXPECT_TRUE(u.assume_exact);
        }
    }
    EXPECT_TRUE(found);
}

TEST(ParseGoText, FailedRunIsAnInputErrorWithFileAndLine) {
    try {
        parse_go_text("pkg: a\nBenchmarkA 1 1 ns/op\n--- FAIL: BenchmarkB-4\nFAIL\ta\t1.0s\n", "after.txt");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("after.txt:3: ", 0), 0u) << e.what();
    }
    EXPECT_THROW(parse_go_text("FAIL\texample.com/a\t0.1s\n", "f"), InputError);
}

TEST(ParseGoText, NonFiniteValuesAreRejected) {
    auto parsed = parse_go_text("BenchmarkA 1 NaN ns/op\nBenchmarkA 1 +Inf ns/op\nBenchmarkA 1 -3 x/op\n", "f");
    ASSERT_EQ(parsed.series.size(), 1u);
    EXPECT_EQ(parsed.series[0].values[0], -3);
    EXPECT_EQ(parsed.warnings.size(), 2u);
}

// Go prints a b.ReportMetric that divided by zero as NaN or +Inf: only that value goes, the line's
// other measurements count.
TEST(ParseGoText, NonFiniteMeasurementDropsOnlyItself) {
    auto parsed = parse_go_text("BenchmarkHit-8 1000 100 ns/op 16 B/op +Inf hits/miss\n"
                                "BenchmarkHit-8 1000 101 ns/op 16 B/op 0.5 hits/miss\n"
                                "BenchmarkHit-8 1000 102 ns/op 16 B/op NaN hits/miss\n"
                                "BenchmarkAll-8 1000 NaN x/op\n"
                                "BenchmarkAll-8 1000 3 x/op\n",
                                "f.txt");
    ASSERT_EQ(parsed.series.size(), 4u);
    EXPECT_EQ(parsed.series[0].unit, "sec/op");
    ASSERT_EQ(parsed.series[0].values.size(), 3u);
    EXPECT_DOUBLE_EQ(parsed.series[0].values[1], 101e-9);
    EXPECT_EQ(parsed.series[1].unit, "B/op");
    EXPECT_EQ(parsed.series[1].values.size(), 3u);
    EXPECT_EQ(parsed.series[2].unit, "hits/miss");
    EXPECT_EQ(parsed.series[2].values.to_vector(), std::vector<double>{0.5});
    EXPECT_EQ(parsed.series[2].line, 2u);
    EXPECT_EQ(parsed.series[3].name, "BenchmarkAll-8");
    EXPECT_EQ(parsed.series[3].values.to_vector(), std::vector<double>{3});
    ASSERT_EQ(parsed.warnings.size(), 3u);
    EXPECT_EQ(parsed.warnings[0].line, 1u);
    EXPECT_EQ(parsed.warnings[0].message, "BenchmarkHit-8: measurement +Inf hits/miss dropped: not a finite number");
    EXPECT_EQ(parsed.warnings[1].line, 3u);
    EXPECT_EQ(parsed.warnings[2].line, 4u);
}

// benchfmt keeps a unit's first `better` (and `assume`) and reports a Unit line that contradicts it.
TEST(ParseGoText, ContradictoryUnitLinesKeepTheFirstWithAWarning) {
    auto parsed = parse_go_text("Unit hits/op better=higher\n"
                                "Unit hits/op better=higher\n"
                                "Unit hits/op better=lower assume=exact\n"
                                "BenchmarkX 1 5 hits/op\n"
                                "Unit hits/op assume=nothing\n"
                                "Unit ns/op better=lower\n"
                                "Unit sec/op better=higher\n",
                                "f.txt");
    const UnitInfo* hits = nullptr;
    const UnitInfo* time = nullptr;
    for (const auto& u : parsed.units) {
        if (u.unit == "hits/op") hits = &u;
        if (u.unit == "sec/op") time = &u;
    }
    ASSERT_NE(hits, nullptr);
    EXPECT_TRUE(hits->has_better);
    EXPECT_EQ(hits->better, Better::higher);
    EXPECT_TRUE(hits->assume_exact);
    ASSERT_NE(time, nullptr);
    EXPECT_EQ(time->better, Better::lower);
    ASSERT_EQ(parsed.warnings.size(), 3u);
    EXPECT_EQ(parsed.warnings[0].line, 3u);
    EXPECT_EQ(parsed.warnings[0].message,
              "Unit hits/op: better=lower contradicts better=higher at line 1; keeping better=higher");
    EXPECT_EQ(parsed.warnings[1].line, 5u);
    EXPECT_EQ(parsed.warnings[1].message,
              "Unit hits/op: assume=nothing contradicts assume=exact at line 3; keeping assume=exact");
    EXPECT_EQ(parsed.warnings[2].line, 7u);  // ns/op and sec/op are one unit
}

// An iteration count without measurements is malformed; a bare name (printed as a benchmark
// starts) is not a result line at all.
TEST(ParseGoText, CountWithoutMeasurementsIsAWarning) {
    auto parsed = parse_go_text("BenchmarkX-8 \t 1000\nBenchmarkY-8\nBenchmarkY-8 \t \nBenchmarkZ-8 1000\t\r\n"
                                "BenchmarkZ-8 1 5 ns/op\nBenchmarkZ-8 1000\n",
                                "f.txt");
    ASSERT_EQ(parsed.series.size(), 1u);
    ASSERT_EQ(parsed.warnings.size(), 3u);
    EXPECT_EQ(parsed.warnings[0].line, 1u);
    EXPECT_EQ(parsed.warnings[0].message, "BenchmarkX-8: missing measurements");
    EXPECT_EQ(parsed.warnings[1].line, 4u);
    EXPECT_EQ(parsed.warnings[2].line, 6u);  // after a line of the same benchmark
}

// Go's ParseFloat rounds a value too small for a double to zero and reports one too large as out
// of range; std::from_chars calls both out of range.
TEST(ParseGoText, OutOfRangeNumbersReadAsGoReadsThem) {
    auto parsed = parse_go_text("BenchmarkX 1 1e-400 w\n"
                                "BenchmarkX 1 1e400 w\n"
                                "BenchmarkX 1 -2e-324 w\n"
                                "BenchmarkX 1 100000e-330 w\n"
                                "BenchmarkX 1 +0.0000001e-320 w\n"
                                "BenchmarkX 1 1e-18446744073709551616 w\n"
                                "BenchmarkX 1 0.001e-306 w\n"
                                "BenchmarkX 1 1000e306 w\n"
                                "BenchmarkX 1 0.00001e309 w\n"
                                "BenchmarkX 1 1e-400x w\n"
                                "BenchmarkX 1 +-1e-400 w\n"
                                "BenchmarkX 99999999999999999999 1 w\n"
                                "BenchmarkX 1 3e-324 w\n",
                                "f.txt");
    ASSERT_EQ(parsed.series.size(), 1u);
    const std::vector<double> values = parsed.series[0].values.to_vector();
    ASSERT_EQ(values.size(), 8u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(values[i], 0.0) << i;
    EXPECT_TRUE(std::signbit(values[1]));
    EXPECT_EQ(values[5], 1e-309);
    EXPECT_EQ(values[6], 1e304);
    EXPECT_EQ(values[7], 5e-324);
    ASSERT_EQ(parsed.warnings.size(), 5u);
    EXPECT_EQ(parsed.warnings[0].line, 2u);
    EXPECT_EQ(parsed.warnings[0].message, "BenchmarkX: parsing measurement \"1e400\": value out of range");
    EXPECT_EQ(parsed.warnings[1].message, "BenchmarkX: parsing measurement \"1000e306\": value out of range");
    EXPECT_EQ(parsed.warnings[2].message, "BenchmarkX: parsing measurement \"1e-400x\": invalid syntax");
    EXPECT_EQ(parsed.warnings[3].message, "BenchmarkX: parsing measurement \"+-1e-400\": invalid syntax");
    EXPECT_EQ(parsed.warnings[4].message, "BenchmarkX: parsing iteration count: value out of range");
}

// Plain decimals take a fast path; it must give exactly the double a correctly rounding reader
// (std::from_chars) gives, including digit counts and decimal places at the edges of that path.
TEST(ParseGoText, MeasurementsAreReadExactlyAsFromChars) {
    std::vector<std::string> texts = {"0",   "-0",  "+7",  "0.1", "0.3",  "1.5", "3075.77", "007.50", "123456789012345",
                                      "1234567890123456", "0.0000000000000000000001", "1.00000000000000000000001",
                                      "9007199254740993", "1e3", "1.", ".5", "4.35", "2.675", "999999999999999.9"};
    std::uint64_t state = 12345;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t digits = state >> 11;
        const int places = static_cast<int>((state >> 3) % 23);
        std::string t = std::to_string(digits % 1000000000000000ULL);
        if (places > 0 && static_cast<std::size_t>(places) < t.size()) t.insert(t.size() - places, ".");
        texts.push_back(t);
    }
    std::string input;
    for (const auto& t : texts) input += "BenchmarkX 1 " + t + " things/op\n";
    const auto parsed = parse_go_text(input, "a.txt");
    ASSERT_EQ(parsed.series.size(), 1u);
    std::size_t read = 0;
    for (const auto& t : texts) {
        double expected = 0;
        const char* begin = t.data() + (t[0] == '+' ? 1 : 0);
        const auto [ptr, ec] = std::from_chars(begin, t.data() + t.size(), expected);
        if (ec != std::errc() || ptr != t.data() + t.size()) continue;  // not a number: a warning, no sample
        ASSERT_LT(read, parsed.series[0].values.size());
        const double got = parsed.series[0].values[read++];
        EXPECT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(expected)) << t;
    }
    EXPECT_EQ(read, parsed.series[0].values.size());
}

// A line that repeats the previous benchmark's name is read by a fast path when it also repeats
// its units; each near miss below must be read (or refused) exactly as on its own.
TEST(ParseGoText, RepeatedLinesThatOnlyLookLikeTheFastPath) {
    const std::string first = "BenchmarkA-8\t 100\t 10.5 ns/op\t 16 B/op\n";
    const std::vector<std::string> near_misses = {
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/opx\n",              // a longer unit
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/o\n",                // a shorter unit
        "BenchmarkA-8\t 100\t 11.5 ns/op16 B/op\n",                // a longer unit, then text that reads on
        "BenchmarkA-8\t 100\t 11.5 ns/op\n",                         // fewer measurements
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op\t 3 allocs/op\n",  // more measurements
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op\t 3\n",           // a value without its unit
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op \t \n",           // trailing separators
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op\r\n",             // CRLF
        "BenchmarkA-8\t 100\t 1e1 ns/op\t 16 B/op\n",                // not a plain decimal
        "BenchmarkA-8\t 100\t 11. ns/op\t 16 B/op\n",                // a dot without decimals
        "BenchmarkA-8\t 100\t 11.5ns/op\t 16 B/op\n",                // no separator after the value
        "BenchmarkA-8\t 0\t 11.5 ns/op\t 16 B/op\n",                 // zero iterations
        "BenchmarkA-8\t 000\t 11.5 ns/op\t 16 B/op\n",               // zero iterations, several digits
        "BenchmarkA-8\t 0000000000000000001\t 11.5 ns/op\t 16 B/op\n",  // 19 digits
        "BenchmarkA-8\t 100\t NaN ns/op\t 16 B/op\n",                // not finite
        "BenchmarkA-8\t 100\t -2.5 ns/op\t +16 B/op\n",              // signs
        "BenchmarkA-8\t 100\t 11.5 B/op\t 16 ns/op\n",               // the units swapped
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op2\n",              // a unit ending in a digit
        "BenchmarkA-8\t 100\t 11.5 ns/op\t 1234567890123456 B/op\n",  // 16 digits: from_chars
        "BenchmarkA-8\t 100\n",                                      // no measurement
        "BenchmarkA-8 \n",                                           // a bare name
        "BenchmarkA-8x\t 100\t 11.5 ns/op\t 16 B/op\n",              // a longer name
        "note: x\nBenchmarkA-8\t 100\t 11.5 ns/op\t 16 B/op\n",      // a new configuration
        "note: x\nBenchmarkA-8\t 100\t 1x ns/op\t 16 B/op\n",        // ... and a malformed line
    };
    for (const std::string& miss : near_misses) {
        // The same line after a different benchmark is read by the general path.
        const ParsedInput repeated = parse_go_text(first + miss + first, "f");
        const ParsedInput general = parse_go_text("BenchmarkB 1 1 x\n" + first + "BenchmarkB 1 1 x\n" + miss + first, "f");
        std::vector<std::pair<std::string, std::vector<double>>> got;
        std::vector<std::pair<std::string, std::vector<double>>> want;
        for (const Series& s : repeated.series) got.emplace_back(s.name + " " + s.unit, s.values.to_vector());
        // BenchmarkB's series only come between the others, whose order is the same.
        for (const Series& s : general.series) {
            if (s.name != "BenchmarkB") want.emplace_back(s.name + " " + s.unit, s.values.to_vector());
        }
        EXPECT_EQ(got, want) << miss;
        EXPECT_EQ(repeated.warnings.size(), general.warnings.size()) << miss;
        EXPECT_EQ(repeated.configs.size(), general.configs.size()) << miss;
        for (std::size_t i = 0; i < repeated.warnings.size() && i < general.warnings.size(); ++i) {
            EXPECT_EQ(repeated.warnings[i].message, general.warnings[i].message) << miss;
        }
    }
}

// A line in the previous line's units compares each unit with the previous line's as the words
// that end and (past eight bytes) start it, also where it ends the line, and longer units byte
// by byte: a repeated line, or one that starts another benchmark, whose unit differs from the
// previous line's in any one byte, or is one byte longer or shorter, is read as the general path
// reads it.
TEST(ParseGoText, RepeatedLineUnitsDifferingInOneByte) {
    for (std::size_t length = 1; length <= 18; ++length) {
        std::string unit;
        for (std::size_t i = 0; i < length; ++i) unit += static_cast<char>('a' + i);
        for (const bool unit_last : {false, true}) {
            for (const std::string second : {"BenchmarkA-8", "BenchmarkC-8"}) {
                const auto line = [&](const std::string& name, const std::string& u) {
                    return unit_last ? name + "\t 100\t 7 B/op\t 3 " + u + "\n" : name + "\t 100\t 3 " + u + "\t 7 B/op\n";
                };
                for (std::size_t at = 0; at <= length + 2; ++at) {
                    std::string other = unit;
                    if (at < length) {
                        other[at] = 'z';
                    } else if (at == length + 1) {
                        other += 'z';
                    } else if (at == length + 2) {
                        other.pop_back();
                        if (other.empty()) other = "z";
                    }  // else: the same unit, which the fast paths take
                    const ParsedInput fast = parse_go_text(line("BenchmarkA-8", unit) + line(second, other), "f");
                    const ParsedInput general =
                        parse_go_text(line("BenchmarkA-8", unit) + "BenchmarkB 1 1 x\n" + line(second, other), "f");
                    std::vector<std::pair<std::string, std::vector<double>>> got;
                    std::vector<std::pair<std::string, std::vector<double>>> want;
                    for (const Series& s : fast.series) got.emplace_back(s.name + " " + s.unit, s.values.to_vector());
                    for (const Series& s : general.series) {
                        if (s.name != "BenchmarkB") want.emplace_back(s.name + " " + s.unit, s.values.to_vector());
                    }
                    EXPECT_EQ(got, want) << unit << " / " << other << (unit_last ? " last " : " ") << second;
                    if (second == "BenchmarkA-8") {
                        EXPECT_EQ(got.size(), other != unit ? 3u : 2u) << unit << " / " << other;
                    }
                }
            }
        }
    }
}

// A repeated line whose text ends in a lone sign, where a value should be: the fast path must not
// read past the line (the bytes after the view below would read as "+123 ns"), and the line is
// refused as it is on its own. Found by the go_text fuzzer.
TEST(ParseGoText, RepeatedLineEndingInASignStopsAtItsEnd) {
    for (const char sign : {'+', '-'}) {
        const std::string memory = std::string("BenchmarkA 1 1 ns\nBenchmarkA 1 ") + sign + "123 ns\n";
        const std::string_view text(memory.data(), memory.find(sign) + 1);
        const ParsedInput parsed = parse_go_text(text, "f");
        ASSERT_EQ(parsed.series.size(), 1u) << sign;
        EXPECT_EQ(parsed.series[0].values.to_vector(), std::vector<double>{1e-9}) << sign;
        ASSERT_EQ(parsed.warnings.size(), 1u) << sign;
        EXPECT_EQ(parsed.warnings[0].line, 2u) << sign;
        const ParsedInput alone = parse_go_text(std::string("BenchmarkA 1 ") + sign, "f");
        ASSERT_EQ(alone.warnings.size(), 1u) << sign;
        EXPECT_EQ(parsed.warnings[0].message, alone.warnings[0].message) << sign;
    }
}

// Random near misses of a repeated line, each the input's last line with nothing after it in
// memory (a buffer of exactly the input's size, so that a sanitizer sees any read past the line):
// the fast path must read each as the general path reads the same line after another benchmark.
TEST(ParseGoText, RandomRepeatedLinesReadAsOnTheirOwn) {
    const std::string name = "BenchmarkA-8";
    const std::string first = name + "\t 100\t 10.5 ns/op\t 16 B/op\n";
    const std::string shape = "\t 100\t 11.5 ns/op\t 16 B/op";
    const std::string alphabet = "0123456789.+-eE \tnsopB/xN";
    const auto parse_exactly = [](const std::string& text) {
        const std::unique_ptr<char[]> exact(new char[text.size()]);
        std::memcpy(exact.get(), text.data(), text.size());
        return parse_go_text(std::string_view(exact.get(), text.size()), "f");
    };
    const auto series_of = [](const ParsedInput& parsed) {
        std::vector<std::pair<std::string, std::vector<double>>> all;
        for (const Series& s : parsed.series) {
            if (s.name != "BenchmarkB") all.emplace_back(s.name + " " + s.unit, s.values.to_vector());
        }
        return all;
    };
    std::mt19937_64 rng(41);
    const auto pick = [&] { return alphabet[rng() % alphabet.size()]; };
    for (int round = 0; round < 20000; ++round) {
        std::string tail;
        if (round % 2 == 0) {
            // The usual shape with one to three bytes changed, dropped or added.
            tail = shape;
            for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !tail.empty(); --edits) {
                const std::size_t at = rng() % tail.size();
                switch (rng() % 3) {
                case 0: tail[at] = pick(); break;
                case 1: tail.erase(at, 1 + rng() % 2); break;
                default: tail.insert(tail.begin() + static_cast<std::ptrdiff_t>(at), pick()); break;
                }
            }
        } else {
            tail = "\t";
            for (std::size_t n = rng() % 24; n > 0; --n) tail += pick();
        }
        const std::string line = name + tail;
        const ParsedInput repeated = parse_exactly(first + line);
        const ParsedInput general = parse_exactly("BenchmarkB 1 1 x\n" + first + "BenchmarkB 1 1 x\n" + line);
        ASSERT_EQ(series_of(repeated), series_of(general)) << line;
        ASSERT_EQ(repeated.warnings.size(), general.warnings.size()) << line;
        for (std::size_t i = 0; i < repeated.warnings.size(); ++i) {
            ASSERT_EQ(repeated.warnings[i].message, general.warnings[i].message) << line;
        }
    }
}

// Benchmark lines are checked for UTF-8 a block of bytes at a time: a non-ASCII byte must be seen
// wherever it falls, including in the line's last few bytes.
TEST(ParseGoText, Utf8IsCheckedAtEveryOffset) {
    for (std::size_t offset = 0; offset < 72; ++offset) {
        const std::string before(offset, 'a');
        for (const std::string tail : {"", " 1 2 ns/op"}) {
            const std::string good = "BenchmarkX" + before + "\xc3\xa9" + tail + "\n";
            EXPECT_NO_THROW(parse_go_text(good, "f")) << offset;
            const std::string bad = "BenchmarkX" + before + "\xff" + tail + "\n";
            EXPECT_THROW(parse_go_text(bad, "f"), InputError) << offset << tail;
            const std::string cut = "BenchmarkX" + before + "\xc3" + tail + "\n";  // a sequence cut short
            EXPECT_THROW(parse_go_text(cut, "f"), InputError) << offset << tail;
        }
    }
}

namespace {

// Everything a parse gives that the tests below compare: each series with its first line, and
// each warning with its line.
std::vector<std::string> describe(const ParsedInput& parsed) {
    std::vector<std::string> all;
    for (const Series& s : parsed.series) {
        std::string text = s.name + " " + s.unit + " @" + std::to_string(s.line) + " config " + std::to_string(s.config);
        for (const double v : s.values) text += " " + std::to_string(std::bit_cast<std::uint64_t>(v));
        all.push_back(text);
    }
    for (const Diagnostic& w : parsed.warnings) all.push_back(std::to_string(w.line) + ": " + w.message);
    all.push_back(std::to_string(parsed.configs.size()) + " configurations");
    return all;
}

}  // namespace

// A line of the previous line's shape (the same bytes but for the digits of its numbers) is read
// by comparing it with that line eight bytes at a time. Random lines near the shape of two lines
// before them, whose digits, bytes or length differ, must read as the same line after another
// benchmark; so must the line after them, whose shape may or may not be the one learned.
TEST(ParseGoText, LinesOfThePreviousShapeReadAsOnTheirOwn) {
    const std::string name = "BenchmarkA-8";
    const std::string shape = "\t  123456\t      3075.77 ns/op\t    1215 B/op\t      15 allocs/op";
    const std::string first = name + shape + "\n";
    // With ':' and '?', whose upper four bits are a digit's.
    const std::string alphabet = "0123456789.+-eE \tnsopB/xN\r:?";
    const auto parse_exactly = [](const std::string& text) {
        const std::unique_ptr<char[]> exact(new char[text.size()]);
        std::memcpy(exact.get(), text.data(), text.size());
        return parse_go_text(std::string_view(exact.get(), text.size()), "f");
    };
    const auto without_b = [](const ParsedInput& parsed) {
        std::vector<std::pair<std::string, std::vector<double>>> all;
        for (const Series& s : parsed.series) {
            if (s.name != "BenchmarkB") all.emplace_back(s.name + " " + s.unit, s.values.to_vector());
        }
        return all;
    };
    std::mt19937_64 rng(18);
    const auto pick = [&] { return alphabet[rng() % alphabet.size()]; };
    for (int round = 0; round < 20000; ++round) {
        std::string tail = shape;
        switch (round % 3) {
        case 0:
            // Other digits where the shape has digits: the line keeps the shape.
            for (int edits = 1 + static_cast<int>(rng() % 6); edits > 0; --edits) {
                const std::size_t at = rng() % tail.size();
                if (tail[at] >= '0' && tail[at] <= '9') tail[at] = static_cast<char>('0' + rng() % 10);
            }
            // Now and then an iteration count of zeros, which is refused.
            if (rng() % 8 == 0) tail.replace(shape.find("123456"), 6, "000000");
            break;
        case 1:
            // Other bytes anywhere, the length kept.
            for (int edits = 1 + static_cast<int>(rng() % 2); edits > 0; --edits) tail[rng() % tail.size()] = pick();
            break;
        default:
            // A byte changed, dropped or added.
            const std::size_t at = rng() % tail.size();
            switch (rng() % 3) {
            case 0: tail[at] = pick(); break;
            case 1: tail.erase(at, 1); break;
            default: tail.insert(tail.begin() + static_cast<std::ptrdiff_t>(at), pick()); break;
            }
        }
        const std::string line = name + tail + "\n";
        // The line last in memory, or followed by a line of the first line's shape.
        for (const bool last : {true, false}) {
            const std::string after = last ? "" : first;
            const ParsedInput repeated = parse_exactly(first + first + line + after);
            const ParsedInput general = parse_exactly("BenchmarkB 1 1 x\n" + first + "BenchmarkB 1 1 x\n" + first +
                                                      "BenchmarkB 1 1 x\n" + line + "BenchmarkB 1 1 x\n" + after);
            ASSERT_EQ(without_b(repeated), without_b(general)) << line;
            ASSERT_EQ(repeated.warnings.size(), general.warnings.size()) << line;
            for (std::size_t i = 0; i < repeated.warnings.size(); ++i) {
                ASSERT_EQ(repeated.warnings[i].message, general.warnings[i].message) << line;
                ASSERT_EQ(repeated.warnings[i].line, 3u) << line;
            }
        }
    }
}

// add_lines reads a text's complete lines as add_line reads them one by one, wherever the text is
// cut: benchmarks repeated in one shape, in a shape that changes, with configuration lines, Unit
// lines, malformed lines and CRLF ends in between.
TEST(ParseGoText, AddLinesReadsAsAddLine) {
    std::mt19937_64 rng(7);
    std::string text;
    for (int benchmark = 0; benchmark < 300; ++benchmark) {
        if (rng() % 10 == 0) text += "pkg: p" + std::to_string(rng() % 3) + "\n";
        const std::string name = "BenchmarkX" + std::to_string(benchmark % 40) + "/n=" + std::to_string(rng() % 1000) + "-8";
        const int width = 6 + static_cast<int>(rng() % 3);
        for (int run = 0; run < 10; ++run) {
            std::string iterations = std::to_string(1 + rng() % 2000000);
            if (iterations.size() < static_cast<std::size_t>(width)) iterations.insert(0, width - iterations.size(), ' ');
            std::string value = std::to_string(rng() % 100000) + "." + std::to_string(10 + rng() % 90);
            if (value.size() < 12) value.insert(0, 12 - value.size(), ' ');
            std::string line = name + "\t" + iterations + "\t" + value + " ns/op\t" + std::to_string(rng() % 3000) + " B/op";
            switch (rng() % 40) {
            case 0: line += "\t-3 widgets"; break;
            case 1: line = name + "\t" + iterations + "\t1e400 ns/op"; break;
            case 2: line += "\r"; break;
            case 3: line = "Unit ns/op assume=exact"; break;
            case 4: line = name + "\t0\t5 ns/op"; break;
            case 5: line = "note: run " + std::to_string(run); break;
            default: break;
            }
            text += line + "\n";
        }
    }
    text += "BenchmarkLast\t 1\t 2 ns/op";  // no newline at the end
    GoTextParser one_by_one("f");
    std::size_t line_no = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        one_by_one.add_line(std::string_view(text).substr(pos, end - pos), ++line_no);
        pos = end + 1;
    }
    const std::vector<std::string> want = describe(one_by_one.finish());
    for (int cuts = 0; cuts < 20; ++cuts) {
        GoTextParser parser("f");
        std::size_t line = 0;
        std::size_t pos = 0;
        while (pos < text.size()) {
            // Blocks of random lengths, each read up to its last newline, as a stream reads them;
            // a block too short to hold a whole line reads nothing and another length is tried.
            const std::size_t block_end = std::min(text.size(), pos + 1 + rng() % 5000);
            const std::size_t read = parser.add_lines(std::string_view(text).substr(pos, block_end - pos), line);
            if (read == 0 && block_end == text.size()) break;
            pos += read;
        }
        if (pos < text.size()) parser.add_line(std::string_view(text).substr(pos), ++line);
        EXPECT_EQ(describe(parser.finish()), want) << cuts;
    }
    EXPECT_EQ(describe(parse_go_text(text, "f")), want);
}

namespace {

// What a parse gives but for BenchmarkB's series (which tests put between lines to keep them off
// the path for repeated lines), or the message of the error it throws, without the line number.
std::vector<std::string> describe_without_b(std::string_view text) {
    std::vector<std::string> all;
    try {
        const ParsedInput parsed = parse_go_text(text, "f");
        for (const Series& s : parsed.series) {
            if (s.name == "BenchmarkB") continue;
            std::string line = s.name + " " + s.unit + " config " + std::to_string(s.config);
            for (const double v : s.values) line += " " + std::to_string(std::bit_cast<std::uint64_t>(v));
            all.push_back(line);
        }
        for (const Diagnostic& w : parsed.warnings) all.push_back(w.message);
    } catch (const InputError& e) {
        // Without its line number, which differs where lines are put between.
        const std::string message = e.what();
        all.push_back("error: " + message.substr(message.find(": ") + 2));
    }
    return all;
}

// Whether `line` after two lines `first` reads as it does after another benchmark, where `first`
// leaves no shape to compare it with.
void expect_read_as_on_its_own(const std::string& first, const std::string& line) {
    const std::string b = "BenchmarkB 1 1 x\n";
    EXPECT_EQ(describe_without_b(first + first + line), describe_without_b(b + first + b + first + b + line))
        << first << line;
}

}  // namespace

// A line of the previous line's shape is compared with it sixteen bytes at a time. Each byte of
// such a line is replaced in turn by bytes of every kind: digits; the bytes on either side of the
// digits, '/' and ':' (0x2F and 0x3A); a '.'; a separator; a letter; bytes whose low seven bits
// are a digit's (0xB0, 0xB9). The names have every length from nothing after "Benchmark" to
// sixteen bytes more, so that the numbers fall at every offset of a block, across the boundary of
// two blocks and on the last block, which overlaps the one before; the short shape gives lines of
// fewer than sixteen bytes. Each line reads as the same line after another benchmark.
TEST(ParseGoText, LinesOfThePreviousShapeDifferingInOneByte) {
    const std::vector<std::string> shapes = {" 1 5 x", " 2 3.5 x", "\t 100\t 12.5 ns/op\t 7 B/op",
                                             "\t  123456\t      3075.77 ns/op\t    1215 B/op\t      15 allocs/op"};
    const std::string replacements = "0159/:.\t xB\xb0\xb9";
    for (std::size_t extra = 0; extra <= 16; ++extra) {
        const std::string name = "Benchmark" + std::string(extra, 'N');
        for (const std::string& shape : shapes) {
            const std::string first = name + shape + "\n";
            for (std::size_t at = 0; at + 1 < first.size(); ++at) {
                for (const char c : replacements) {
                    std::string line = first;
                    line[at] = c;
                    expect_read_as_on_its_own(first, line);
                }
            }
        }
    }
}

// Lines of up to 256 bytes are compared with the previous line's shape, longer ones are not: a
// line on either side of that length, with a digit changed or a byte of its name, reads as on its
// own.
TEST(ParseGoText, LongLinesOfThePreviousShape) {
    const std::string shape = "\t 100\t 12.5 ns/op\t 7 B/op";
    for (std::size_t size = 250; size <= 260; ++size) {
        const std::string name = "Benchmark" + std::string(size - shape.size() - 9, 'N');
        const std::string first = name + shape + "\n";
        ASSERT_EQ(first.size(), size + 1);
        std::string other_digit = first;
        other_digit[first.size() - 9] = '3';  // the 7 of "7 B/op"
        std::string other_name = first;
        other_name[20] = 'M';
        expect_read_as_on_its_own(first, first);
        expect_read_as_on_its_own(first, other_digit);
        expect_read_as_on_its_own(first, other_name);
    }
}

// Measurements of one to fifteen digits, with a '.' after any of them or none, in lines of the
// previous line's shape: a number of up to eight bytes is read from the word that ends with it, a
// longer one from two words, with the '.' in either, or at their boundary. The names shift the
// numbers to every offset of a word. Each value is bit for bit what from_chars reads.
TEST(ParseGoText, LinesOfThePreviousShapeReadEveryNumberExactly) {
    std::mt19937_64 rng(5);
    const auto random_number = [&rng](std::size_t digits, std::size_t dot) {
        std::string number;
        for (std::size_t d = 0; d < digits; ++d) number += static_cast<char>('0' + rng() % 10);
        if (dot > 0) number.insert(dot, ".");
        return number;
    };
    const auto from_chars = [](const std::string& number) {
        double value = 0;
        std::from_chars(number.data(), number.data() + number.size(), value);
        return std::bit_cast<std::uint64_t>(value);
    };
    for (std::size_t extra = 0; extra < 8; ++extra) {
        const std::string name = "Benchmark" + std::string(extra, 'N');
        for (std::size_t digits = 1; digits <= 15; ++digits) {
            for (std::size_t dot = 0; dot < digits; ++dot) {  // 0: no '.', else after as many digits
                std::string input;
                std::vector<std::string> firsts;
                std::vector<std::string> seconds;
                for (int run = 0; run < 4; ++run) {
                    firsts.push_back(random_number(digits, dot));
                    seconds.push_back(random_number(digits, dot));
                    input += name + "\t 100\t " + firsts.back() + " x/op\t " + seconds.back() + " y/op\n";
                }
                const ParsedInput parsed = parse_go_text(input, "f");
                ASSERT_EQ(parsed.series.size(), 2u) << input;
                ASSERT_EQ(parsed.series[0].values.size(), firsts.size()) << input;
                ASSERT_EQ(parsed.series[1].values.size(), seconds.size()) << input;
                for (std::size_t run = 0; run < firsts.size(); ++run) {
                    EXPECT_EQ(std::bit_cast<std::uint64_t>(parsed.series[0].values[run]), from_chars(firsts[run]))
                        << firsts[run];
                    EXPECT_EQ(std::bit_cast<std::uint64_t>(parsed.series[1].values[run]), from_chars(seconds[run]))
                        << seconds[run];
                }
            }
        }
    }
}

// The word-at-a-time helpers of the layout check where SSE2 is missing: bytes_above marks exactly
// the bytes above their limits, whatever the bytes around them (the others' limit here is 0x7F,
// so they are marked when their high bit is set); word_mask covers exactly its bytes.
TEST(ParseGoText, ByteWordHelpers) {
    for (unsigned value = 0; value < 256; ++value) {
        for (const unsigned limit : {0u, 9u, 0x7Fu}) {
            for (std::size_t at = 0; at < 8; ++at) {
                for (const unsigned around : {0x00u, 0x7Fu, 0x80u, 0xFFu}) {
                    unsigned char values[8];
                    unsigned char limits[8];
                    std::memset(values, static_cast<int>(around), 8);
                    std::memset(limits, 0x7F, 8);
                    values[at] = static_cast<unsigned char>(value);
                    limits[at] = static_cast<unsigned char>(limit);
                    std::uint64_t word = 0;
                    std::uint64_t limit_word = 0;
                    std::memcpy(&word, values, 8);
                    std::memcpy(&limit_word, limits, 8);
                    const std::uint64_t marked = bytes_above(word, limit_word);
                    unsigned char marks[8];
                    std::memcpy(marks, &marked, 8);
                    for (std::size_t i = 0; i < 8; ++i) {
                        const bool above = values[i] > limits[i];
                        EXPECT_EQ(marks[i], above ? 0x80 : 0x00) << value << " " << limit << " " << at << " " << around;
                    }
                }
            }
        }
    }
    for (std::size_t from = 0; from <= 8; ++from) {
        for (std::size_t to = from; to <= 8; ++to) {
            const std::uint64_t mask = word_mask(from, to);
            unsigned char bytes[8];
            std::memcpy(bytes, &mask, 8);
            for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(bytes[i], i >= from && i < to ? 0xFF : 0x00) << from << to;
        }
    }
}

// Fields are split eight bytes at a time: a name of any length, with a control byte that is not a
// separator (0x01, 0x08, 0x0E, 0x1F) or a byte of 0x21 or above at any place, ends at the first
// separator of any kind, and so does each unit.
TEST(ParseGoText, FieldsEndAtTheFirstSeparatorWhereverItFalls) {
    const std::string separators = " \t\v\f\r";
    for (std::size_t extra = 0; extra <= 20; ++extra) {
        for (std::size_t at = 0; at <= extra; ++at) {
            for (const char odd : {'\x01', '\x08', '\x0e', '\x1f', '!', 'x'}) {
                std::string name = "Benchmark" + std::string(extra, 'N');
                if (at < extra) name[9 + at] = odd;
                for (const char separator : separators) {
                    const std::string unit = name.substr(9) + "u";
                    const std::string line = name + separator + "1" + separator + "5 " + unit + separator + "6 B/op\n";
                    const ParsedInput parsed = parse_go_text(line, "f");
                    ASSERT_EQ(parsed.series.size(), 2u) << line;
                    EXPECT_EQ(parsed.series[0].name, name) << line;
                    EXPECT_EQ(parsed.series[0].unit, unit) << line;
                    EXPECT_EQ(parsed.series[1].unit, "B/op") << line;
                    EXPECT_TRUE(parsed.warnings.empty()) << line;
                }
            }
        }
    }
}

// Lines of the previous line's shape are read into the samples the shape points to; room reserved
// for more series between them (which moves the series) leaves every value where it belongs.
TEST(ParseGoText, RoomReservedBetweenLinesOfOneShape) {
    const std::string line = "BenchmarkA-8\t  123456\t      3075.77 ns/op\t    1215 B/op\n";
    GoTextParser parser("f");
    std::size_t line_no = 0;
    const std::string two = line + line;
    ASSERT_EQ(parser.add_lines(two, line_no), two.size());
    parser.expect_bytes(std::size_t{1} << 24);
    ASSERT_EQ(parser.add_lines(two, line_no), two.size());
    EXPECT_EQ(describe(parser.finish()), describe(parse_go_text(two + two, "f")));
}

// A change of configuration drops the shape of the previous line: lines of that shape after a
// configuration line, or after reset_config, belong to the configuration they follow, also when
// it changes back.
TEST(ParseGoText, LinesOfThePreviousShapeAfterAConfigurationChange) {
    const std::string line = "BenchmarkA-8\t  123456\t      3075.77 ns/op\t    1215 B/op\n";
    const std::string b = "BenchmarkB 1 1 x\n";
    for (const std::string change : {"note: x\n", "note: x\nnote:\n", "pkg: p\n", "note: y\nnote: z\n"}) {
        const std::string text = "note: w\n" + line + line + change + line + line + "note: w\n" + line;
        const std::string apart = "note: w\n" + b + line + b + line + change + b + line + b + line + "note: w\n" + b + line;
        EXPECT_EQ(describe_without_b(text), describe_without_b(apart)) << change;
    }
    const auto parse_in_two = [&line](const std::string& between) {
        GoTextParser parser("f");
        std::size_t line_no = 0;
        const std::string first = "pkg: p\n" + line + line;
        const std::string second = between + line + line;
        parser.add_lines(first, line_no);
        parser.reset_config();
        parser.add_lines(second, line_no);
        return describe(parser.finish());
    };
    // An empty line in place of the configuration line that clears `pkg`, so that lines have the
    // same numbers.
    EXPECT_EQ(parse_in_two("\n"), describe(parse_go_text("pkg: p\n" + line + line + "pkg:\n" + line + line, "f")));
    EXPECT_EQ(parse_in_two("\npkg: p\n"), describe(parse_go_text("pkg: p\n" + line + line + "pkg:\npkg: p\n" + line + line, "f")));
}

// A line that starts another benchmark in the previous line's units takes their tidied forms
// from that line: its series are the new benchmark's own, one for each tidied unit, and a
// benchmark that comes back finds its series again.
TEST(ParseGoText, NewBenchmarkInThePreviousUnits) {
    const ParsedInput parsed = parse_go_text("BenchmarkA 1 1 ns/op 2 sec/op 3 B/op\n"
                                             "BenchmarkC 1 4 ns/op 5 sec/op 6 B/op\n"
                                             "BenchmarkA 1 7 ns/op 8 sec/op 9 B/op\n",
                                             "f");
    ASSERT_EQ(parsed.series.size(), 4u);
    EXPECT_EQ(parsed.series[2].name, "BenchmarkC");
    EXPECT_EQ(parsed.series[2].unit, "sec/op");
    ASSERT_EQ(parsed.series[2].values.size(), 2u);
    EXPECT_DOUBLE_EQ(parsed.series[2].values[0], 4e-9);
    EXPECT_DOUBLE_EQ(parsed.series[2].values[1], 5);
    EXPECT_EQ(parsed.series[2].line, 2u);
    EXPECT_EQ(parsed.series[3].name, "BenchmarkC");
    EXPECT_EQ(parsed.series[3].unit, "B/op");
    EXPECT_EQ(parsed.series[3].values, (std::vector<double>{6}));
    ASSERT_EQ(parsed.series[0].values.size(), 4u);
    EXPECT_DOUBLE_EQ(parsed.series[0].values[2], 7e-9);
    EXPECT_DOUBLE_EQ(parsed.series[0].values[3], 8);
    EXPECT_EQ(parsed.series[1].values, (std::vector<double>{3, 9}));
    ASSERT_EQ(parsed.units.size(), 2u);
    EXPECT_TRUE(parsed.warnings.empty());
}

namespace {

// As describe_without_b, but each series with its configuration's content rather than its index:
// the lines put between register the configuration they follow, where a malformed line may not.
std::vector<std::string> describe_configs_without_b(std::string_view text) {
    std::vector<std::string> all;
    const ParsedInput parsed = parse_go_text(text, "f");
    for (const Series& s : parsed.series) {
        if (s.name == "BenchmarkB") continue;
        std::string line = s.name + " " + s.unit + " config";
        for (const auto& [key, value] : parsed.configs[s.config]) line += " " + key + "=" + value;
        for (const double v : s.values) line += " " + std::to_string(std::bit_cast<std::uint64_t>(v));
        all.push_back(line);
    }
    for (const Diagnostic& w : parsed.warnings) all.push_back(w.message);
    return all;
}

}  // namespace

// Random runs of benchmark lines whose units change from one benchmark to the next, are
// reordered, gain or lose one, repeat or tidy alike, with benchmarks that come back, bare names,
// configuration lines and numbers that are not plain between, read as they do with a line of
// other units before each (which keeps every line off the paths for lines in the previous
// line's units or shape).
TEST(ParseGoText, NewBenchmarksInThePreviousUnitsReadAsOnTheirOwn) {
    std::vector<std::string> many_units;
    for (int i = 0; i < 17; ++i) many_units.push_back("u" + std::to_string(i));
    const std::vector<std::vector<std::string>> unit_lists = {
        {"ns/op", "B/op", "allocs/op"}, {"ns/op", "B/op", "allocs/op"}, {"ns/op", "B/op"},
        {"B/op", "ns/op", "allocs/op"}, {"ns/op", "B/op", "allocs/op", "MB/s"}, {"ns/op", "sec/op"},
        {"ns/op", "ns/op"}, {"ns/op", "B/op", "ns/op"}, {"allocs/op"}, many_units};
    const std::vector<std::string> odd_numbers = {"0", "-3", "+4.5", "1e3", "12345678901234567", "0.000001",
                                                  "NaN", "7.", "-0", "+Inf", "1_000"};
    std::mt19937_64 rng(29);
    for (int round = 0; round < 400; ++round) {
        std::string text;
        std::string apart;
        const std::vector<std::string>* units = &unit_lists[0];
        for (int n = 0; n < 40; ++n) {
            if (rng() % 12 == 0) {
                const std::string change = "note: " + std::to_string(rng() % 2) + "\n";
                text += change;
                apart += change;
            }
            if (rng() % 4 == 0) units = &unit_lists[rng() % unit_lists.size()];
            std::string line = "BenchmarkN" + std::to_string(rng() % 6) + "-8";
            if (rng() % 30 != 0) {
                line += "\t" + (rng() % 30 == 0 ? odd_numbers[rng() % odd_numbers.size()]
                                                : std::to_string(1 + rng() % 100000));
                for (const std::string& unit : *units) {
                    line += std::string(1 + rng() % 4, rng() % 2 == 0 ? ' ' : '\t');
                    line += rng() % 15 == 0 ? odd_numbers[rng() % odd_numbers.size()]
                                            : std::to_string(rng() % 100000) + "." + std::to_string(rng() % 100);
                    line += " " + unit;
                }
                if (rng() % 30 == 0) line += " ";
            }
            text += line + "\n";
            apart += "BenchmarkB 1 1 x\n" + line + "\n";
        }
        ASSERT_EQ(describe_configs_without_b(text), describe_configs_without_b(apart)) << text;
    }
}
