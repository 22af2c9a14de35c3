// Eight bytes tested at once: the constants and the load the word-at-a-time scans share.
#pragma once

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

}  // namespace ksail_benchstat
