// Sample arrays carved from per-thread blocks (include/ksail_benchstat/samples.hpp).
//
// A block is aligned to its size, so an array finds its block from its own address. The block's
// header counts the arrays carved from it that are still alive, plus one while it is a thread's
// current block; the last to go unmaps it. An array too large for a block gets a block of its own,
// still aligned the same way, with the array at the same offset after the header.
#include "ksail_benchstat/samples.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <stdexcept>

#include "ksail_benchstat/mapped_memory.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// A sanitized build marks the room no array holds as out of bounds, as if each array were an
// allocation of its own.
#define KSAIL_POISON(address, bytes) ASAN_POISON_MEMORY_REGION(address, bytes)
#define KSAIL_UNPOISON(address, bytes) ASAN_UNPOISON_MEMORY_REGION(address, bytes)
#else
#define KSAIL_POISON(address, bytes) static_cast<void>(0)
#define KSAIL_UNPOISON(address, bytes) static_cast<void>(0)
#endif

namespace ksail_benchstat {
namespace {

constexpr std::size_t k_block_bytes = k_mapped_piece_bytes;
constexpr std::size_t k_header_bytes = 64;
constexpr std::size_t k_block_values = (k_block_bytes - k_header_bytes) / sizeof(double);
constexpr std::size_t k_max_values = std::numeric_limits<std::uint32_t>::max();

struct BlockHeader {
    std::atomic<std::size_t> holders;  // live arrays, plus one while it is a thread's current block
    std::size_t bytes;                 // the block's size, header included
};
static_assert(sizeof(BlockHeader) <= k_header_bytes);

double* values_of(BlockHeader* block) noexcept {
    return reinterpret_cast<double*>(reinterpret_cast<char*>(block) + k_header_bytes);
}

BlockHeader* block_of(const double* values) noexcept {
    return reinterpret_cast<BlockHeader*>(reinterpret_cast<std::uintptr_t>(values) & ~(k_block_bytes - 1));
}

// A block of `bytes`, on large pages if `large_pages`.
BlockHeader* new_block(std::size_t bytes, bool large_pages) {
    // Blocks are mapped from the system and unmapped when their last array goes, so their memory
    // leaves the process at once.
    void* memory = map_pieces(bytes);
    if (large_pages) want_large_pages(memory, bytes);
    // The sanitizer's marks outlive an unmapping: a new mapping at the same address starts clean.
    KSAIL_UNPOISON(memory, k_header_bytes);
    KSAIL_POISON(static_cast<char*>(memory) + k_header_bytes, bytes - k_header_bytes);
    return ::new (memory) BlockHeader{{1}, bytes};
}

// Lets go of `count` holds on `block`; the last one frees it.
void drop(BlockHeader* block, std::size_t count = 1) noexcept {
    if (block->holders.fetch_sub(count, std::memory_order_acq_rel) == count) {
        const std::size_t bytes = block->bytes;
        block->~BlockHeader();
        KSAIL_UNPOISON(block, bytes);
        unmap_pieces(block, bytes);
    }
}

// The holds a thread has let go of on two blocks, not yet counted off. Arrays released one after
// another mostly come from two blocks: a before/after row releases one array of each input, and
// each input was read into blocks of its own. Two threads releasing the neighbouring rows of a
// comparison would otherwise both write each block's count for every array. A block's count only
// ever comes down late, never early, and at most k_pending blocks per thread wait: a new block
// takes the slot filled longest ago and counts off what it held, and the thread's end counts off
// the rest. (One slot per input keeps the usual two-input comparison's pair of blocks apart; a
// slot more holds each finished block back a while longer: four slots measured 4 MB more at the
// peak on a large comparison.) The records themselves have no destructor, so that arrays released
// after the thread's end has been handled (by static objects, as the program exits) still find them.
struct PendingDrops {
    BlockHeader* block;
    std::size_t count;
};
constexpr std::size_t k_pending = 2;
thread_local PendingDrops t_pending[k_pending] = {};
thread_local std::size_t t_pending_next = 0;  // the slot to reuse next, the oldest

void settle(PendingDrops& pending) noexcept {
    if (pending.block != nullptr) drop(pending.block, pending.count);
    pending = {nullptr, 0};
}

void settle_pending() noexcept {
    for (PendingDrops& pending : t_pending) settle(pending);
}

// Counts off what the thread still holds back when the thread ends.
struct SettleAtThreadEnd {
    SettleAtThreadEnd() = default;
    SettleAtThreadEnd(const SettleAtThreadEnd&) = delete;
    SettleAtThreadEnd& operator=(const SettleAtThreadEnd&) = delete;
    ~SettleAtThreadEnd() { settle_pending(); }
};
thread_local SettleAtThreadEnd t_settle_at_end;

void hold_back_drop(BlockHeader* block) noexcept {
    for (PendingDrops& pending : t_pending) {
        if (pending.block == block) {
            ++pending.count;
            return;
        }
    }
    PendingDrops& slot = t_pending[t_pending_next];
    t_pending_next = (t_pending_next + 1) % k_pending;
    settle(slot);
    // Using the guard makes sure it exists, and so runs, on this thread.
    static_cast<void>(&t_settle_at_end);
    slot = {block, 1};
}

void release_room(double* values, [[maybe_unused]] std::size_t room) noexcept {
    KSAIL_POISON(values, room * sizeof(double));
    hold_back_drop(block_of(values));
}

// The block this thread carves from, and how much of it is used.
struct CurrentBlock {
    BlockHeader* block = nullptr;
    std::size_t used = 0;    // values carved so far
    std::size_t blocks = 0;  // blocks this thread has begun
    CurrentBlock() = default;
    CurrentBlock(const CurrentBlock&) = delete;
    CurrentBlock& operator=(const CurrentBlock&) = delete;
    ~CurrentBlock() { retire(); }
    void retire() noexcept {
        if (block != nullptr) drop(block);
        block = nullptr;
    }
};
thread_local CurrentBlock t_current;

std::atomic<bool> g_large_pages_first{false};  // samples_on_large_pages()

// Room for `count` (>= 1) values.
double* allocate(std::size_t count) {
    if (count > k_block_values) {
        double* values = values_of(new_block(k_header_bytes + count * sizeof(double), true));
        KSAIL_UNPOISON(values, count * sizeof(double));
        return values;
    }
    CurrentBlock& current = t_current;
    if (current.block == nullptr || current.used + count > k_block_values) {
        // The first block, or the next: the full one stays until its arrays are gone. A thread that
        // fills a block is reading a large input; a small one touches a few pages of its first.
        BlockHeader* fresh =
            new_block(k_block_bytes, current.blocks > 0 || g_large_pages_first.load(std::memory_order_relaxed));
        ++current.blocks;
        current.retire();
        current.block = fresh;
        current.used = 0;
    }
    double* values = values_of(current.block) + current.used;
    current.used += count;
    current.block->holders.fetch_add(1, std::memory_order_relaxed);
    KSAIL_UNPOISON(values, count * sizeof(double));
    return values;
}

}  // namespace

void samples_on_large_pages() noexcept { g_large_pages_first.store(true, std::memory_order_relaxed); }

void release_thread_samples() noexcept {
    settle_pending();
    t_pending_next = 0;
    t_current.retire();
    t_current.used = 0;
    t_current.blocks = 0;
}

void Samples::let_go() noexcept {
    release_room(m_data, m_capacity);
    m_data = nullptr;
    m_size = 0;
    m_capacity = 0;
}

void Samples::grow(std::size_t count) {
    if (count > k_max_values) throw std::length_error("too many samples in one series");
    move_to(std::min(k_max_values, std::max<std::size_t>({count, std::size_t{m_capacity} * 2, 4})));
}

void Samples::move_to(std::size_t count) {
    if (count > k_max_values) throw std::length_error("too many samples in one series");
    double* moved = allocate(count);
    if (m_size > 0) std::memcpy(moved, m_data, m_size * sizeof(double));
    if (m_data != nullptr) release_room(m_data, m_capacity);
    m_data = moved;
    m_capacity = static_cast<std::uint32_t>(count);
}

void Samples::append(std::span<const double> values) {
    if (values.empty()) return;
    const std::size_t needed = std::size_t{m_size} + values.size();
    if (needed > m_capacity) {
        // Values that are this array's own move with it to the new room.
        const std::less<const double*> before;
        const bool own = m_data != nullptr && !before(values.data(), m_data) && before(values.data(), end());
        const std::size_t offset = own ? static_cast<std::size_t>(values.data() - m_data) : 0;
        grow(needed);
        if (own) values = {m_data + offset, values.size()};
    }
    std::memmove(m_data + m_size, values.data(), values.size() * sizeof(double));
    m_size = static_cast<std::uint32_t>(needed);
}

bool Samples::equal(std::span<const double> a, std::span<const double> b) noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::ostream& operator<<(std::ostream& out, const Samples& s) {
    out << '{';
    for (std::size_t i = 0; i < s.size(); ++i) out << (i ? ", " : "") << s[i];
    return out << '}';
}

}  // namespace ksail_benchstat
