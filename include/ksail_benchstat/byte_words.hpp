// Eight bytes tested at once: the constants and the load the word-at-a-time scans share.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ksail_benchstat {

inline constexpr std::uint64_t k_byte_ones = 0x0101010101010101ULL;   // 0x01 in every byte
inline constexpr std::uint64_t k_byte_highs = 0x8080808080808080ULL;  // the high bit of every byte

// The eight bytes at `p` as one word (any alignment).
inline std::uint64_t load_word(const char* p) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// The bytes of `word` equal to `ch`, each marked by its high bit: the zero bytes of word ^ ch,
// found by the classic test. A borrow can only mark bytes above a true match, so whether any byte
// is marked, and which is the lowest, are exact.
inline std::uint64_t bytes_equal(std::uint64_t word, unsigned char ch) {
    const std::uint64_t x = word ^ (k_byte_ones * ch);
    return (x - k_byte_ones) & ~x & k_byte_highs;
}

// The bytes of `word` below `limit` (at most 0x80), marked as by bytes_equal and as exact in the
// same sense.
inline std::uint64_t bytes_below(std::uint64_t word, unsigned char limit) {
    return (word - k_byte_ones * limit) & ~word & k_byte_highs;
}

// The bytes of `word` above the byte of `limits` in the same place (each limit at most 0x7F),
// marked as by bytes_equal. Every byte is exact: no carry crosses from one byte into the next.
inline std::uint64_t bytes_above(std::uint64_t word, std::uint64_t limits) {
    constexpr std::uint64_t k_low_sevens = k_byte_highs - k_byte_ones;  // 0x7F in every byte
    return (((word & k_low_sevens) + (k_low_sevens - limits)) | word) & k_byte_highs;
}

// For each n from 0 to 8, the word whose first n bytes in memory are 0xFF and whose others are 0:
// the low bytes on a little-endian machine, else the high ones.
inline constexpr std::array<std::uint64_t, 9> k_first_bytes = [] {
    std::array<std::uint64_t, 9> masks{};
    for (std::size_t n = 1; n <= 8; ++n) {
        const unsigned low_bits = static_cast<unsigned>(8 * n);
        const std::uint64_t low = low_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << low_bits) - 1;
        masks[n] = std::endian::native == std::endian::little ? low : ~(~std::uint64_t{0} >> low_bits);
    }
    return masks;
}();

// The word whose bytes `from` to `to` - 1, in memory order, are 0xFF and whose other bytes are 0
// (from <= to <= 8).
inline std::uint64_t word_mask(std::size_t from, std::size_t to) { return k_first_bytes[to] & ~k_first_bytes[from]; }

// Whether every byte of `text` is ASCII (below 0x80): 32 bytes a step into four separate words,
// whose ORs do not wait for each other.
inline bool all_ascii(const char* text, std::size_t size) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
    std::uint64_t d = 0;
    std::size_t i = 0;
    for (; i + 32 <= size; i += 32) {
        a |= load_word(text + i);
        b |= load_word(text + i + 8);
        c |= load_word(text + i + 16);
        d |= load_word(text + i + 24);
    }
    // A last byte's high bit lands on the lowest byte's, which the mask covers too.
    for (; i < size; ++i) a |= static_cast<unsigned char>(text[i]);
    return ((a | b | c | d) & k_byte_highs) == 0;
}

}  // namespace ksail_benchstat
