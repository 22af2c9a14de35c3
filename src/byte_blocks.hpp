// Sixteen bytes at once (SSE2, whose intrinsics this brings in): the walk over a text that the CSV
// and JSON writers' copies and scans of strings share.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>

#include <cstddef>

namespace ksail_benchstat {

// Calls step(i, bytes) with the sixteen bytes at from + i, for i = 0, 16, 32 and so on, and last
// for the last sixteen of the `size` bytes at `from` (at least 16), which may overlap the ones
// before: a text of any length is then walked with no byte-by-byte end, for a step (a copy, a test)
// whose result does not change when it sees a byte twice.
template <typename Step>
inline void for_each_16_bytes(const char* from, std::size_t size, const Step& step) {
    const auto at = [&](std::size_t i) { step(i, _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + i))); };
    for (std::size_t i = 0; i + 16 < size; i += 16) at(i);
    at(size - 16);
}

// Stores the sixteen `bytes` at `to`, which may have any alignment.
inline void store_16_bytes(char* to, __m128i bytes) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to), bytes);
}

}  // namespace ksail_benchstat
#endif
