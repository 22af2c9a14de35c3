// Doubles as text. fmt::format("{}") spent about 500 instructions on each number of a CSV report:
// about 150 to find the shortest digits (fmt's Dragonbox search, dragonbox::to_decimal), the rest
// in its general formatting machinery (widths, fill, locales, digit grouping), which a report
// never asks for. The digits still come from fmt's own search, so they are fmt's by construction;
// only the layout is written here, after fmt's rules for "{}" (do_write_float in fmt/format.h).
#include "ksail_benchstat/number_text.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace ksail_benchstat {
namespace {

// "00", "01", ..., "99": numbers are written two digits at a time.
constexpr std::array<char, 200> k_digit_pairs = [] {
    std::array<char, 200> pairs{};
    for (int i = 0; i < 100; ++i) {
        pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
        pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
    }
    return pairs;
}();

// The smallest number with i + 1 digits: 0, 10, 100, ... (0 rather than 1, as zero has a digit).
constexpr std::array<std::uint64_t, 20> k_smallest_with_digits = [] {
    std::array<std::uint64_t, 20> smallest{};
    std::uint64_t power = 1;
    for (std::size_t i = 1; i < smallest.size(); ++i) {
        power *= 10;
        smallest[i] = power;
    }
    return smallest;
}();

// How many decimal digits `value` has. A number of b bits has about b * log10(2) digits
// (1233 / 4096 is just above log10(2)); that estimate is at most one short, which the table settles.
int digit_count(std::uint64_t value) {
    const auto estimate = static_cast<std::size_t>((std::bit_width(value) * 1233) >> 12);
    return static_cast<int>(estimate) + (value >= k_smallest_with_digits[estimate] ? 1 : 0);
}

void write_pair(char* at, std::uint32_t value) { std::memcpy(at, &k_digit_pairs[2 * value], 2); }

// The eight digits of `value` (below 10^8, so leading zeros too), ending at `end`. Two halves of
// four digits and their pairs are independent of each other, unlike pairs peeled off one by one.
void write_eight_digits(char* end, std::uint32_t value) {
    const std::uint32_t high = value / 10000;
    const std::uint32_t low = value % 10000;
    write_pair(end - 8, high / 100);
    write_pair(end - 6, high % 100);
    write_pair(end - 4, low / 100);
    write_pair(end - 2, low % 100);
}

// The decimal digits of `value`, ending at `end` (the caller knows how many there are). Most
// numbers of a report have 16 or 17 digits: eight at a time, in 32-bit arithmetic, is cheaper
// than a 64-bit division for every pair.
void write_digits(char* end, std::uint64_t value) {
    constexpr std::uint64_t k_ten_to_eight = 100'000'000;
    while (value >= k_ten_to_eight) {
        write_eight_digits(end, static_cast<std::uint32_t>(value % k_ten_to_eight));
        end -= 8;
        value /= k_ten_to_eight;
    }
    auto rest = static_cast<std::uint32_t>(value);
    while (rest >= 100) {
        end -= 2;
        write_pair(end, rest % 100);
        rest /= 100;
    }
    if (rest >= 10) {
        write_pair(end - 2, rest);
    } else {
        end[-1] = static_cast<char>('0' + rest);
    }
}

// The digits with a decimal point after the first `point` of them (0 < point < count): they are
// written one place to the right, then the first `point` move back over the point's place.
char* write_digits_with_point(char* out, std::uint64_t significand, int count, int point) {
    write_digits(out + 1 + count, significand);
    for (int i = 0; i < point; ++i) out[i] = out[i + 1];
    out[point] = '.';
    return out + 1 + count;
}

// fmt and nlohmann lay the same digits out alike but for two things: exponent notation starts at
// 10^16 for fmt and at 10^15 for nlohmann, and nlohmann ends a whole number with ".0".
template <bool k_json>
char* write_shortest(double value, char* out) noexcept {
    if (std::signbit(value)) {
        *out++ = '-';
        value = -value;
    }
    // Most numbers of a report are whole (bytes, allocations, counts, equal samples). Below 10^15 a
    // double is exact to an eighth, so no decimal of fewer digits reads back as a whole number:
    // its shortest digits are its own, and the search for them is skipped.
    if (value < 1e15) {
        const auto whole = static_cast<std::uint64_t>(value);
        if (static_cast<double>(whole) == value) {
            const int count = digit_count(whole);
            out += count;
            write_digits(out, whole);
            if constexpr (k_json) {
                std::memcpy(out, ".0", 2);
                out += 2;
            }
            return out;
        }
    }
    // The shortest digits, as an integer and a power of ten: 0.0125 is 125 and -4, 1.5e20 is 15
    // and 19 (trailing zeros are dropped).
    const auto decimal = fmt::detail::dragonbox::to_decimal(value);
    const std::uint64_t significand = decimal.significand;
    const int count = digit_count(significand);
    // Where the decimal point falls among the digits: 12.5 has it after 2 digits, 0.00125 after -2.
    const int point = decimal.exponent + count;
    constexpr int k_largest_plain_point = k_json ? 15 : 16;

    if (point < -3 || point > k_largest_plain_point) {
        // "d.ddde+XX" (or "de+XX" for one digit): the exponent has a sign and two digits at least.
        char* p = out + 1;
        if (count == 1) {
            *out = static_cast<char>('0' + significand);
        } else {
            p = write_digits_with_point(out, significand, count, 1);
        }
        int exponent = point - 1;
        *p++ = 'e';
        *p++ = exponent < 0 ? '-' : '+';
        if (exponent < 0) exponent = -exponent;
        if (exponent >= 100) {
            *p++ = static_cast<char>('0' + exponent / 100);
            exponent %= 100;
        }
        std::memcpy(p, &k_digit_pairs[static_cast<std::size_t>(2 * exponent)], 2);
        return p + 2;
    }
    if (decimal.exponent >= 0) {
        // A whole number from 10^15 on: the digits, then the zeros the power of ten stands for.
        char* p = out + count;
        write_digits(p, significand);
        for (int i = 0; i < decimal.exponent; ++i) *p++ = '0';
        if constexpr (k_json) {
            std::memcpy(p, ".0", 2);
            p += 2;
        }
        return p;
    }
    if (point > 0) return write_digits_with_point(out, significand, count, point);
    // Below 1: "0.", up to three zeros (0.0001 is the smallest number in plain notation), the digits.
    std::memcpy(out, "0.000", 5);
    char* end = out + 2 - point + count;
    write_digits(end, significand);
    return end;
}

}  // namespace

char* write_number_text(double value, char* out) noexcept { return write_shortest<false>(value, out); }

char* write_json_number_text(double value, char* out) noexcept { return write_shortest<true>(value, out); }

}  // namespace ksail_benchstat
