// Memory mapped from the system directly, in whole aligned 2 MiB pieces: it leaves the process as
// soon as it is unmapped, whatever the heap does with its own free memory, and each piece can be
// one large page.
#pragma once

#include <cstddef>

namespace ksail_benchstat {

inline constexpr std::size_t k_mapped_piece_bytes = std::size_t{1} << 21;

// At least `bytes` of memory aligned to k_mapped_piece_bytes; throws std::bad_alloc.
void* map_pieces(std::size_t bytes);
// Gives back what map_pieces(bytes) returned.
void unmap_pieces(void* memory, std::size_t bytes) noexcept;
// Asks for large pages for what map_pieces(bytes) returned: fewer faults to fill it and fewer
// misses of the address translation while it is read (measured in docs/performance.md).
void want_large_pages(void* memory, std::size_t bytes) noexcept;

}  // namespace ksail_benchstat
