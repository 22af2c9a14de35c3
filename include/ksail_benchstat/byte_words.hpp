// Eight bytes tested at once: the constants and the load the word-at-a-time scans share.
#pragma once

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
