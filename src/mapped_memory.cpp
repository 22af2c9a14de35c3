// Aligned pieces of memory from the system (include/ksail_benchstat/mapped_memory.hpp).
#include "ksail_benchstat/mapped_memory.hpp"

#include <cstdint>
#include <new>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#define KSAIL_MAPPED_MEMORY_MMAP 1
#endif

namespace ksail_benchstat {

#if KSAIL_MAPPED_MEMORY_MMAP
namespace {
std::size_t mapped_bytes(std::size_t bytes) noexcept {
    return (bytes + k_mapped_piece_bytes - 1) & ~(k_mapped_piece_bytes - 1);
}
}  // namespace

// A mapping is aligned by mapping one piece more than needed and unmapping the slack on each side.
void* map_pieces(std::size_t bytes) {
    const std::size_t size = mapped_bytes(bytes);
    void* mapped = ::mmap(nullptr, size + k_mapped_piece_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(mapped);
    const std::uintptr_t aligned = (start + k_mapped_piece_bytes - 1) & ~(k_mapped_piece_bytes - 1);
    if (aligned > start) ::munmap(mapped, aligned - start);
    const std::uintptr_t end = start + size + k_mapped_piece_bytes;
    if (end > aligned + size) ::munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
    return reinterpret_cast<void*>(aligned);
}

void unmap_pieces(void* memory, std::size_t bytes) noexcept { ::munmap(memory, mapped_bytes(bytes)); }

void want_large_pages(void* memory, std::size_t bytes) noexcept {
#if defined(MADV_HUGEPAGE)
    ::madvise(memory, mapped_bytes(bytes), MADV_HUGEPAGE);
#else
    static_cast<void>(memory);
    static_cast<void>(bytes);
#endif
}
#else
void* map_pieces(std::size_t bytes) { return ::operator new(bytes, std::align_val_t{k_mapped_piece_bytes}); }
void unmap_pieces(void* memory, std::size_t) noexcept { ::operator delete(memory, std::align_val_t{k_mapped_piece_bytes}); }
void want_large_pages(void*, std::size_t) noexcept {}
#endif

}  // namespace ksail_benchstat
