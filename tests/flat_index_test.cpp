// FlatIndex: an insert-only hash index over an array the caller keeps.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ksail_benchstat/flat_index.hpp"

using namespace ksail_benchstat;

namespace {

std::size_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::uint32_t find(const FlatIndex& index, const std::vector<std::string>& keys, std::string_view key, std::size_t hash) {
    return index.find(hash, [&](std::uint32_t at) { return keys[at] == key; });
}

}  // namespace

TEST(FlatIndex, FindsWhatWasInsertedAndNothingElse) {
    FlatIndex index;
    std::vector<std::string> keys;
    EXPECT_EQ(find(index, keys, "a", hash_of("a")), FlatIndex::k_none);  // empty, no slots yet
    // Enough entries to grow several times from the first 16 slots.
    for (int i = 0; i < 5000; ++i) {
        keys.push_back("BenchmarkName/size=" + std::to_string(i) + "-8");
        index.insert(hash_of(keys.back()), keys.size() - 1);
    }
    EXPECT_EQ(index.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        ASSERT_EQ(find(index, keys, keys[i], hash_of(keys[i])), i) << keys[i];
    }
    EXPECT_EQ(find(index, keys, "BenchmarkName/size=5000-8", hash_of("BenchmarkName/size=5000-8")), FlatIndex::k_none);
}

TEST(FlatIndex, KeysWithOneHashAreToldApartByTheirElements) {
    // Every key under one hash: all probe the same run of slots, and equals() decides.
    FlatIndex index;
    index.reserve(100);
    std::vector<std::string> keys;
    for (int i = 0; i < 40; ++i) {
        keys.push_back(std::to_string(i));
        index.insert(7, keys.size() - 1);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(find(index, keys, keys[i], 7), i);
    EXPECT_EQ(find(index, keys, "40", 7), FlatIndex::k_none);
    EXPECT_EQ(find(index, keys, "3", 8), FlatIndex::k_none);  // another hash, another run
}

TEST(FlatIndex, ReserveKeepsEntriesAndCanBeRepeated) {
    FlatIndex index;
    std::vector<std::string> keys{"x", "y"};
    index.insert(hash_of("x"), 0);
    index.reserve(1000);
    index.insert(hash_of("y"), 1);
    index.reserve(10);  // smaller than what it has: nothing changes
    EXPECT_EQ(find(index, keys, "x", hash_of("x")), 0u);
    EXPECT_EQ(find(index, keys, "y", hash_of("y")), 1u);
    EXPECT_EQ(index.size(), 2u);
}
