// Helpers shared by the hand-written JSON readers.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ksail_benchstat/byte_words.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ksail_benchstat::json_scan {

// Whether a byte ends a plain run of JSON string text: a quote, a backslash or a control
// character, and with `stop_at_non_ascii` also any byte of a multi-byte UTF-8 sequence.
inline bool ends_plain_run(unsigned char c, bool stop_at_non_ascii) {
    return c == '"' || c == '\\' || c < 0x20 || (stop_at_non_ascii && c >= 0x80);
}

// The bytes of an eight-byte word that end a plain run without regard to non-ASCII bytes (a
// quote, a backslash, a control character), each marked by its high bit. A borrow can only mark
// bytes above a true match, so the lowest marked byte is exact.
inline std::uint64_t run_enders(std::uint64_t word) {
    return bytes_equal(word, '"') | bytes_equal(word, '\\') | bytes_below(word, 0x20);
}

#if defined(__SSE2__)
// The sixteen bytes at `p` that end a plain run without regard to non-ASCII bytes (a quote, a
// backslash, a control character), one bit each, lowest byte first; `high` gets the bytes of
// 0x80 and up the same way. Three byte comparisons and a mask: fewer instructions for sixteen
// bytes than run_enders takes for eight.
inline unsigned block_enders(const char* p, unsigned& high) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i quote = _mm_cmpeq_epi8(block, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'));
    // A byte is a control character when its unsigned minimum with 0x1F leaves it unchanged.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(block, _mm_set1_epi8(0x1F)), block);
    high = static_cast<unsigned>(_mm_movemask_epi8(block));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)));
}
#endif

// The position of the first byte at or after `pos` that ends a plain run of string text (see
// ends_plain_run), or text.size(). Strings are most of a JSON file, so this looks at sixteen
// bytes at a time where SSE2 is available (see block_enders), else eight: a block goes through
// unchanged only when none of its bytes can end the run.
inline std::size_t plain_run_end(std::string_view text, std::size_t pos, bool stop_at_non_ascii) {
#if defined(__SSE2__)
    while (pos + 16 <= text.size()) {
        unsigned high = 0;
        const unsigned hits = block_enders(text.data() + pos, high) | (stop_at_non_ascii ? high : 0);
        if (hits != 0) {
            return pos + static_cast<std::size_t>(std::countr_zero(hits));
        }
        pos += 16;
    }
#endif
    const std::uint64_t high_mask = stop_at_non_ascii ? k_byte_highs : 0;
    while (pos + sizeof(std::uint64_t) <= text.size()) {
        const std::uint64_t word = load_word(text.data() + pos);
        const std::uint64_t hits = run_enders(word) | (word & high_mask);
        if (hits != 0) {
            if constexpr (std::endian::native == std::endian::little) {
                // A borrow can only mark bytes above a true match, so the lowest marked byte is
                // exact: it is the run's end, found without going back byte by byte.
                return pos + static_cast<std::size_t>(std::countr_zero(hits)) / 8;
            }
            break;
        }
        pos += sizeof word;
    }
    while (pos < text.size() &&
           !ends_plain_run(static_cast<unsigned char>(text[pos]), stop_at_non_ascii)) {
        ++pos;
    }
    return pos;
}

// Copies the plain run of string text that starts at `pos` (see plain_run_end, with
// `stop_at_non_ascii` false) to `out` and returns where the run ends. Whole blocks are stored,
// even past the run's end, so `out` must have room for the run and sixteen more bytes; the
// caller moves its write position by the run's length only. `high_bits` gets the run's bytes
// ORed in (only their high bits are meant), so a caller can tell ASCII text without another
// pass.
inline std::size_t copy_plain_run(std::string_view text, std::size_t pos, char* out,
                                  std::uint64_t& high_bits) {
    const std::size_t start = pos;
#if defined(__SSE2__)
    // The runs of go test -json Output strings are mostly tens of bytes (a benchmark name, a
    // padded number and its unit between "\t" escapes): sixteen bytes a step take half the
    // steps of a word at a time, and each step is fewer instructions (see block_enders).
    while (pos + 16 <= text.size()) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (pos - start)),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos)));
        unsigned high = 0;
        const unsigned hits = block_enders(text.data() + pos, high);
        if (hits != 0) {
            const int run = std::countr_zero(hits);
            // Only the bytes before the run's end count.
            if ((high & ((1u << run) - 1)) != 0) high_bits |= 0x80;
            return pos + static_cast<std::size_t>(run);
        }
        if (high != 0) high_bits |= 0x80;
        pos += 16;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        while (pos + sizeof(std::uint64_t) <= text.size()) {
            const std::uint64_t word = load_word(text.data() + pos);
            std::memcpy(out + (pos - start), &word, sizeof word);
            const std::uint64_t hits = run_enders(word);
            if (hits != 0) {
                const int run_bits = std::countr_zero(hits) & ~7;
                // Only the bytes before the run's end count (a shift by 64 would be undefined).
                high_bits |= word & ((std::uint64_t{1} << run_bits) - 1);
                return pos + static_cast<std::size_t>(run_bits) / 8;
            }
            high_bits |= word;
            pos += sizeof word;
        }
    }
    while (pos < text.size() && !ends_plain_run(static_cast<unsigned char>(text[pos]), false)) {
        out[pos - start] = text[pos];
        high_bits |= static_cast<unsigned char>(text[pos]);
        ++pos;
    }
    return pos;
}

// The value of a hexadecimal digit of a \uXXXX escape, or -1 for any other character.
inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Writes code point `code` (at most 0x10FFFF) at `out` (room for four bytes) in UTF-8, as \uXXXX
// escapes are decoded; returns the end of what was written.
inline char* write_utf8(char* out, std::uint32_t code) {
    if (code < 0x80) {
        *out++ = static_cast<char>(code);
    } else if (code < 0x800) {
        *out++ = static_cast<char>(0xC0 | (code >> 6));
        *out++ = static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        *out++ = static_cast<char>(0xE0 | (code >> 12));
        *out++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (code & 0x3F));
    } else {
        *out++ = static_cast<char>(0xF0 | (code >> 18));
        *out++ = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (code & 0x3F));
    }
    return out;
}

// As write_utf8, appending to `out`.
inline void append_utf8(std::string& out, std::uint32_t code) {
    char encoded[4];
    out.append(encoded, write_utf8(encoded, code));
}

}  // namespace ksail_benchstat::json_scan
