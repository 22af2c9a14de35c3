// Tests for benchmark keys and the filter expression language.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/filter.hpp"

namespace ksail_benchstat {
namespace {

const Config k_config = {{"goos", "linux"}, {"goarch", "amd64"}, {"pkg", "example.com/x"}};

Observation obs(std::string_view fullname, std::string_view unit = "sec/op", std::string_view file = "new.txt") {
    Observation o;
    o.file = file;
    o.fullname = fullname;
    o.config = &k_config;
    o.unit = unit;
    return o;
}

std::string error_of(std::string_view expr) {
    try {
        Filter::parse(expr);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Keys, NamePartsSplitSubkeysAndGomaxprocs) {
    auto parts = name_parts("Encode/format=json-48");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0], "/format=json");
    EXPECT_EQ(parts[1], "-48");
    EXPECT_EQ(name_base("Encode/format=json-48"), "Encode");
    EXPECT_EQ(name_base("Encode-48"), "Encode");
    EXPECT_EQ(name_base("foo-bar"), "foo-bar");  // "-bar" is not GOMAXPROCS
}

TEST(Keys, ValuesOfEveryKind) {
    const Observation o = obs("New/text=go/size=1M-8");
    EXPECT_EQ(key_value(o, ".name"), "New");
    EXPECT_EQ(key_value(o, ".fullname"), "New/text=go/size=1M-8");
    EXPECT_EQ(key_value(o, ".file"), "new.txt");
    EXPECT_EQ(key_value(o, ".unit"), "sec/op");
    EXPECT_EQ(key_value(o, "/size"), "1M");
    EXPECT_EQ(key_value(o, "/gomaxprocs"), "8");
    EXPECT_EQ(key_value(o, "/missing"), "");
    EXPECT_EQ(key_value(o, "goos"), "linux");
    EXPECT_EQ(key_value(o, "cpu"), "");
}

TEST(Keys, PositionalSubkeys) {
    const Observation o = obs("BM_Copy/64/8");
    EXPECT_EQ(key_value(o, "/1"), "64");
    EXPECT_EQ(key_value(o, "/2"), "8");
    EXPECT_EQ(key_value(o, "/3"), "");
}

TEST(Keys, FullnameWithoutProjectedKeys) {
    EXPECT_EQ(fullname_without("Encode/format=json-48", {"/format"}), "Encode-48");
    EXPECT_EQ(fullname_without("Encode/format=json-48", {"/gomaxprocs"}), "Encode/format=json");
    EXPECT_EQ(fullname_without("Encode/format=json-48", {".name"}), "*/format=json-48");
    EXPECT_EQ(fullname_without("Encode/format=json-48", {}), "Encode/format=json-48");
}

TEST(Filter, EmptyAndStarMatchEverything) {
    EXPECT_TRUE(Filter::parse("").is_everything());
    EXPECT_TRUE(Filter::parse("*").is_everything());
    EXPECT_TRUE(Filter::parse("*").matches(obs("X")));
}

TEST(Filter, LiteralRegexpAndValueLists) {
    const Filter f = Filter::parse("/format:json goos:linux .unit:(ns/op OR B/op)");
    EXPECT_TRUE(f.matches(obs("Encode/format=json-48", "sec/op")));  // ns/op is sec/op's original spelling
    EXPECT_TRUE(f.matches(obs("Encode/format=json-48", "B/op")));
    EXPECT_FALSE(f.matches(obs("Encode/format=json-48", "allocs/op")));
    EXPECT_FALSE(f.matches(obs("Encode/format=gob-48", "sec/op")));

    const Filter re = Filter::parse(".name:/^Enc/");
    EXPECT_TRUE(re.matches(obs("Encode/format=gob-48")));
    EXPECT_FALSE(re.matches(obs("Decode/format=gob-48")));
}

TEST(Filter, OperatorsAndPrecedence) {
    // AND binds tighter than OR; '-' negates the next match.
    const Filter f = Filter::parse("/format:json AND -/size:1 OR .name:Decode");
    EXPECT_TRUE(f.matches(obs("Encode/format=json/size=2")));
    EXPECT_FALSE(f.matches(obs("Encode/format=json/size=1")));
    EXPECT_TRUE(f.matches(obs("Decode/format=gob/size=1")));
    const Filter g = Filter::parse("-(/format:json OR /format:gob)");
    EXPECT_FALSE(g.matches(obs("Encode/format=json")));
    EXPECT_TRUE(g.matches(obs("Encode/format=xml")));
}

TEST(Filter, QuotedWordsAndDashesInsideWords) {
    const Filter f = Filter::parse("cpu:\"Intel(R) Core\" OR .fullname:foo-bar");
    EXPECT_TRUE(f.matches(obs("foo-bar")));
    EXPECT_FALSE(f.matches(obs("foo")));
}

TEST(Filter, SyntaxErrorsNameTheOptionAndColumn) {
    EXPECT_EQ(error_of("(goos:linux"), "--filter: syntax error: missing \")\" at column 12 of \"(goos:linux\"");
    EXPECT_EQ(error_of("goos"), "--filter: syntax error: expected key:value at column 1 of \"goos\"");
    EXPECT_EQ(error_of("goos:(a b)"), "--filter: syntax error: value list must be separated by OR at column 9 of \"goos:(a b)\"");
    EXPECT_EQ(error_of(".name:/abc"), "--filter: syntax error: missing close \"/\" at column 7 of \".name:/abc\"");
    EXPECT_EQ(error_of(".config:x"), "--filter: syntax error: .config is only allowed in projections at column 1 of \".config:x\"");
    EXPECT_EQ(error_of("a:\"b"), "--filter: syntax error: missing end quote at column 3 of \"a:\\\"b\"");
    EXPECT_NE(error_of(".name:/a(/"), "no error");  // a bad regular expression
    EXPECT_EQ(error_of("a:b)"), "--filter: syntax error: unexpected \")\" at column 4 of \"a:b)\"");
}

// Every string built from the language's pieces either parses or is a UsageError; none crashes or
// throws anything else, and every filter that parses can be matched.
TEST(Filter, ArbitraryPiecesParseOrFailCleanly) {
    const char* const pieces[] = {"(", ")", ":", "@", ",", "-", "*", " ", "\"", "/", "\\", "AND", "OR",
                                  "a", ".name", ".unit", "/x", "ns/op", "[", "]", "=", "é", "\t"};
    const std::size_t n = sizeof pieces / sizeof pieces[0];
    std::uint32_t state = 12345;
    const Observation o = obs("Encode/x=1-8");
    std::size_t parsed = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const std::size_t length = 1 + round % 9;
        for (std::size_t i = 0; i < length; ++i) {
            state = state * 1664525u + 1013904223u;  // a fixed linear congruential sequence
            text += pieces[(state >> 16) % n];
        }
        try {
            Filter f = Filter::parse(text);
            (void)f.matches(o);
            ++parsed;
        } catch (const UsageError&) {
        }
    }
    EXPECT_GT(parsed, 100u);  // the generator reaches valid expressions too
}

}  // namespace
}  // namespace ksail_benchstat
