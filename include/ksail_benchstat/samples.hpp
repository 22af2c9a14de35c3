// The samples of one series or cell: a growable array of doubles, used like a std::vector<double>.
//
// A large input has hundreds of thousands of series of a few samples each. Were each array an
// allocation of its own, it would sit among the longer-lived allocations made while reading (the
// benchmarks' names), and releasing the samples would leave small holes in every page rather than
// free pages. Instead, each thread carves the arrays it makes, one after another, out of blocks of
// 2 MiB that it maps from the system. A block is unmapped when the last array carved from it goes,
// so samples released in about the order they were read give their memory back, block by block,
// while the comparison is still being made. Arrays may move between threads and be released on
// any of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <utility>
#include <vector>

namespace ksail_benchstat {

class Samples {
public:
    using value_type = double;
    using size_type = std::size_t;
    using iterator = double*;
    using const_iterator = const double*;

    Samples() noexcept = default;
    Samples(std::initializer_list<double> values) { append(values); }
    explicit Samples(std::span<const double> values) { append(values); }
    Samples(const Samples& other) { append(other); }
    Samples(Samples&& other) noexcept
        : m_data(other.m_data), m_size(other.m_size), m_capacity(other.m_capacity) {
        other.m_data = nullptr;
        other.m_size = 0;
        other.m_capacity = 0;
    }
    Samples& operator=(const Samples& other) {
        if (this != &other) {
            clear();
            append(other);
        }
        return *this;
    }
    Samples& operator=(Samples&& other) noexcept {
        Samples taken(static_cast<Samples&&>(other));
        swap(taken);
        return *this;
    }
    Samples& operator=(std::initializer_list<double> values) {
        clear();
        append(values);
        return *this;
    }
    ~Samples() { release(); }

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    std::size_t capacity() const noexcept { return m_capacity; }
    double* data() noexcept { return m_data; }
    const double* data() const noexcept { return m_data; }
    double* begin() noexcept { return m_data; }
    double* end() noexcept { return m_data + m_size; }
    const double* begin() const noexcept { return m_data; }
    const double* end() const noexcept { return m_data + m_size; }
    double& operator[](std::size_t i) noexcept { return m_data[i]; }
    double operator[](std::size_t i) const noexcept { return m_data[i]; }
    double front() const noexcept { return m_data[0]; }
    double back() const noexcept { return m_data[m_size - 1]; }
    std::vector<double> to_vector() const { return {begin(), end()}; }

    void push_back(double value) {
        if (m_size == m_capacity) grow(m_size + 1);
        m_data[m_size++] = value;
    }
    // Appends `values`, which may be this array's own.
    void append(std::span<const double> values);
    void reserve(std::size_t count) {
        if (count > m_capacity) move_to(count);
    }
    // Empties the array; its room stays.
    void clear() noexcept { m_size = 0; }
    // Keeps the first `count` values (count <= size()).
    void resize_down(std::size_t count) noexcept { m_size = static_cast<std::uint32_t>(count); }
    // Empties the array and lets its room go. Moved-from and released arrays (most of a large
    // comparison's, in the end) have none, and are done without a call.
    void release() noexcept {
        if (m_data != nullptr) let_go();
    }
    void swap(Samples& other) noexcept {
        std::swap(m_data, other.m_data);
        std::swap(m_size, other.m_size);
        std::swap(m_capacity, other.m_capacity);
    }

    friend bool operator==(const Samples& a, const Samples& b) noexcept { return equal(a, b); }
    friend bool operator==(const Samples& a, const std::vector<double>& b) noexcept { return equal(a, b); }
    friend std::ostream& operator<<(std::ostream& out, const Samples& s);

private:
    static bool equal(std::span<const double> a, std::span<const double> b) noexcept;
    // Room for at least `count` values: twice the current room, or more when asked. Throws
    // std::length_error beyond 2^32 - 1 values.
    void grow(std::size_t count);
    // Moves the values into new room for exactly `count` (>= size) values.
    void move_to(std::size_t count);
    // release() of an array that has room.
    void let_go() noexcept;

    double* m_data = nullptr;
    std::uint32_t m_size = 0;
    std::uint32_t m_capacity = 0;
};

// Sample blocks ask the system for large pages from a thread's first block on, rather than from its
// second (a thread that fills one block is reading a large input; a small input touches a few
// pages of its first). For a process that knows its inputs are large; it cannot be undone.
void samples_on_large_pages() noexcept;

// Settles what the calling thread holds of the sample blocks, as its end would: the holds it has
// let go of and not yet counted off, and the block it carves from (its next array starts a new
// one, as on a new thread). For a thread that outlives the work it did, such as a pool's worker.
void release_thread_samples() noexcept;

}  // namespace ksail_benchstat
