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

// Enters keys[position], which no earlier key equals, under `hash`.
void add(FlatIndex& index, const std::vector<std::string>& keys, std::size_t position, std::size_t hash) {
    const auto found =
        index.find_or_insert(hash, [&](std::uint32_t at) { return keys[at] == keys[position]; }, position);
    ASSERT_TRUE(found.inserted) << keys[position];
    ASSERT_EQ(found.position, position);
}

}  // namespace

TEST(FlatIndex, FindsWhatWasInsertedAndNothingElse) {
    FlatIndex index;
    std::vector<std::string> keys;
    EXPECT_EQ(find(index, keys, "a", hash_of("a")), FlatIndex::k_none);  // empty, no slots yet
    // Enough entries to grow several times from the first 16 slots.
    for (int i = 0; i < 5000; ++i) {
        keys.push_back("BenchmarkName/size=" + std::to_string(i) + "-8");
        add(index, keys, keys.size() - 1, hash_of(keys.back()));
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
        add(index, keys, keys.size() - 1, 7);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(find(index, keys, keys[i], 7), i);
    EXPECT_EQ(find(index, keys, "40", 7), FlatIndex::k_none);
    EXPECT_EQ(find(index, keys, "3", 8), FlatIndex::k_none);  // another hash, another run
}

TEST(FlatIndex, ReserveKeepsEntriesAndCanBeRepeated) {
    FlatIndex index;
    std::vector<std::string> keys{"x", "y"};
    add(index, keys, 0, hash_of("x"));
    index.reserve(1000);
    add(index, keys, 1, hash_of("y"));
    index.reserve(10);  // smaller than what it has: nothing changes
    EXPECT_EQ(find(index, keys, "x", hash_of("x")), 0u);
    EXPECT_EQ(find(index, keys, "y", hash_of("y")), 1u);
    EXPECT_EQ(index.size(), 2u);
}

TEST(FlatIndex, FindOrInsertProbesOnceAndAgreesWithFind) {
    FlatIndex index;
    std::vector<std::string> keys;
    const auto equals_key = [&](const std::string& key) {
        return [&keys, &key](std::uint32_t at) { return keys[at] == key; };
    };
    // Every name three times over, as a parser meets a benchmark on several lines; some names
    // share one hash, as colliding keys do.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 3000; ++i) {
            const std::string key = "BenchmarkName/size=" + std::to_string(i) + "-8";
            const std::size_t hash = i % 100 == 0 ? 42 : hash_of(key);
            const auto found = index.find_or_insert(hash, equals_key(key), keys.size());
            if (round == 0) {
                ASSERT_TRUE(found.inserted) << key;
                ASSERT_EQ(found.position, keys.size());
                keys.push_back(key);
            } else {
                ASSERT_FALSE(found.inserted) << key;
                ASSERT_EQ(keys[found.position], key);
            }
        }
    }
    EXPECT_EQ(index.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::size_t hash = i % 100 == 0 ? 42 : hash_of(keys[i]);
        ASSERT_EQ(find(index, keys, keys[i], hash), i) << keys[i];
    }
}
