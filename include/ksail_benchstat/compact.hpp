// Small stand-ins for std::optional<double> and std::vector<std::string> with the same interface
// for the way the report uses them, in a fraction of the space. A large report holds hundreds of
// thousands of rows, each with several optional numbers and lists of footnotes that are almost
// always empty.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ksail_benchstat {

// An optional double in 8 bytes instead of 16: "empty" is one particular NaN bit pattern, which no
// arithmetic produces, so every double, NaN included, can still be held as a value.
class OptionalDouble {
public:
    constexpr OptionalDouble() noexcept = default;
    constexpr OptionalDouble(std::nullopt_t) noexcept {}
    constexpr OptionalDouble(double value) noexcept : m_bits(std::bit_cast<std::uint64_t>(value)) {}
    constexpr OptionalDouble(const std::optional<double>& value) noexcept
        : m_bits(value ? std::bit_cast<std::uint64_t>(*value) : k_empty) {}

    constexpr bool has_value() const noexcept { return m_bits != k_empty; }
    constexpr explicit operator bool() const noexcept { return has_value(); }
    constexpr double operator*() const noexcept { return std::bit_cast<double>(m_bits); }
    double value() const {
        if (!has_value()) throw std::bad_optional_access();
        return **this;
    }
    constexpr double value_or(double fallback) const noexcept { return has_value() ? **this : fallback; }
    constexpr void reset() noexcept { m_bits = k_empty; }
    constexpr operator std::optional<double>() const noexcept {
        return has_value() ? std::optional<double>(**this) : std::nullopt;
    }

    friend constexpr bool operator==(const OptionalDouble& a, const OptionalDouble& b) noexcept {
        return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
    }
    friend constexpr bool operator==(const OptionalDouble& a, std::nullopt_t) noexcept { return !a.has_value(); }
    friend constexpr bool operator==(const OptionalDouble& a, double b) noexcept { return a.has_value() && *a == b; }
    // Exact, so that it is chosen over std::optional's own comparison with any other type, which
    // would find an empty value unequal to an empty optional.
    friend constexpr bool operator==(const OptionalDouble& a, const std::optional<double>& b) noexcept {
        return a == OptionalDouble(b);
    }
    friend std::ostream& operator<<(std::ostream& out, const OptionalDouble& v) {
        if (v.has_value()) return out << *v;
        return out << "(empty)";
    }

private:
    // A quiet NaN with a payload of our own: arithmetic yields NaNs with an empty payload, or
    // propagates an operand's, and the empty value is never an operand.
    static constexpr std::uint64_t k_empty = 0x7ff8'6b73'6200'0001;
    std::uint64_t m_bits = k_empty;
};

// A list of footnotes in one pointer while it is empty, as it is in almost every cell. Reads like
// the std::vector<std::string> it stands for. A copy shares the list until one of them changes
// (a change copies it first), so the footnote that hundreds of thousands of rows repeat ("all
// samples are equal") is held once: copies are cheap, and Notes behave as values all the same.
// Sharing is safe across threads: the count of holders is atomic and a shared list never changes.
class Notes {
public:
    using value_type = std::string;
    using const_iterator = const std::string*;

    Notes() = default;
    Notes(std::initializer_list<std::string> items) {
        for (const auto& item : items) push_back(item);
    }
    Notes(const Notes& other) noexcept : m_list(other.m_list) {
        if (m_list) m_list->holders.fetch_add(1, std::memory_order_relaxed);
    }
    Notes(Notes&& other) noexcept : m_list(std::exchange(other.m_list, nullptr)) {}
    Notes& operator=(const Notes& other) noexcept {
        Notes copy(other);
        std::swap(m_list, copy.m_list);
        return *this;
    }
    Notes& operator=(Notes&& other) noexcept {
        Notes taken(std::move(other));
        std::swap(m_list, taken.m_list);
        return *this;
    }
    ~Notes() { release(); }

    bool empty() const noexcept { return !m_list || m_list->items.empty(); }
    std::size_t size() const noexcept { return m_list ? m_list->items.size() : 0; }
    const_iterator begin() const noexcept { return m_list ? m_list->items.data() : nullptr; }
    const_iterator end() const noexcept { return m_list ? m_list->items.data() + m_list->items.size() : nullptr; }
    const std::string& operator[](std::size_t i) const { return m_list->items[i]; }
    const std::string& front() const { return m_list->items.front(); }
    const std::string& back() const { return m_list->items.back(); }
    void push_back(std::string item) { own().push_back(std::move(item)); }
    void push_front(std::string item) {
        auto& all = own();
        all.insert(all.begin(), std::move(item));
    }
    void clear() noexcept { release(); }
    // The list as a vector, for code written against one.
    operator const std::vector<std::string>&() const noexcept { return m_list ? m_list->items : empty_list(); }
    friend bool operator==(const Notes& a, const Notes& b) {
        return static_cast<const std::vector<std::string>&>(a) == static_cast<const std::vector<std::string>&>(b);
    }

private:
    struct List {
        std::atomic<std::size_t> holders{1};
        std::vector<std::string> items;
    };
    // The list, made this object's alone first when others hold it too.
    std::vector<std::string>& own() {
        if (!m_list) {
            m_list = new List;
        } else if (m_list->holders.load(std::memory_order_acquire) != 1) {
            List* copy = new List;
            copy->items = m_list->items;
            release();
            m_list = copy;
        }
        return m_list->items;
    }
    void release() noexcept {
        if (m_list && m_list->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) delete m_list;
        m_list = nullptr;
    }
    static const std::vector<std::string>& empty_list() noexcept {
        static const std::vector<std::string> none;
        return none;
    }
    List* m_list = nullptr;
};

}  // namespace ksail_benchstat
