// Small stand-ins for std::optional<double> and std::vector<std::string> with the same interface
// for the way the report uses them, in a fraction of the space. A large report holds hundreds of
// thousands of rows, each with several optional numbers and lists of footnotes that are almost
// always empty.
#pragma once

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
// the std::vector<std::string> it stands for; a copy is a deep copy.
class Notes {
public:
    using value_type = std::string;
    using const_iterator = const std::string*;

    Notes() = default;
    Notes(std::initializer_list<std::string> items) {
        for (const auto& item : items) push_back(item);
    }
    Notes(const Notes& other)
        : m_items(other.m_items ? std::make_unique<std::vector<std::string>>(*other.m_items) : nullptr) {}
    Notes(Notes&&) noexcept = default;
    Notes& operator=(const Notes& other) {
        if (this != &other) *this = Notes(other);
        return *this;
    }
    Notes& operator=(Notes&&) noexcept = default;

    bool empty() const noexcept { return !m_items || m_items->empty(); }
    std::size_t size() const noexcept { return m_items ? m_items->size() : 0; }
    const_iterator begin() const noexcept { return m_items ? m_items->data() : nullptr; }
    const_iterator end() const noexcept { return m_items ? m_items->data() + m_items->size() : nullptr; }
    const std::string& operator[](std::size_t i) const { return (*m_items)[i]; }
    const std::string& front() const { return m_items->front(); }
    const std::string& back() const { return m_items->back(); }

    void push_back(std::string item) { items().push_back(std::move(item)); }
    void push_front(std::string item) {
        auto& all = items();
        all.insert(all.begin(), std::move(item));
    }
    void clear() noexcept { m_items.reset(); }

    // The list as a vector, for code written against one.
    operator const std::vector<std::string>&() const noexcept { return m_items ? *m_items : empty_list(); }

    friend bool operator==(const Notes& a, const Notes& b) {
        return static_cast<const std::vector<std::string>&>(a) == static_cast<const std::vector<std::string>&>(b);
    }

private:
    std::vector<std::string>& items() {
        if (!m_items) m_items = std::make_unique<std::vector<std::string>>();
        return *m_items;
    }
    static const std::vector<std::string>& empty_list() noexcept {
        static const std::vector<std::string> none;
        return none;
    }
    std::unique_ptr<std::vector<std::string>> m_items;
};

}  // namespace ksail_benchstat
