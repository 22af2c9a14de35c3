// Tests for projection parsing, key orders and the exclusions between projections.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/projection.hpp"

namespace ksail_benchstat {
namespace {

std::string error_of(std::string_view text) {
    try {
        parse_projection(text, "--col");
    } catch (const UsageError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Projection, ParsesKeysOrdersAndFixedLists) {
    auto fields = parse_projection("/text,/size@num .name@alpha /format@(gob json)", "--row");
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0].key, "/text");
    EXPECT_EQ(fields[0].order, KeyOrder::first);
    EXPECT_EQ(fields[1].order, KeyOrder::num);
    EXPECT_EQ(fields[2].order, KeyOrder::alpha);
    EXPECT_EQ(fields[3].order, KeyOrder::fixed);
    EXPECT_EQ(fields[3].fixed, (std::vector<std::string>{"gob", "json"}));
    EXPECT_TRUE(parse_projection("", "--ignore").empty());
}

TEST(Projection, Errors) {
    EXPECT_EQ(error_of(".unit"), "--col: syntax error: .unit is only allowed in filters at column 1 of \".unit\"");
    EXPECT_EQ(error_of("/x@bogus"), "--col: syntax error: unknown order \"bogus\" at column 4 of \"/x@bogus\"");
    EXPECT_EQ(error_of(".config@(a)"), "--col: syntax error: fixed order not allowed for .config at column 9 of \".config@(a)\"");
    EXPECT_EQ(error_of("/x@()"), "--col: syntax error: nothing to match at column 5 of \"/x@()\"");
    EXPECT_EQ(error_of("/x@(a"), "--col: syntax error: missing ) at column 6 of \"/x@(a\"");
}

// Strings built from the syntax's pieces either parse or are a UsageError.
TEST(Projection, ArbitraryPiecesParseOrFailCleanly) {
    const char* const pieces[] = {"(", ")", "@", ",", " ", "\"", ".config", ".unit", "/x", "alpha", "num", "a", "-"};
    const std::size_t n = sizeof pieces / sizeof pieces[0];
    std::uint32_t state = 777;
    std::size_t parsed = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const std::size_t length = 1 + round % 7;
        for (std::size_t i = 0; i < length; ++i) {
            state = state * 1664525u + 1013904223u;
            text += pieces[(state >> 16) % n];
        }
        try {
            parse_projection(text, "--row");
            ++parsed;
        } catch (const UsageError&) {
        }
    }
    EXPECT_GT(parsed, 100u);
}

TEST(Projection, NumericOrderUnderstandsPrefixes) {
    EXPECT_LT(compare_num("100K", "1M"), 0);
    EXPECT_LT(compare_num("1k", "1Ki"), 0);
    EXPECT_GT(compare_num("50M", "5M"), 0);
    EXPECT_LT(compare_num("7", "abc"), 0);  // numbers before words
    EXPECT_EQ(compare_num("abc", "xyz"), 0);
}

TEST(ProjectionSet, SpecificKeysLeaveConfigAndFullname) {
    ProjectionSet set = ProjectionSet::parse(".config", ".name", "/format,goos", "note");
    EXPECT_FALSE(set.in_config("goos"));
    EXPECT_FALSE(set.in_config("note"));
    EXPECT_TRUE(set.in_config("pkg"));
    EXPECT_EQ(set.fullname("Encode/format=json-48"), "*-48");
    EXPECT_FALSE(set.columns_are_inputs());
    EXPECT_FALSE(set.rows_are_names());
    // .fullname is not projected, so it is what the residue watches.
    ASSERT_EQ(set.residue().size(), 1u);
    EXPECT_EQ(set.residue()[0].key, ".fullname");

    ProjectionSet defaults;
    EXPECT_TRUE(defaults.columns_are_inputs());
    EXPECT_TRUE(defaults.rows_are_names());
    EXPECT_TRUE(defaults.residue().empty());
}

TEST(KeyMaker, ConfigExpandsAndOrdersAsStrings) {
    const Config a = {{"goos", "linux"}, {"pkg", "zeta"}};
    const Config b = {{"goos", "linux"}, {"pkg", "alpha"}, {"cpu", "x"}};
    ProjectionSet set;
    KeyMaker maker(set.table(), set);
    Observation oa{"f", "X", &a, "sec/op"};
    Observation ob{"f", "X", &b, "sec/op"};
    maker.learn(oa);
    maker.learn(ob);
    EXPECT_EQ(maker.names(), (std::vector<std::string>{"goos", "pkg", "cpu"}));
    auto ka = maker.project(oa);
    auto kb = maker.project(ob);
    EXPECT_EQ(ka, (std::vector<std::string>{"linux", "zeta", ""}));
    maker.observe(ka);
    maker.observe(kb);
    EXPECT_TRUE(maker.less(kb, ka));  // "alpha" < "zeta" although zeta came first
}

TEST(KeyMaker, FirstObservationAndFixedOrders) {
    ProjectionSet set = ProjectionSet::parse(".config", "/size", "/format@(gob json)", "");
    const Config none;
    Observation json{"f", "E/format=json/size=9", &none, "sec/op"};
    Observation gob{"f", "E/format=gob/size=1", &none, "sec/op"};
    Observation xml{"f", "E/format=xml/size=1", &none, "sec/op"};
    EXPECT_TRUE(set.passes_fixed_orders(json));
    EXPECT_FALSE(set.passes_fixed_orders(xml));

    KeyMaker rows(set.row(), set);
    KeyMaker cols(set.col(), set);
    auto r9 = rows.project(json);
    auto r1 = rows.project(gob);
    rows.observe(r9);
    rows.observe(r1);
    EXPECT_TRUE(rows.less(r9, r1));  // first observed first, not numeric
    EXPECT_TRUE(cols.less(cols.project(gob), cols.project(json)));
}

}  // namespace
}  // namespace ksail_benchstat

namespace ksail_benchstat {
namespace {

// Two formats of one encoder, twice each, in one Go text input.
constexpr const char* k_encode = R"(goos: linux
pkg: example.com/enc
BenchmarkEncode/format=json-8 1 100 ns/op
BenchmarkEncode/format=json-8 1 101 ns/op
BenchmarkEncode/format=gob-8 1 300 ns/op
BenchmarkEncode/format=gob-8 1 301 ns/op
BenchmarkDecode/format=json-8 1 50 ns/op
)";

Report compare_one(const std::string& table, const std::string& row, const std::string& col,
                   const std::string& ignore = "", const std::string& filter = "*") {
    std::vector<InputFile> inputs(1);
    inputs[0].label = inputs[0].path = "enc.txt";
    inputs[0].parsed = parse_input(k_encode, "enc.txt");
    CompareOptions options;
    options.filter = Filter::parse(filter);
    options.projections = ProjectionSet::parse(table, row, col, ignore);
    return compare(std::move(inputs), options);
}

TEST(CompareProjected, ColumnsFromASubkey) {
    Report report = compare_one(".config", ".fullname", "/format");
    EXPECT_FALSE(report.columns_are_inputs);
    ASSERT_EQ(report.columns.size(), 2u);
    EXPECT_EQ(report.columns[0].label, "json");
    EXPECT_FALSE(report.columns[0].input.has_value());
    ASSERT_EQ(report.tables.size(), 1u);
    const Table& t = report.tables[0];
    EXPECT_EQ(t.columns, (std::vector<std::size_t>{0, 1}));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0].display(), "Encode-8");  // /format left the name
    EXPECT_EQ(t.rows[1].display(), "Decode-8");
    ASSERT_TRUE(t.rows[0].comparisons[1] != nullptr);
    EXPECT_EQ(t.rows[0].comparisons[1]->baseline, 0u);
    EXPECT_EQ(t.rows[0].cells[1]->summary.n, 2u);
    EXPECT_FALSE(t.rows[1].cells[1].has_value());  // Decode has no gob
}

TEST(CompareProjected, PooledCellsWarnAboutHiddenKeys) {
    Report report = compare_one(".config", ".name", ".file");
    ASSERT_EQ(report.tables.size(), 1u);
    const Row& encode = report.tables[0].rows[0];
    EXPECT_EQ(encode.display(), "Encode");
    EXPECT_EQ(encode.cells[0]->summary.n, 4u);
    ASSERT_FALSE(encode.cells[0]->warnings.empty());
    EXPECT_EQ(encode.cells[0]->warnings[0], "benchmarks vary in .fullname");

    Report ignored = compare_one(".config", ".name", ".file", ".fullname");
    for (const auto& w : ignored.tables[0].rows[0].cells[0]->warnings) EXPECT_NE(w, "benchmarks vary in .fullname");
}

TEST(CompareProjected, TablesByKeyAndFilter) {
    Report report = compare_one("/format", ".name", ".file", "", ".name:Encode");
    ASSERT_EQ(report.tables.size(), 2u);
    EXPECT_EQ(report.tables[0].config, (Config{{"/format", "json"}}));
    EXPECT_EQ(report.tables[1].config, (Config{{"/format", "gob"}}));
    ASSERT_EQ(report.tables[0].rows.size(), 1u);  // Decode was filtered out
    EXPECT_EQ(report.tables[0].rows[0].display(), "Encode");
}

// Short names live inside their strings; filtering moves them, and every row must keep its own.
TEST(CompareProjected, FilteringKeepsShortNamesIntact) {
    std::vector<InputFile> inputs(1);
    inputs[0].label = inputs[0].path = "x.txt";
    inputs[0].parsed = parse_input("BenchmarkX1 1 1 ns/op\nBenchmarkX2 1 2 ns/op\nBenchmarkX3 1 3 ns/op\n", "x.txt");
    CompareOptions options;
    options.filter = Filter::parse("-.fullname:X1");
    Report report = compare(std::move(inputs), options);
    ASSERT_EQ(report.tables.size(), 1u);
    const auto& rows = report.tables[0].rows;
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].display(), "X2");
    EXPECT_EQ(rows[0].cells[0]->summary.center, 2e-9);
    EXPECT_EQ(rows[1].display(), "X3");
}

TEST(CompareProjected, FixedOrderChoosesTheBaselineAndFilters) {
    Report report = compare_one(".config", ".name", "/format@(gob json)");
    ASSERT_EQ(report.columns.size(), 2u);
    EXPECT_EQ(report.columns[0].label, "gob");
    EXPECT_EQ(report.columns[1].label, "json");
    Report only_gob = compare_one(".config", ".name", "/format@(gob)");
    ASSERT_EQ(only_gob.columns.size(), 1u);
    ASSERT_EQ(only_gob.tables[0].rows.size(), 1u);  // Decode has no gob result
}

}  // namespace
}  // namespace ksail_benchstat
