// Large machine-readable outputs (JSON, CSV) are made of many independent rows: they are written
// on several cores, chunk by chunk, straight into the one output string, in order.
#pragma once

#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {

// Asks for the memory of [begin, begin + size) in huge pages where the system supports it: a
// large output is then faulted in 2 MB at a time instead of 4 KB, and a page fault can cost more
// than writing the page (notably on virtual machines).
inline void advise_huge_pages(char* begin, std::size_t size) {
#ifdef MADV_HUGEPAGE
    constexpr std::uintptr_t k_huge = std::uintptr_t{2} << 20;
    const auto first = (reinterpret_cast<std::uintptr_t>(begin) + k_huge - 1) & ~(k_huge - 1);
    const auto last = (reinterpret_cast<std::uintptr_t>(begin) + size) & ~(k_huge - 1);
    if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)begin;
    (void)size;
#endif
}

// Turns at the output for pieces of work made in parallel (with parallel_for, which hands out
// indices in increasing order) and written in index order: piece c waits for its turn until
// piece c - 1 has passed it on. That cannot deadlock, as every earlier piece is already being made
// by a thread that does not wait for a later one.
class OutputTurns {
public:
    // Returns once the pieces before `c` have passed their turn on.
    void wait(std::size_t c) const {
        for (std::size_t done = m_written.load(std::memory_order_acquire); done != c;
             done = m_written.load(std::memory_order_acquire)) {
            m_written.wait(done, std::memory_order_acquire);
        }
    }
    // Piece `c`, written, passes the turn to piece c + 1.
    void pass(std::size_t c) {
        m_written.store(c + 1, std::memory_order_release);
        m_written.notify_all();
    }

private:
    std::atomic<std::size_t> m_written{0};
};

// Calls write_chunk(c, text) for every chunk c in [0, n_chunks), in parallel, each into a small
// buffer of its thread, and hands each chunk's text to `sink` in chunk order as soon as the chunks
// before it are in. So the output exists at most once (in a string sink) or not at all (on a
// stream): no chunk strings wait for a final join, and a thread's buffer is reused while still in
// cache.
//
// When the first chunk is in, the sink is told to expect n_chunks chunks a quarter larger than
// it plus `extra` bytes the caller writes afterwards (a string reserves that once; untouched
// reserved memory costs no physical memory). Chunks should be of similar size: a larger output
// only grows the string as usual.
//
// Chunk c waits for chunk c - 1 (OutputTurns).
//
// A chunk's text is a `Text`: a std::string, or a buffer of the renderer's own with clear(), size()
// and a conversion to std::string_view.
template <typename Text = std::string, typename WriteChunk>
void write_chunks_in_order(TextSink& sink, std::size_t n_chunks, std::size_t extra, const WriteChunk& write_chunk) {
    OutputTurns turns;
    parallel_for(n_chunks, 4, 1, [&](std::size_t c) {
        thread_local Text text;
        text.clear();
        write_chunk(c, text);
        turns.wait(c);
        if (c == 0) sink.expect((text.size() + text.size() / 4) * n_chunks + extra);
        sink.write(text);
        turns.pass(c);
    });
}

}  // namespace ksail_benchstat
