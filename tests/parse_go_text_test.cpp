// Unit tests of the Go benchmark text parser.
#include <gtest/gtest.h>

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
