// A sequence that grows by blocks instead of copying itself, and lets go of its front blocks once
// they are used: the grouping's rows of a large table, read once and in order while the report's
// rows take their place.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "ksail_benchstat/mapped_memory.hpp"

namespace ksail_benchstat {

// The first k_first elements are in an ordinary vector (most sequences stay that short); later
// ones in blocks of one mapped piece (2 MiB) each. release_front() lets go of the blocks
// before a place, after which only the elements from that place on may be used.
template <typename T>
class BlockVector {
public:
    static constexpr std::size_t k_first = 4096;
    static constexpr std::size_t k_block = std::max<std::size_t>(1, k_mapped_piece_bytes / sizeof(T));

    std::size_t size() const noexcept { return m_size; }
    T& operator[](std::size_t i) {
        if (i < k_first) return m_first[i];
        return m_blocks[(i - k_first) / k_block][(i - k_first) % k_block];
    }
    void push_back(T&& value) { emplace_back(std::move(value)); }
    // A new element at the end, made in its place from `args`.
    template <typename... Args>
    T& emplace_back(Args&&... args) {
        T* made = nullptr;
        if (m_size < k_first) {
            made = &m_first.emplace_back(std::forward<Args>(args)...);
        } else {
            const std::size_t block = (m_size - k_first) / k_block;
            if (block == m_blocks.size()) m_blocks.emplace_back().reserve(k_block);
            made = &m_blocks[block].emplace_back(std::forward<Args>(args)...);
        }
        ++m_size;
        return *made;
    }
    // Calls f(element) for every element, in order (none may have been released).
    template <typename F>
    void for_each(const F& f) {
        for (T& value : m_first) f(value);
        for (auto& block : m_blocks) {
            for (T& value : block) f(value);
        }
    }
    // Lets go of every block that holds only elements before `place`.
    void release_front(std::size_t place) {
        if (place >= k_first && !m_first.empty()) std::vector<T>().swap(m_first);
        if (place < k_first) return;
        const std::size_t blocks = std::min((place - k_first) / k_block, m_blocks.size());
        for (std::size_t b = 0; b < blocks; ++b) {
            if (!m_blocks[b].empty()) Block().swap(m_blocks[b]);
        }
    }
    void clear() {
        std::vector<T>().swap(m_first);
        std::vector<Block>().swap(m_blocks);
        m_size = 0;
    }

private:
    using Block = std::vector<T, MappedAllocator<T>>;
    std::vector<T> m_first;
    std::vector<Block> m_blocks;
    std::size_t m_size = 0;
};

}  // namespace ksail_benchstat
