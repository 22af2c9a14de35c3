// BlockVector: the grouping's rows of a table, in blocks that go once used.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "ksail_benchstat/block_vector.hpp"

using namespace ksail_benchstat;

namespace {

// Counts the live values, to see that every element is destroyed once, when its block goes.
struct Counted {
    static inline int live = 0;
    std::size_t value = 0;
    std::string text;  // something to free, for the sanitizers
    explicit Counted(std::size_t v) : value(v), text(40, static_cast<char>('a' + v % 26)) { ++live; }
    Counted(Counted&& other) noexcept : value(other.value), text(std::move(other.text)) { ++live; }
    Counted& operator=(Counted&&) = delete;
    ~Counted() { --live; }
};

using Values = BlockVector<Counted>;
constexpr std::size_t k_first = Values::k_first;
constexpr std::size_t k_block = Values::k_block;

}  // namespace

TEST(BlockVector, HoldsElementsInOrderAcrossBlocks) {
    Counted::live = 0;
    {
        Values values;
        const std::size_t n = k_first + 2 * k_block + 5;
        for (std::size_t i = 0; i < n; ++i) values.push_back(Counted(i));
        ASSERT_EQ(values.size(), n);
        EXPECT_EQ(Counted::live, static_cast<int>(n));
        for (std::size_t i : {std::size_t{0}, k_first - 1, k_first, k_first + k_block - 1, k_first + k_block, n - 1}) {
            EXPECT_EQ(values[i].value, i);
            EXPECT_EQ(values[i].text.size(), 40u);
        }
        std::size_t expected = 0;
        values.for_each([&](Counted& c) { EXPECT_EQ(c.value, expected++); });
        EXPECT_EQ(expected, n);
    }
    EXPECT_EQ(Counted::live, 0);
}

TEST(BlockVector, ReleasesOnlyBlocksWhollyBeforeThePlace) {
    Counted::live = 0;
    Values values;
    const std::size_t n = k_first + 3 * k_block;
    for (std::size_t i = 0; i < n; ++i) values.push_back(Counted(i));
    // Short of the first block's end: nothing goes.
    values.release_front(k_first - 1);
    EXPECT_EQ(Counted::live, static_cast<int>(n));
    EXPECT_EQ(values[k_first - 1].value, k_first - 1);
    // The first block, and the next one once the place passes its end.
    values.release_front(k_first + k_block - 1);
    EXPECT_EQ(Counted::live, static_cast<int>(n - k_first));
    values.release_front(k_first + k_block);
    EXPECT_EQ(Counted::live, static_cast<int>(n - k_first - k_block));
    // What is left is intact, and a repeated or smaller place changes nothing.
    values.release_front(k_first);
    EXPECT_EQ(Counted::live, static_cast<int>(n - k_first - k_block));
    for (std::size_t i = k_first + k_block; i < n; i += 997) EXPECT_EQ(values[i].value, i);
    EXPECT_EQ(values[n - 1].value, n - 1);
    values.release_front(n);
    EXPECT_EQ(Counted::live, 0);
    values.clear();
    EXPECT_EQ(values.size(), 0u);
    values.push_back(Counted(7));
    EXPECT_EQ(values[0].value, 7u);
}

TEST(BlockVector, MakesElementsInPlace) {
    Counted::live = 0;
    {
        Values values;
        const std::size_t n = k_first + k_block + 3;
        for (std::size_t i = 0; i < n; ++i) {
            Counted& made = values.emplace_back(i);
            EXPECT_EQ(&made, &values[i]);  // the element returned is the one at the end
            EXPECT_EQ(made.value, i);
        }
        ASSERT_EQ(values.size(), n);
        EXPECT_EQ(Counted::live, static_cast<int>(n));  // no temporary left behind
    }
    EXPECT_EQ(Counted::live, 0);
}
