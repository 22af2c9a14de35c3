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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ksail_benchstat/byte_words.hpp"

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

// The eight digits of `value` (below 10^8, so leading zeros too) as the bytes of a word, the first
// digit first in memory. The word is split into two halves of four digits, each half into two
// quarters of two digits, each quarter into two bytes of one digit, every lane of a step at once:
// a division by 100 or 10 is a product with a fixed-point reciprocal (10486 / 2^20, exact for
// numbers below 10^4; 103 / 2^10, exact below 100), and no lane's product reaches the next lane.
// That is about a dozen instructions and one store, where pairs from a table took eight loads and
// stores and a division each.
std::uint64_t eight_digits(std::uint32_t value) {
    const std::uint64_t halves = (value / 10000) | (std::uint64_t{value % 10000} << 32);
    const std::uint64_t hundreds = ((halves * 10486) >> 20) & 0x0000'007F'0000'007FULL;
    const std::uint64_t quarters = hundreds | ((halves - hundreds * 100) << 16);
    const std::uint64_t tens = ((quarters * 103) >> 10) & 0x000F'000F'000F'000FULL;
    const std::uint64_t digits = (tens | ((quarters - tens * 10) << 8)) | (k_byte_ones * '0');
    if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(digits);
    return digits;
}

void write_eight_digits(char* at, std::uint32_t value) {
    const std::uint64_t digits = eight_digits(value);
    std::memcpy(at, &digits, sizeof digits);
}

// The decimal digits of `value`, ending at `end` (the caller knows how many there are): the whole
// numbers of a report, mostly of a few digits, a pair at a time.
void write_digits(char* end, std::uint64_t value) {
    constexpr std::uint64_t k_ten_to_eight = 100'000'000;
    while (value >= k_ten_to_eight) {
        end -= 8;
        write_eight_digits(end, static_cast<std::uint32_t>(value % k_ten_to_eight));
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

// The sixteen digits of `high` and `low` (each below 10^8, leading zeros too) at `out`. With
// SSE2 the steps of eight_digits run on both numbers at once, in the lanes of one register:
// halves of four digits in 32-bit lanes (a division by 10^4 as the product with 3518437209 /
// 2^45, exact below 10^8), quarters of two digits in 16-bit lanes (by 100 as 5243 / 2^19), a
// digit in each byte (by 10 as 6554 / 2^16, exact below 100).
void write_sixteen_digits(char* out, std::uint32_t high, std::uint32_t low) {
#if defined(__SSE2__)
    const __m128i numbers = _mm_set_epi64x(static_cast<long long>(low), static_cast<long long>(high));
    const __m128i upper = _mm_srli_epi64(_mm_mul_epu32(numbers, _mm_set1_epi64x(3518437209)), 45);
    const __m128i lower = _mm_sub_epi64(numbers, _mm_mul_epu32(upper, _mm_set1_epi64x(10000)));
    const __m128i halves = _mm_or_si128(upper, _mm_slli_epi64(lower, 32));
    const __m128i hundreds = _mm_srli_epi16(_mm_mulhi_epu16(halves, _mm_set1_epi16(5243)), 3);
    const __m128i rest = _mm_sub_epi16(halves, _mm_mullo_epi16(hundreds, _mm_set1_epi16(100)));
    const __m128i quarters = _mm_or_si128(hundreds, _mm_slli_epi32(rest, 16));
    const __m128i tens = _mm_mulhi_epu16(quarters, _mm_set1_epi16(6554));
    const __m128i ones = _mm_sub_epi16(quarters, _mm_mullo_epi16(tens, _mm_set1_epi16(10)));
    const __m128i digits = _mm_or_si128(tens, _mm_slli_epi16(ones, 8));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_add_epi8(digits, _mm_set1_epi8('0')));
#else
    write_eight_digits(out, high);
    write_eight_digits(out + 8, low);
#endif
}

// Shortest digits, up to 17 of them: always written as 17, with leading zeros, at `out` (room
// for 17 bytes), so the number's own digits start at out + 17 - count. Most have 16 or 17 digits,
// and fixed-size work then beats a loop over pairs; the layouts below copy them in fixed sizes
// too, rather than by the count.
void write_seventeen_digits(char* out, std::uint64_t value) {
    constexpr std::uint64_t k_ten_to_eight = 100'000'000;
    const std::uint64_t high = value / k_ten_to_eight;  // below 10^9
    out[0] = static_cast<char>('0' + high / k_ten_to_eight);
    write_sixteen_digits(out + 1, static_cast<std::uint32_t>(high % k_ten_to_eight),
                         static_cast<std::uint32_t>(value % k_ten_to_eight));
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

    // The digits, then 16 bytes more to read: the copies below are of 16 or 17 bytes whatever the
    // count, and what they take past the digits is written over or left past the end.
    char buffer[17 + 16];
    write_seventeen_digits(buffer, significand);
    const char* digits = buffer + 17 - count;

    if (point < -3 || point > k_largest_plain_point) {
        // "d.ddde+XX" (or "de+XX" for one digit): the exponent has a sign and two digits at least.
        out[0] = digits[0];
        out[1] = '.';
        std::memcpy(out + 2, digits + 1, 16);
        char* p = count == 1 ? out + 1 : out + 1 + count;
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
        // A whole number from 10^15 on: the digits, then the zeros the power of ten stands for
        // (16 digits at most in all).
        std::memcpy(out, digits, 16);
        std::memcpy(out + count, "0000000000000000", 16);
        char* p = out + point;
        if constexpr (k_json) {
            std::memcpy(p, ".0", 2);
            p += 2;
        }
        return p;
    }
    if (point > 0) {
        // The digits with a decimal point after the first `point` of them: at most 16 digits on
        // either side of it.
        std::memcpy(out, digits, 16);
        out[point] = '.';
        std::memcpy(out + point + 1, digits + point, 16);
        return out + 1 + count;
    }
    // Below 1: "0.", up to three zeros (0.0001 is the smallest number in plain notation), the digits.
    std::memcpy(out, "0.000", 5);
    std::memcpy(out + 2 - point, digits, 17);
    return out + 2 - point + count;
}

}  // namespace

char* write_number_text(double value, char* out) noexcept { return write_shortest<false>(value, out); }

char* write_json_number_text(double value, char* out) noexcept { return write_shortest<true>(value, out); }

}  // namespace ksail_benchstat
