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

// Allocates straight from the system, in large pages, so that memory given back leaves the process
// at once, whatever the heap does with its own free memory.
template <typename T>
struct MappedAllocator {
    using value_type = T;
    MappedAllocator() = default;
    template <typename U>
    MappedAllocator(const MappedAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        void* memory = map_pieces(n * sizeof(T));
        want_large_pages(memory, n * sizeof(T));
        return static_cast<T*>(memory);
    }
    void deallocate(T* p, std::size_t n) noexcept { unmap_pieces(p, n * sizeof(T)); }
    template <typename U>
    bool operator==(const MappedAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace ksail_benchstat
