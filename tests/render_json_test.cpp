// The JSON renderer's number and string formatting.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"

using namespace ksail_benchstat;

namespace {

// How nlohmann's dump() writes a double: the layout the report keeps.
std::string nlohmann_text(double d) {
    char buffer[64];
    return std::string(buffer, nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, d));
}

bool has(const std::string& text, char c) { return text.find(c) != std::string::npos; }

}  // namespace

TEST(RenderJson, WholeNumbersAreWrittenAsNlohmannWritesThem) {
    std::vector<double> values;
    for (int i = -100000; i <= 100000; ++i) values.push_back(i);
    values.push_back(-0.0);
    for (double p = 1; p <= 1e16; p *= 10) {
        for (double d : {p - 2, p - 1, p, p + 1, p + 2, 2 * p, 9 * p, 9.5 * p}) {
            values.push_back(d);
            values.push_back(-d);
        }
    }
    std::mt19937_64 random(7);
    for (int i = 0; i < 500000; ++i) {
        const double magnitude = std::pow(10.0, std::uniform_real_distribution<double>(0, 15.2)(random));
        values.push_back(std::trunc(magnitude));
    }
    for (double d : values) ASSERT_EQ(json_double(d), nlohmann_text(d)) << d;
    EXPECT_EQ(json_double(std::nan("")), "null");
    EXPECT_EQ(json_double(-INFINITY), "null");
}

TEST(RenderJson, NumbersTakeNlohmannsLayoutWithTheShortestDigits) {
    // Plain notation from 1e-4 up to below 1e15, exponent notation (two exponent digits at least)
    // beyond; the fewest digits that read back as the same double.
    const std::pair<double, const char*> cases[] = {
        {0.5, "0.5"},
        {-0.25, "-0.25"},
        {0.1, "0.1"},
        {123.25, "123.25"},
        {0.0001, "0.0001"},
        {0.00012345, "0.00012345"},
        {9.99e-5, "9.99e-05"},
        {1e-5, "1e-05"},
        {-2.5e-7, "-2.5e-07"},
        {2.62469e-06, "2.62469e-06"},
        {1e15 - 0.5, "999999999999999.5"},
        {1.5e15, "1.5e+15"},
        {1e21, "1e+21"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {5e-324, "5e-324"},
        {907927454206493.2, "907927454206493.2"},  // nlohmann: 907927454206493.3
        {3.303728442275133e16, "3.303728442275133e+16"},  // nlohmann: 3.3037284422751328e+16
    };
    for (const auto& [value, text] : cases) EXPECT_EQ(json_double(value), text) << text;
}

TEST(RenderJson, NumbersReadBackExactlyAndDifferFromNlohmannOnlyInDigits) {
    std::mt19937_64 random(11);
    std::vector<double> values;
    for (int i = 0; i < 400000; ++i) {
        const double magnitude = std::pow(10.0, std::uniform_real_distribution<double>(-12, 20)(random));
        values.push_back(i % 2 == 0 ? magnitude : -magnitude);
        values.push_back(std::trunc(magnitude * 1e6) / 1e9);  // a few digits, scaled to base units
    }
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t bits = random();
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        if (std::isfinite(d)) values.push_back(d);
    }
    std::size_t same = 0;
    for (double d : values) {
        const std::string ours = json_double(d);
        const std::string theirs = nlohmann_text(d);
        ASSERT_EQ(std::strtod(ours.c_str(), nullptr), d) << ours;
        if (ours == theirs) {
            ++same;
            continue;
        }
        // Where they differ, nlohmann kept a digit more or ended on another last digit that reads
        // back as the same double; the notation is the same.
        ASSERT_LE(ours.size(), theirs.size()) << ours << " " << theirs;
        ASSERT_EQ(has(ours, 'e'), has(theirs, 'e')) << ours << " " << theirs;
        ASSERT_EQ(has(ours, '.'), has(theirs, '.')) << ours << " " << theirs;
    }
    EXPECT_GT(same, values.size() * 98 / 100);
}

TEST(RenderJson, StringsAreEscapedAsNlohmannEscapesThem) {
    // Every byte at every place of strings around the eight bytes tested at once, within and
    // after the whole words; bytes of 0x80 and above alone are invalid UTF-8 and become U+FFFD.
    for (std::size_t size : {1, 7, 8, 9, 16, 19}) {
        for (std::size_t at = 0; at < size; ++at) {
            for (int byte = 0; byte < 0x80; ++byte) {
                std::string s(size, 'a');
                s[at] = static_cast<char>(byte);
                ASSERT_EQ(json_string(s), nlohmann::json(s).dump()) << size << " " << at << " " << byte;
            }
        }
    }
    EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x88\x86t"), "\"caf\xc3\xa9 \xe2\x88\x86t\"");
    EXPECT_EQ(json_string(""), "\"\"");
    // A report must never fail to be written over a warning that quotes a bad byte.
    EXPECT_EQ(json_string("ab\xff" "cdefghij"), "\"ab\xef\xbf\xbd" "cdefghij\"");
}

namespace {

// How nlohmann writes a string, bad UTF-8 replaced: the layout every string of the report keeps.
std::string nlohmann_string(const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST(RenderJson, PlainStringsOfEveryLengthAreCopiedAndOthersEscaped) {
    // The plain strings are copied a word at a time as they are tested, the last word overlapping
    // the one before: each byte value at each place of strings from empty to past four words
    // must come out as nlohmann writes it, whether it is plain or not.
    for (std::size_t size = 0; size <= 33; ++size) {
        // Printable bytes of many values, so that a word's neighbours are not all alike.
        std::string plain;
        for (std::size_t i = 0; i < size; ++i) {
            const char c = static_cast<char>(0x20 + (i * 7) % 0x5F);
            plain += c == '"' || c == '\\' ? 'q' : c;
        }
        ASSERT_EQ(json_string(plain), nlohmann_string(plain)) << size;
        for (std::size_t at = 0; at < size; ++at) {
            for (int byte = 0; byte < 0x100; ++byte) {
                std::string s = plain;
                s[at] = static_cast<char>(byte);
                ASSERT_EQ(json_string(s), nlohmann_string(s)) << size << " " << at << " " << byte;
            }
        }
    }
}

TEST(RenderJson, MultiByteAndInvalidUtf8AreWrittenAsNlohmannWritesThem) {
    // Valid sequences of two, three and four bytes are kept as they are; cut or stray ones become
    // U+FFFD. Each is put at every place of strings around the word size.
    const std::string pieces[] = {
        "\xc3\xa9", "\xe2\x88\x86", "\xf0\x9f\x98\x80", "\xc3",         "\xe2\x88", "\x80",
        "\xff",     "\xf0\x9f\x98", "\xc0\xaf",         "\xed\xa0\x80", "\x7f",     "\x1f\"\\",
    };
    for (std::size_t size = 0; size <= 20; ++size) {
        for (std::size_t at = 0; at <= size; ++at) {
            for (const std::string& piece : pieces) {
                std::string s(size, 'b');
                s.insert(at, piece);
                ASSERT_EQ(json_string(s), nlohmann_string(s)) << size << " " << at << " " << piece.size();
            }
        }
    }
}

TEST(RenderJson, RandomStringsAreWrittenAsNlohmannWritesThem) {
    // Mostly plain text with now and then a byte to escape or a byte above 0x7F, as benchmark
    // names, labels and warnings are.
    std::mt19937_64 random(23);
    for (int i = 0; i < 100000; ++i) {
        std::string s(random() % 48, ' ');
        for (char& c : s) {
            const std::uint64_t pick = random() % 64;
            c = static_cast<char>(pick == 0 ? random() % 0x100 : 0x20 + random() % 0x5F);
        }
        ASSERT_EQ(json_string(s), nlohmann_string(s)) << i;
    }
}

TEST(RenderJson, WellFormedUtf8OfEveryLeadByteIsWrittenAsNlohmannWritesIt) {
    // Well-formed sequences are copied as they are, and anything else goes to nlohmann: every lead
    // byte with every second byte, the third and fourth bytes at and beside the continuation range.
    const unsigned char others[] = {0x00, 0x20, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int lead = 0x80; lead < 0x100; ++lead) {
        for (int second = 0; second < 0x100; ++second) {
            for (unsigned char other : others) {
                std::string s = "a";
                s += static_cast<char>(lead);
                s += static_cast<char>(second);
                s += static_cast<char>(other);
                s += static_cast<char>(0x80);
                s += "z";
                ASSERT_EQ(json_string(s), nlohmann_string(s)) << lead << " " << second << " " << int{other};
                s.resize(3);  // the sequence cut short
                ASSERT_EQ(json_string(s), nlohmann_string(s)) << lead << " " << second;
            }
        }
    }
}

// Every number of the rows reads back as the report's double, sign of zero included: a row
// repeats numbers (an interval equal to its center, changes of zero), whose text is copied from
// the number before.
TEST(RenderJson, RowNumbersReadBackAsTheReportsDoubles) {
    const std::string header = "goos: linux\ngoarch: amd64\npkg: example.com/mod/pkg\n";
    std::string before = header;
    std::string after = header;
    const auto add = [](std::string& text, const std::string& name, const std::vector<double>& values) {
        for (double v : values) {
            text += name + "-8\t1000\t" + nlohmann::json(v).dump() + " ns/op\t";
            text += nlohmann::json(-v).dump() + " delta/op\n";
        }
    };
    add(before, "BenchmarkEqual", {5, 5, 5, 5, 5});
    add(after, "BenchmarkEqual", {5, 5, 5, 5, 5});
    add(before, "BenchmarkZero", {0, 0, 0, 0});
    add(after, "BenchmarkZero", {0, 0, 0, 0});
    add(before, "BenchmarkSpread", {1.25, 1.5, 1.75, 2, 2.25, 2.5});
    add(after, "BenchmarkSpread", {1.5, 1.5, 1.5, 2.5, 2.5, 2.5});
    add(before, "BenchmarkSame", {0.1, 0.1, 0.2, 0.2, 0.3});
    add(after, "BenchmarkSame", {0.1, 0.1, 0.2, 0.2, 0.3});
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
    inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
    const Report report = compare(std::move(inputs), {});
    const auto doc = nlohmann::json::parse(render_json(report));
    const auto expect_number = [](const nlohmann::json& value, OptionalDouble expected, const std::string& what) {
        if (!expected) {
            EXPECT_TRUE(value.is_null()) << what;
            return;
        }
        ASSERT_TRUE(value.is_number()) << what;
        const double read = value.get<double>();
        EXPECT_EQ(read, *expected) << what;
        EXPECT_EQ(std::signbit(read), std::signbit(*expected)) << what;
    };
    std::size_t at = 0;
    std::size_t zeros = 0;
    for (const Table& table : report.tables) {
        for (const Row& row : table.rows) {
            const auto& json_row = doc["rows"][at++];
            const std::string name(row.name.view());
            ASSERT_EQ(json_row["benchmark"].get<std::string>(), name);
            std::size_t summary = 0;
            for (std::size_t in = 0; in < row.cells.size(); ++in) {
                if (!row.cells[in]) continue;
                const auto& s = json_row["summaries"][summary++];
                const Summary& expected = row.cells[in]->summary;
                expect_number(s["center"], expected.center, name + " center");
                expect_number(s["ci_low"], expected.lo, name + " ci_low");
                expect_number(s["ci_high"], expected.hi, name + " ci_high");
                if (expected.center == 0) ++zeros;
            }
            const Comparison* cmp = row.comparisons[1];
            ASSERT_NE(cmp, nullptr);
            const auto& c = json_row["comparisons"][0];
            expect_number(c["delta_pct"], cmp->delta_pct, name + " delta_pct");
            expect_number(c["p_value"], cmp->test.p, name + " p_value");
            expect_number(c["change_pct"], cmp->change.estimate_pct, name + " change_pct");
            expect_number(c["change_low_pct"], cmp->change.low_pct, name + " change_low_pct");
            expect_number(c["change_high_pct"], cmp->change.high_pct, name + " change_high_pct");
            expect_number(c["mde_pct"], cmp->detect.mde_pct, name + " mde_pct");
            EXPECT_EQ(c["test_text"].get<std::string>(), cmp->test_text());
        }
    }
    EXPECT_EQ(at, doc["rows"].size());
    EXPECT_GT(zeros, 0U);
}

// The p-values and test columns of rows come from a cache of texts by p-value and sample counts:
// each must be the text written for that comparison alone, over rows of many sample counts whose
// p-values repeat (and more of them than the cache holds).
TEST(RenderJson, PValueTextsAreThoseOfEachComparison) {
    const std::string header = "goos: linux\ngoarch: amd64\npkg: example.com/mod/pkg\n";
    std::string before = header;
    std::string after = header;
    std::mt19937 random(11);
    for (int b = 0; b < 3000; ++b) {
        const std::string name = "BenchmarkP" + std::to_string(b) + "-8\t1000\t";
        const int n_before = 2 + static_cast<int>(random() % 7);
        const int n_after = 2 + static_cast<int>(random() % 7);
        const int shift = static_cast<int>(random() % 5);
        for (int i = 0; i < n_before; ++i) before += name + std::to_string(10 + random() % 6) + " ns/op\n";
        for (int i = 0; i < n_after; ++i) after += name + std::to_string(10 + shift + random() % 6) + " ns/op\n";
    }
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
    inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
    const Report report = compare(std::move(inputs), {});
    const std::string out = render_json(report);
    // The texts of the members, in row order.
    const auto members = [&out](const std::string& key) {
        std::vector<std::string> texts;
        const std::string start = "\"" + key + "\": ";
        for (std::size_t at = out.find(start); at != std::string::npos; at = out.find(start, at)) {
            at += start.size();
            texts.push_back(out.substr(at, out.find_first_of(",\n", at) - at));
        }
        return texts;
    };
    const std::vector<std::string> p_values = members("p_value");
    const std::vector<std::string> test_texts = members("test_text");
    std::size_t at = 0;
    std::set<std::string> distinct;
    for (const Table& table : report.tables) {
        for (const Row& row : table.rows) {
            const Comparison* cmp = row.comparisons[1];
            ASSERT_NE(cmp, nullptr);
            ASSERT_LT(at, p_values.size());
            EXPECT_EQ(p_values[at], json_double(cmp->test.p)) << at;
            EXPECT_EQ(test_texts[at], "\"" + cmp->test_text() + "\"") << at;
            distinct.insert(test_texts[at]);
            ++at;
        }
    }
    EXPECT_EQ(at, p_values.size());
    EXPECT_GT(distinct.size(), 256U);
    EXPECT_LT(distinct.size(), at / 2);
}
