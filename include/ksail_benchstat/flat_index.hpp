// An insert-only hash index over an array the caller keeps: it maps a key to the position of the
// element that has it. The slots are one array (open addressing, linear probing), so building the
// index makes no allocation per entry and dropping it frees one block: a node-based map of
// 100,000 names took 30 ms just to free on the Go text pair of docs/performance.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ksail_benchstat {

class FlatIndex {
public:
    static constexpr std::uint32_t k_none = std::numeric_limits<std::uint32_t>::max();

    // Room for `count` entries without growing.
    void reserve(std::size_t count) {
        std::size_t slots = 16;
        while (slots < count * 2) slots *= 2;
        if (slots > m_slots.size()) rehash(slots);
    }
    std::size_t size() const noexcept { return m_size; }

    // The position of the element with the key whose hash is `hash`, or k_none; `equals(position)`
    // says whether that element has the key.
    template <class Equals>
    std::uint32_t find(std::size_t hash, const Equals& equals) const {
        if (m_slots.empty()) return k_none;
        const auto bits = static_cast<std::uint32_t>(hash);
        for (std::size_t at = bits & m_mask;; at = (at + 1) & m_mask) {
            const Slot& slot = m_slots[at];
            if (slot.position == k_none) return k_none;
            if (slot.hash == bits && equals(slot.position)) return slot.position;
        }
    }

    // Starts fetching the slot where a key with hash `hash` is looked for: a large index's slot is
    // rarely in the cache, and the caller can do other work while it comes.
    void prefetch(std::size_t hash) const noexcept {
#if defined(__GNUC__)
        if (!m_slots.empty()) __builtin_prefetch(&m_slots[static_cast<std::uint32_t>(hash) & m_mask]);
#else
        (void)hash;
#endif
    }

    struct Found {
        std::uint32_t position;  // the element's position
        bool inserted;           // the key was new: `position` is the one given, to be filled
    };
    // As find(), but a key that no element has yet is entered at `position`, where the caller then
    // puts its element: one probe either way, as a new key is the usual case while an index is
    // built.
    template <class Equals>
    Found find_or_insert(std::size_t hash, const Equals& equals, std::size_t position) {
        if (position >= k_none) throw std::length_error("FlatIndex: too many entries");
        // Grown first, so that the probe below ends on the slot a new key takes.
        if ((m_size + 1) * 2 > m_slots.size()) rehash(m_slots.empty() ? 16 : m_slots.size() * 2);
        const auto bits = static_cast<std::uint32_t>(hash);
        for (std::size_t at = bits & m_mask;; at = (at + 1) & m_mask) {
            Slot& slot = m_slots[at];
            if (slot.position == k_none) {
                slot = Slot{static_cast<std::uint32_t>(position), bits};
                ++m_size;
                return {slot.position, true};
            }
            if (slot.hash == bits && equals(slot.position)) return {slot.position, false};
        }
    }

private:
    struct Slot {
        std::uint32_t position = k_none;
        std::uint32_t hash = 0;  // the low 32 bits of the key's hash: where it goes and a quick test
    };

    void place(Slot slot) {
        std::size_t at = slot.hash & m_mask;
        while (m_slots[at].position != k_none) at = (at + 1) & m_mask;
        m_slots[at] = slot;
    }
    void rehash(std::size_t slots) {
        std::vector<Slot> old(slots);
        old.swap(m_slots);
        m_mask = slots - 1;
        for (const Slot& slot : old) {
            if (slot.position != k_none) place(slot);
        }
    }

    std::vector<Slot> m_slots;  // a power of two in size, at most half full
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

}  // namespace ksail_benchstat
