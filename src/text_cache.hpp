// Texts that the rows of a report repeat (a p-value's, in the CSV and JSON reports), kept in a
// small cache and found by a hash of what they depend on, since finding a text costs much less
// than writing it again.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ksail_benchstat {

// `Texts` by a key of `Words` 64-bit words, in 256 entries: a key takes the entry its hash picks
// from whichever key had it. `Texts` says by empty() whether anything is written in it; an empty
// entry is written whatever its key, so the entries' first key, all zeros, finds nothing.
template <std::size_t Words, typename Texts>
class TextCache {
public:
    using Key = std::array<std::uint64_t, Words>;

    // The texts of `key`: those in its entry, or else those `write(texts)` writes there. The writing
    // is kept out of line, away from the finding, which is what most calls do.
    template <typename Write>
    const Texts& find(const Key& key, const Write& write) {
        std::uint64_t mixed = key[0];
        for (std::size_t i = 1; i < Words; ++i) mixed ^= key[i];
        // A multiplicative hash: the top bits of the product depend on all the key's bits.
        Entry& entry = m_entries[(mixed * 0x9E37'79B9'7F4A'7C15ULL) >> (64 - k_index_bits)];
        if (!same(entry.key, key) || entry.texts.empty()) fill(entry, key, write);
        return entry.texts;
    }

private:
    static constexpr unsigned k_index_bits = 8;  // 256 entries: a few more find little more

    struct Entry {
        Key key{};
        Texts texts{};
    };

    // Word by word, stopping at the first that differs: fewer instructions, measured, than the
    // array's ==, which compares the words as one block of bytes.
    static bool same(const Key& a, const Key& b) {
        for (std::size_t i = 0; i < Words; ++i) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    template <typename Write>
    [[gnu::noinline]] static void fill(Entry& entry, const Key& key, const Write& write) {
        entry.key = key;
        write(entry.texts);
    }

    std::array<Entry, std::size_t{1} << k_index_bits> m_entries{};
};

}  // namespace ksail_benchstat
