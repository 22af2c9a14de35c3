// Immutable text shared by its copies. A large input repeats the same benchmark name in every
// metric's series and every table's row; each copy of a SharedText is one pointer to one block.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstring>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace ksail_benchstat {

class SharedText {
public:
    SharedText() noexcept = default;
    SharedText(std::string_view text) : m_block(make(text)) {}  // NOLINT: converts like a string
    SharedText(const std::string& text) : SharedText(std::string_view(text)) {}  // NOLINT
    SharedText(const char* text) : SharedText(std::string_view(text)) {}  // NOLINT

    // Copies share the block: the holder count is atomic, so copies may be made and dropped on
    // several threads at once.
    SharedText(const SharedText& other) noexcept : m_block(other.m_block) {
        if (m_block != nullptr) m_block->holders.fetch_add(1, std::memory_order_relaxed);
    }
    SharedText(SharedText&& other) noexcept : m_block(std::exchange(other.m_block, nullptr)) {}
    SharedText& operator=(const SharedText& other) noexcept {
        SharedText copy(other);
        std::swap(m_block, copy.m_block);
        return *this;
    }
    SharedText& operator=(SharedText&& other) noexcept {
        SharedText taken(std::move(other));
        std::swap(m_block, taken.m_block);
        return *this;
    }
    ~SharedText() { release(); }

    std::string_view view() const noexcept {
        return m_block == nullptr ? std::string_view() : std::string_view(m_block->text(), m_block->size);
    }
    operator std::string_view() const noexcept { return view(); }  // NOLINT: reads like a string
    std::string str() const { return std::string(view()); }
    const char* data() const noexcept { return view().data(); }
    std::size_t size() const noexcept { return m_block == nullptr ? 0 : m_block->size; }
    bool empty() const noexcept { return size() == 0; }
    // Whether both share one block (then they are certainly equal).
    bool same_block(const SharedText& other) const noexcept { return m_block == other.m_block; }

    friend bool operator==(const SharedText& a, const SharedText& b) noexcept {
        return a.m_block == b.m_block || a.view() == b.view();
    }
    friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const SharedText& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator==(const SharedText& a, const char* b) noexcept { return a.view() == b; }
    friend auto operator<=>(const SharedText& a, const SharedText& b) noexcept { return a.view() <=> b.view(); }
    friend auto operator<=>(const SharedText& a, std::string_view b) noexcept { return a.view() <=> b; }
    friend std::string operator+(const SharedText& a, std::string_view b) { return a.str().append(b); }
    friend std::string operator+(std::string_view a, const SharedText& b) { return std::string(a).append(b.view()); }
    friend std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << text.view(); }

private:
    struct Block {
        std::atomic<std::size_t> holders;
        std::size_t size;
        char* text() noexcept { return reinterpret_cast<char*>(this + 1); }
    };

    static Block* make(std::string_view text) {
        if (text.empty()) return nullptr;
        void* memory = ::operator new(sizeof(Block) + text.size());
        Block* block = ::new (memory) Block{{1}, text.size()};
        std::memcpy(block->text(), text.data(), text.size());
        return block;
    }
    void release() noexcept {
        if (m_block != nullptr && m_block->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            m_block->~Block();
            ::operator delete(m_block);
        }
        m_block = nullptr;
    }

    Block* m_block = nullptr;
};

}  // namespace ksail_benchstat

template <>
struct fmt::formatter<ksail_benchstat::SharedText> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const ksail_benchstat::SharedText& text, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(text.view(), ctx);
    }
};

template <>
struct std::hash<ksail_benchstat::SharedText> {
    std::size_t operator()(const ksail_benchstat::SharedText& text) const noexcept {
        return std::hash<std::string_view>{}(text.view());
    }
};
