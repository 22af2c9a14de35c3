// Doubles as text: the same bytes as fmt's "{}" (the CSV report) and as nlohmann's layout with the
// shortest digits (the JSON report), on chosen and on many random doubles.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/number_text.hpp"

using namespace ksail_benchstat;

namespace {

std::string number_text(double value) {
    char buffer[k_number_text_room];
    return std::string(buffer, write_number_text(value, buffer));
}

std::string json_number_text(double value) {
    char buffer[k_number_text_room];
    return std::string(buffer, write_json_number_text(value, buffer));
}

// nlohmann's layout spelled out with the standard library's shortest digits: plain notation from
// 1e-4 up to below 1e15 ("N.0" when whole), exponent notation (two exponent digits at least) beyond.
std::string json_reference(double d) {
    char buffer[64];
    const double magnitude = std::fabs(d);
    if (d != 0 && (magnitude < 1e-4 || magnitude >= 1e15)) {
        return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific).ptr);
    }
    if (d == std::trunc(d)) {
        std::string out = std::signbit(d) ? "-" : "";
        out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::uint64_t>(magnitude)).ptr);
        return out + ".0";
    }
    return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed).ptr);
}

double from_bits(std::uint64_t bits) {
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// Doubles that test the layout's edges: powers of ten and of two and their neighbours (where
// notation and digit counts change), short decimals around them, whole numbers, subnormals, the
// extremes, and both signs of each.
std::vector<double> edge_values() {
    std::vector<double> values = {0.0,
                                  1.0,
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::min(),
                                  std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::epsilon(),
                                  9007199254740992.0,
                                  9007199254740993.0,
                                  4503599627370495.5,
                                  0.1 + 0.2};
    for (int e = -325; e <= 309; ++e) {
        const double power = std::pow(10.0, e);
        for (double m : {1.0, 1.5, 2.0, 9.5, 9.99, 12.0, 99.0, 123.0}) values.push_back(m * power);
        values.push_back(std::nextafter(power, 0.0));
        values.push_back(std::nextafter(power, INFINITY));
    }
    for (int e = -1074; e <= 1023; ++e) {
        const double power = std::ldexp(1.0, e);
        values.push_back(power);
        values.push_back(std::nextafter(power, 0.0));
        values.push_back(std::nextafter(power, INFINITY));
        values.push_back(3 * power);
    }
    for (int i = 0; i <= 20000; ++i) values.push_back(i);
    for (std::uint64_t bits = 1; bits < 2000; ++bits) values.push_back(from_bits(bits));
    const std::size_t positive = values.size();
    for (std::size_t i = 0; i < positive; ++i) values.push_back(-values[i]);
    return values;
}

// Random doubles: any bit pattern, values of a report's magnitudes (1e-9 to 1e9, full digits and a
// few digits), whole numbers of every size and subnormals.
std::vector<double> random_values(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> decades(-9, 9);
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i) {
        values.push_back(from_bits(random()));
        const double typical = std::pow(10.0, decades(random)) * (i % 2 == 0 ? 1 : -1);
        values.push_back(typical);
        values.push_back(std::round(typical * 1000) / 1e6);
        values.push_back(static_cast<double>(static_cast<std::int64_t>(random() >> (random() % 64))));
        values.push_back(from_bits(random() >> 12));  // subnormal
    }
    return values;
}

// Random significands of each digit count from 1 to 17 at each place of the decimal point a double
// can have, so that every layout is met with digits of every length on either side of its point.
std::vector<double> digits_at_every_point(std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::vector<double> values;
    std::uint64_t power = 1;
    for (int digits = 1; digits <= 17; ++digits) {
        for (int exponent = -340; exponent <= 310; ++exponent) {
            for (int i = 0; i < 4; ++i) {
                const std::uint64_t significand = power + random() % (9 * power);
                double value = 0;
                const std::string text = fmt::format("{}e{}", significand, exponent);
                std::from_chars(text.data(), text.data() + text.size(), value);
                values.push_back(i % 2 == 0 ? value : -value);
            }
        }
        power *= 10;
    }
    return values;
}

TEST(NumberText, ChosenNumbersAsFmtWritesThem) {
    const std::pair<double, const char*> cases[] = {
        {0.0, "0"},
        {-0.0, "-0"},
        {10.0, "10"},
        {-2.5, "-2.5"},
        {0.0001, "0.0001"},
        {0.00012, "0.00012"},
        {0.00001, "1e-05"},
        {3.0675600000000002e-06, "3.0675600000000002e-06"},
        {0.8052762766364907, "0.8052762766364907"},
        {-2.633454415305962, "-2.633454415305962"},
        {1e15, "1000000000000000"},
        {9999999999999998.0, "9999999999999998"},
        {1e16, "1e+16"},
        {1.5e16, "1.5e+16"},
        {123456789012345680.0, "1.2345678901234568e+17"},
        {1e100, "1e+100"},
        {5e-324, "5e-324"},
        {-2.2250738585072014e-308, "-2.2250738585072014e-308"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (const auto& [value, text] : cases) EXPECT_EQ(number_text(value), text) << text;
}

TEST(NumberText, ChosenNumbersInNlohmannsLayout) {
    const std::pair<double, const char*> cases[] = {
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {10.0, "10.0"},
        {-2.5, "-2.5"},
        {0.0001, "0.0001"},
        {0.00001, "1e-05"},
        {999999999999999.0, "999999999999999.0"},
        {1e15, "1e+15"},
        {1e15 - 0.5, "999999999999999.5"},
        {5e-324, "5e-324"},
    };
    for (const auto& [value, text] : cases) EXPECT_EQ(json_number_text(value), text) << text;
}

TEST(NumberText, EdgeValuesAsFmtAndNlohmannWriteThem) {
    for (double value : edge_values()) {
        if (!std::isfinite(value)) continue;  // 9.5e308 and the like
        ASSERT_EQ(number_text(value), fmt::format("{}", value)) << fmt::format("{:a}", value);
        ASSERT_EQ(json_number_text(value), json_reference(value)) << fmt::format("{:a}", value);
    }
}

TEST(NumberText, RandomValuesAsFmtAndNlohmannWriteThem) {
    for (double value : random_values(80000, 2024)) {
        if (!std::isfinite(value)) continue;
        ASSERT_EQ(number_text(value), fmt::format("{}", value)) << fmt::format("{:a}", value);
        ASSERT_EQ(json_number_text(value), json_reference(value)) << fmt::format("{:a}", value);
    }
}

TEST(NumberText, EveryDigitCountAtEveryPointAsFmtAndNlohmannWriteThem) {
    for (double value : digits_at_every_point(7)) {
        if (!std::isfinite(value)) continue;
        ASSERT_EQ(number_text(value), fmt::format("{}", value)) << fmt::format("{:a}", value);
        ASSERT_EQ(json_number_text(value), json_reference(value)) << fmt::format("{:a}", value);
    }
}

// Whole numbers are written eight digits at a time by fixed-point products that are exact only
// within their range: every group of eight digits, checked once.
TEST(NumberText, EveryGroupOfEightDigits) {
    char expected[32];
    char buffer[k_number_text_room];
    for (std::uint64_t group = 0; group < 100'000'000; ++group) {
        const std::uint64_t whole = 100'000'000 + group;
        const char* expected_end = std::to_chars(expected, expected + sizeof expected, whole).ptr;
        const char* end = write_number_text(static_cast<double>(whole), buffer);
        ASSERT_EQ(std::string_view(buffer, end), std::string_view(expected, expected_end)) << whole;
    }
}

// Shortest digits are written sixteen at a time (the first digit apart): every seventh group of
// eight as the last of them (all of them took seconds), through whole numbers from 5 * 10^15,
// whose shortest digits are their own (below 2^53 their neighbours are one apart) but for
// trailing zeros.
TEST(NumberText, GroupsOfEightShortestDigits) {
    char expected[32];
    char buffer[k_number_text_room];
    for (std::uint64_t group = 0; group < 100'000'000; group += 7) {
        const std::uint64_t whole = 5'000'000'000'000'000 + group;
        const char* expected_end = std::to_chars(expected, expected + sizeof expected, whole).ptr;
        const char* end = write_number_text(static_cast<double>(whole), buffer);
        ASSERT_EQ(std::string_view(buffer, end), std::string_view(expected, expected_end)) << whole;
    }
}

}  // namespace
