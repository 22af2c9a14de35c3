// Unit tests of unit tidying and benchstat-style scaling.
#include <gtest/gtest.h>

#include <limits>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/units.hpp"

using namespace ksail_benchstat;

TEST(Units, Tidy) {
    EXPECT_EQ(tidy_unit("ns/op").first, "sec/op");
    EXPECT_DOUBLE_EQ(tidy_unit("ns/op").second, 1e-9);
    EXPECT_EQ(tidy_unit("MB/s").first, "B/s");
    EXPECT_EQ(tidy_unit("ns/row").first, "sec/row");
    EXPECT_EQ(tidy_unit("op/ns").first, "op/ns");  // denominators are never edited
    EXPECT_EQ(tidy_unit("allocs/op").first, "allocs/op");
}

TEST(Units, DirectionAndClass) {
    EXPECT_EQ(default_better("B/s"), Better::higher);
    EXPECT_EQ(default_better("sec/op"), Better::lower);
    EXPECT_EQ(unit_class("B/op"), UnitClass::binary);
    EXPECT_EQ(unit_class("total-bytes"), UnitClass::binary);
    EXPECT_EQ(unit_class("sec/op"), UnitClass::decimal);
    EXPECT_EQ(unit_class("op/B"), UnitClass::decimal);
}

TEST(Units, ScaleLikeBenchstat) {
    EXPECT_EQ(scale_value(1.718e-6, UnitClass::decimal), "1.718µ");
    EXPECT_EQ(scale_value(0.3130e-9, UnitClass::decimal), "0.3130n");
    EXPECT_EQ(scale_value(3728.0, UnitClass::binary), "3.641Ki");
    EXPECT_EQ(scale_value(0, UnitClass::decimal), "0.000");
    EXPECT_EQ(scale_value(99.995, UnitClass::decimal), "100.0");
    EXPECT_EQ(scale_value(520, UnitClass::binary), "520.0");
}

// Scaler::format writes numbers without fmt; the digits must be fmt's, ties and all.
TEST(Units, FixedTextPrintsLikeFmt) {
    std::vector<double> values = {0.5,  1.5,   2.5,    -0.5,  0.125, 0.375, 0.0,  -0.0,  -0.001, 9.995,
                                  1e22, 1e300, -1e300, 5e-324, 99.5, 100.5, 0.05, -2.5, 1234.5678};
    values.push_back(std::numeric_limits<double>::infinity());
    values.push_back(-std::numeric_limits<double>::infinity());
    values.push_back(std::numeric_limits<double>::quiet_NaN());
    std::uint64_t state = 7;
    for (int i = 0; i < 3000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double v = std::ldexp(static_cast<double>(state >> 11), static_cast<int>(state % 80) - 70);
        values.push_back(state % 2 == 0 ? v : -v);
    }
    for (double v : values) {
        for (int precision = 0; precision <= 10; ++precision) {
            EXPECT_EQ(fixed_text(v, precision, "%"), fmt::format("{:.{}f}%", v, precision)) << v;
            EXPECT_EQ(fixed_text(v, precision, "", true), fmt::format("{:+.{}f}", v, precision)) << v;
        }
    }
}

TEST(Units, ScalerFormatRoundsLikeFmt) {
    std::vector<double> values = {0.125, 0.375, 2.5, 1e-9, 123456.789, 0.0005, 1.0005, 9.9995, -0.0, -3.14159, 1e300};
    std::uint64_t state = 99;
    for (int i = 0; i < 3000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        values.push_back(std::ldexp(static_cast<double>(state >> 11), static_cast<int>(state % 80) - 90));
    }
    for (double v : values) {
        for (int precision = 0; precision <= 10; ++precision) {
            const Scaler scaler{precision, 1, "µ"};
            EXPECT_EQ(scaler.format(v), fmt::format("{:.{}f}µ", v, precision)) << v;
        }
    }
}

// fixed_text takes an integer shortcut for most values; its digits must be to_chars' (the exact
// binary value correctly rounded, ties to even), notably at and beside every kind of tie.
TEST(Units, FixedTextShortcutRoundsLikeToChars) {
    std::vector<double> values = {0.0, 5e-324, 0.5, 1.5, 2.5, 1e19, 1.8446744073709552e19, 9.2e18, 1e22,
                                  2.2250738585072014e-308, 0.045, 0.0045, 1.005, 99.995, 0.99995};
    std::uint64_t state = 2024;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 11;
    };
    for (int i = 0; i < 20000; ++i) {
        // Decimal ties of every precision and the doubles beside them.
        const double tie = (static_cast<double>(next() % 100000000) + 0.5) / std::pow(10.0, static_cast<double>(next() % 11));
        values.insert(values.end(), {tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e300)});
        // Exact binary ties (k / 2^j), benchmark-like magnitudes and thousandths.
        values.push_back(std::ldexp(static_cast<double>(next() % (1U << 30)), -static_cast<int>(next() % 40)));
        values.push_back(std::ldexp(static_cast<double>(next()), static_cast<int>(next() % 100) - 90));
        values.push_back(static_cast<double>(next() % 1000000) / 1000.0);
    }
    char buf[400];
    for (double v : values) {
        for (double signed_v : {v, -v}) {
            for (int precision = 0; precision <= 10; ++precision) {
                const auto res = std::to_chars(buf, buf + sizeof buf, signed_v, std::chars_format::fixed, precision);
                ASSERT_EQ(fixed_text(signed_v, precision), std::string(buf, res.ptr)) << signed_v << " " << precision;
                char written[k_fixed_room];
                if (char* end = write_fixed(written, signed_v, precision)) {
                    ASSERT_EQ(std::string(written, end), std::string(buf, res.ptr)) << signed_v << " " << precision;
                }
            }
        }
    }
}

// Numbers of up to 3 decimals below 2^52 take a 64-bit shortcut of their own: its digits must be
// those of the general path (fmt, which prints the exact binary value correctly rounded), at the
// shortcut's edges (2^-11, where values start to round to zero, and 2^52), at decimal and binary
// ties, for negative numbers and zeros, with the sign forced and with suffixes of every length.
TEST(Units, SmallFixedShortcutAgreesWithTheGeneralPath) {
    std::vector<double> values = {0.0, -0.0, 5e-324, 0.5, 1.5, 2.5, 0.0005, 0.0015, 0.00025, 1.0005, 99.995, 9.9995,
                                  std::ldexp(1.0, -11), std::ldexp(1.0, -12), std::ldexp(1.0, 52), std::ldexp(1.0, 53),
                                  std::ldexp(1.0, 52) - 0.5, std::ldexp(1.0, 52) + 1, 4503599627370495.5};
    std::uint64_t state = 77;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 11;
    };
    for (int i = 0; i < 5000; ++i) {
        // Decimal ties of 0 to 3 decimals and the doubles beside them.
        const double tie = (static_cast<double>(next() % 10000000) + 0.5) / std::pow(10.0, static_cast<double>(next() % 4));
        values.insert(values.end(), {tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e300)});
        // Binary fractions (exact ties at some precision), magnitudes from 2^-14 to 2^56, integers.
        values.push_back(std::ldexp(static_cast<double>(next() % (1U << 20)), -static_cast<int>(next() % 24)));
        values.push_back(std::ldexp(static_cast<double>(next()), static_cast<int>(next() % 70) - 67));
        values.push_back(static_cast<double>(next() % 100000000));
    }
    const std::string suffixes[] = {"", "%", "µ", " n=", "Mi", "abcde", "a suffix of thirty bytes......"};
    std::size_t round = 0;
    for (double v : values) {
        for (double signed_v : {v, -v}) {
            for (int precision = 0; precision <= 3; ++precision) {
                const std::string& suffix = suffixes[round++ % std::size(suffixes)];
                ASSERT_EQ(fixed_text(signed_v, precision, suffix), fmt::format("{:.{}f}{}", signed_v, precision, suffix))
                    << signed_v << " " << precision;
                ASSERT_EQ(fixed_text(signed_v, precision, suffix, true), fmt::format("{:+.{}f}{}", signed_v, precision, suffix))
                    << signed_v << " " << precision;
            }
        }
    }
}

// Scaler::write writes in place what Scaler::format returns, for every prefix length it takes
// (none, one byte, two bytes of one character, two characters, eight bytes), negative values,
// zeros, tiny and huge magnitudes; what it leaves to format (values that are not finite or too
// large, longer prefixes) it refuses with nullptr rather than writing anything else.
TEST(Units, ScalerWriteMatchesFormat) {
    std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 0.125, 2.5, 99.995, 1e-9, 3.0e-12, 123456.789, -3.14159,
                                  5e-324, 1e15, 1.8e19, 1e300, std::numeric_limits<double>::infinity(), std::nan("")};
    std::uint64_t state = 3;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double v = std::ldexp(static_cast<double>(state >> 11), static_cast<int>(state % 100) - 90);
        values.push_back(i % 2 == 0 ? v : -v);
    }
    const std::string_view prefixes[] = {"", "k", "µ", "Ki", "eightbyt", "ninebytes"};
    for (const std::string_view prefix : prefixes) {
        for (double v : values) {
            for (int precision = 0; precision <= 10; ++precision) {
                for (const double factor : {1.0, 1e-9, 1024.0}) {
                    const Scaler scaler{precision, factor, prefix};
                    char written[k_scaled_room];
                    const char* end = scaler.write(written, v);
                    if (end == nullptr) {
                        // Only for what write_fixed refuses, or a prefix longer than 8 bytes.
                        char number[k_fixed_room];
                        EXPECT_TRUE(prefix.size() > 8 || write_fixed(number, v / factor, precision) == nullptr)
                            << v << " " << precision << " " << prefix;
                        continue;
                    }
                    ASSERT_LE(end - written, static_cast<std::ptrdiff_t>(k_scaled_room));
                    ASSERT_EQ(std::string(static_cast<const char*>(written), end), scaler.format(v)) << v << " " << precision << " " << prefix;
                }
            }
        }
    }
}

// write_fixed may use all of its room: what it writes ends where it says, whatever was there.
TEST(Units, WriteFixedEndsWhereItSays) {
    char written[k_fixed_room];
    std::fill(std::begin(written), std::end(written), 'x');
    const char* end = write_fixed(written, -12.5, 2, false);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(std::string(static_cast<const char*>(written), end), "-12.50");
    end = write_fixed(written, 7, 0, true);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(std::string(static_cast<const char*>(written), end), "+7");
}

// common_scale picks a value's decimal prefix by the smallest of its three thresholds and only
// then its decimals: at and beside every threshold of every prefix, the scale must be the first
// (largest) prefix whose threshold .99995e(E) the value reaches, with 1 decimal from 99.995e(E),
// 2 from 9.9995e(E), else 3.
TEST(Units, CommonScaleAtEveryThreshold) {
    const char* const prefixes[] = {"T", "G", "M", "k", "", "m", "µ", "n"};
    auto threshold = [](const char* mantissa, int exp) {
        return std::strtod(fmt::format("{}e{}", mantissa, exp).c_str(), nullptr);
    };
    std::vector<double> values = {1e300, 5e-324};
    for (int exp = 12; exp >= -9; exp -= 3) {
        for (const char* mantissa : {"99.995", "9.9995", ".99995", "5", "500"}) {
            const double t = threshold(mantissa, exp);
            values.insert(values.end(), {t, std::nextafter(t, 0.0), std::nextafter(t, 1e300)});
        }
    }
    for (const double v : values) {
        const double one[] = {v};
        const Scaler scaler = common_scale(one, UnitClass::decimal);
        int expected_precision = 0;
        std::string_view expected_prefix;
        for (int k = 0, exp = 12; k < 8; ++k, exp -= 3) {
            if (v < threshold(".99995", exp)) continue;
            expected_precision = v >= threshold("99.995", exp) ? 1 : v >= threshold("9.9995", exp) ? 2 : 3;
            expected_prefix = prefixes[k];
            break;
        }
        if (expected_precision == 0) continue;  // below every prefix: more decimals, tested above
        EXPECT_EQ(scaler.precision, expected_precision) << v;
        EXPECT_EQ(scaler.prefix, expected_prefix) << v;
    }
}
