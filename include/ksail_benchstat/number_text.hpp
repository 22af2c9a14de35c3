// Doubles as text with the fewest digits that read back as the same double, in the layouts of the
// CSV report (fmt's "{}") and of the JSON report (nlohmann's dump()).
#pragma once

#include <array>
#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ksail_benchstat {

// Room a writer below needs at `out`. The longest text, "-2.2250738585072014e-308", has 24
// characters; a writer may also leave a few bytes past the end of a shorter text.
inline constexpr std::size_t k_number_text_room = 40;

// A finite double exactly as fmt::format("{}", value) writes it: plain notation for decimal
// exponents from -4 up to 15 ("0.0001", "-2.5", "10", "1000000000000000"), exponent notation
// beyond ("1e-05", "1.5e+16", "5e-324"), and "-0" for negative zero. Returns the end of the text.
char* write_number_text(double value, char* out) noexcept;

// A finite double as nlohmann's dump() lays it out: plain notation from 1e-4 up to below 1e15,
// whole numbers with ".0" ("10.0", "-0.0"), exponent notation beyond ("1e-05", "1.5e+15"). The
// digits are the same as above (nlohmann's own search sometimes keeps a digit more). Returns the
// end of the text.
char* write_json_number_text(double value, char* out) noexcept;

// Bytes a writer copies for a number's text written before: at least the longest text, and a
// fixed size, so the copy needs no length.
inline constexpr std::size_t k_copied_number = 32;

// A number's text (k_copied_number bytes from `from`, which may overlap them) at `to`: the bytes
// are all read before any is written.
inline void copy_number_text(char* to, const char* from) noexcept {
#if defined(__SSE2__)
    // In two registers: the bytes of an array would go through the stack.
    static_assert(k_copied_number == 32);
    const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from));
    const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to), first);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + 16), second);
#else
    std::array<char, k_copied_number> text;
    std::memcpy(text.data(), from, text.size());
    std::memcpy(to, text.data(), text.size());
#endif
}

}  // namespace ksail_benchstat
