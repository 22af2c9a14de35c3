// Sample arrays (include/ksail_benchstat/samples.hpp), and the comparison that releases them as it
// goes.
#include "ksail_benchstat/samples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"

using namespace ksail_benchstat;

namespace {

TEST(Samples, GrowsLikeAVector) {
    Samples s;
    EXPECT_TRUE(s.empty());
    std::vector<double> want;
    // Enough values to fill several blocks, moving to larger room many times.
    for (int i = 0; i < 700000; ++i) {
        s.push_back(i * 0.5);
        want.push_back(i * 0.5);
    }
    EXPECT_EQ(s.size(), want.size());
    EXPECT_GE(s.capacity(), s.size());
    EXPECT_EQ(s, want);
    EXPECT_EQ(s.front(), 0.0);
    EXPECT_EQ(s.back(), 699999 * 0.5);
    EXPECT_EQ(s.to_vector(), want);
}

TEST(Samples, ManySmallArraysKeepTheirValues) {
    // Hundreds of thousands of small arrays share blocks; each keeps its own values, whatever the
    // order in which the others go.
    std::vector<Samples> arrays(300000);
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        arrays[i].reserve(i % 7 + 1);
        for (std::size_t k = 0; k <= i % 7; ++k) arrays[i].push_back(static_cast<double>(i * 10 + k));
    }
    for (std::size_t i = 0; i < arrays.size(); i += 2) arrays[i].release();
    for (std::size_t i = 1; i < arrays.size(); i += 2) {
        ASSERT_EQ(arrays[i].size(), i % 7 + 1) << i;
        for (std::size_t k = 0; k <= i % 7; ++k) ASSERT_EQ(arrays[i][k], static_cast<double>(i * 10 + k)) << i;
    }
}

TEST(Samples, CopiesMovesAndComparisons) {
    Samples a{3, 1, 2};
    Samples b = a;
    EXPECT_EQ(a, b);
    EXPECT_EQ(b, (std::vector<double>{3, 1, 2}));
    b.push_back(4);
    EXPECT_NE(a, b);
    Samples c = std::move(b);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): a moved-from array is empty
    EXPECT_EQ(c, (std::vector<double>{3, 1, 2, 4}));
    c = {9};
    EXPECT_EQ(c, (std::vector<double>{9}));
    c = a;
    EXPECT_EQ(c, a);
    a = std::move(c);
    EXPECT_EQ(a, (std::vector<double>{3, 1, 2}));
    const Samples from_span(std::span<const double>(a.data(), 2));
    EXPECT_EQ(from_span, (std::vector<double>{3, 1}));
    std::ostringstream printed;
    printed << from_span;
    EXPECT_EQ(printed.str(), "{3, 1}");
}

TEST(Samples, AppendsItsOwnValues) {
    Samples s{1, 2, 3};
    s.append(s);
    EXPECT_EQ(s, (std::vector<double>{1, 2, 3, 1, 2, 3}));
    s.reserve(100);
    s.append(std::span<const double>(s.data(), 2));
    EXPECT_EQ(s, (std::vector<double>{1, 2, 3, 1, 2, 3, 1, 2}));
}

TEST(Samples, ShrinksClearsAndReleases) {
    Samples s{5, 6, 7, 8};
    s.resize_down(2);
    EXPECT_EQ(s, (std::vector<double>{5, 6}));
    const std::size_t room = s.capacity();
    s.clear();
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.capacity(), room);
    s.push_back(1);
    s.release();
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.capacity(), 0u);
    s.push_back(2);  // usable again
    EXPECT_EQ(s, (std::vector<double>{2}));
}

TEST(Samples, OneArrayLargerThanABlock) {
    Samples s;
    s.reserve(1'000'000);
    for (int i = 0; i < 1'000'000; ++i) s.push_back(-i);
    EXPECT_EQ(s.size(), 1'000'000u);
    EXPECT_EQ(s[999'999], -999'999.0);
    Samples copy = s;
    s.release();
    EXPECT_EQ(copy[123'456], -123'456.0);
}

TEST(Samples, ReleasedOnOtherThreads) {
    // Arrays made on one thread are released on others, as the comparison does.
    std::vector<Samples> arrays(50000);
    for (std::size_t i = 0; i < arrays.size(); ++i) arrays[i] = {static_cast<double>(i), 1.0, 2.0};
    std::thread maker([&] {
        // This thread's own block outlives the thread while its array does.
        arrays[0] = {42.0, 43.0};
    });
    maker.join();
    std::vector<std::thread> releasers;
    for (std::size_t t = 0; t < 4; ++t) {
        releasers.emplace_back([&, t] {
            for (std::size_t i = t + 4; i < arrays.size(); i += 4) arrays[i].release();
        });
    }
    for (auto& r : releasers) r.join();
    EXPECT_EQ(arrays[0], (std::vector<double>{42.0, 43.0}));
    EXPECT_EQ(arrays[1], (std::vector<double>{1.0, 1.0, 2.0}));
    for (std::size_t i = 4; i < arrays.size(); ++i) ASSERT_TRUE(arrays[i].empty()) << i;
}

#if __has_include(<sys/mman.h>)
// Whether the page holding `address` is mapped in this process.
bool mapped(const void* address) {
    unsigned char resident = 0;
    void* page = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(address) & ~std::uintptr_t{4095});
    return ::mincore(page, 4096, &resident) == 0;
}

TEST(Samples, ABlockGoesBackToTheSystemWithItsLastArray) {
    // Arrays made on one thread, in a block of that thread's own, and all released on another:
    // once both threads have ended, the block is unmapped.
    std::vector<Samples> arrays(1000);
    std::thread maker([&] {
        for (auto& a : arrays) a = {1.0, 2.0, 3.0};
    });
    maker.join();
    const double* first = arrays.front().data();
    ASSERT_TRUE(mapped(first));
    std::thread releaser([&] {
        for (auto& a : arrays) a.release();
    });
    releaser.join();
    EXPECT_FALSE(mapped(first));
}

TEST(Samples, BlocksReleasedInTurnAllGoBack) {
    // A comparison's row releases one array of each input, and each input was read into blocks of
    // its own: arrays of two, then three blocks released in turn on one thread. Every block is
    // unmapped once the releasing thread has ended, however many blocks it held back at a time.
    for (std::size_t inputs : {2, 3}) {
        std::vector<std::vector<Samples>> arrays(inputs, std::vector<Samples>(1000));
        for (auto& input : arrays) {
            std::thread maker([&] {
                for (auto& a : input) a = {1.0, 2.0, 3.0};
            });
            maker.join();
        }
        std::vector<const double*> firsts;
        for (const auto& input : arrays) {
            firsts.push_back(input.front().data());
            ASSERT_TRUE(mapped(firsts.back()));
        }
        std::thread releaser([&] {
            for (std::size_t i = 0; i < 1000; ++i) {
                for (auto& input : arrays) input[i].release();
            }
        });
        releaser.join();
        for (const double* first : firsts) EXPECT_FALSE(mapped(first)) << inputs << " inputs";
    }
}
#endif

// A Go text input with `benchmarks` benchmarks in three packages, three units each: a large
// comparison (65,536 rows or more), whose rows are made in stripes of 4,096 benchmarks. `shift` changes every value a little, and the second
// input also lists benchmarks the first does not have, so rows are added at the end.
std::string many_benchmarks(int benchmarks, double shift, int extra) {
    std::string text = "goos: linux\ngoarch: amd64\n";
    for (int pkg = 0; pkg < 3; ++pkg) {
        text += fmt::format("pkg: example.com/p{}\n", pkg);
        for (int b = pkg; b < benchmarks + extra; b += 3) {
            for (int run = 0; run < 6; ++run) {
                const double ns = 100 + b % 97 + run * 0.7 + shift * (b % 5);
                text += fmt::format("BenchmarkX{}-8\t1000\t{} ns/op\t{} B/op\t{} allocs/op\n", b, ns, 64 + b % 3,
                                    1 + (b + run) % 2);
            }
        }
    }
    return text;
}

TEST(CompareStripes, ReleasingSamplesChangesNothingButTheSamples) {
    const std::string before = many_benchmarks(22000, 0, 0);
    const std::string after = many_benchmarks(22000, 0.4, 30);
    const auto report = [&](bool keep) {
        std::vector<InputFile> inputs;
        inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
        inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
        CompareOptions options;
        options.keep_samples = keep;
        return compare(std::move(inputs), options);
    };
    const Report kept = report(true);
    const Report released = report(false);
    ASSERT_EQ(kept.tables.size(), 9u);
    std::size_t rows = 0;
    for (std::size_t t = 0; t < kept.tables.size(); ++t) {
        ASSERT_EQ(kept.tables[t].rows.size(), released.tables[t].rows.size());
        rows += kept.tables[t].rows.size();
        for (const Row& row : kept.tables[t].rows) {
            for (const auto& cell : row.cells) {
                if (cell) {
                    ASSERT_EQ(cell->sorted.size(), cell->size());
                }
            }
        }
        for (const Row& row : released.tables[t].rows) {
            for (const auto& cell : row.cells) {
                if (cell) {
                    ASSERT_TRUE(cell->sorted.empty());
                }
            }
        }
    }
    EXPECT_EQ(rows, 3u * 22030u);
    EXPECT_EQ(render_json(kept), render_json(released));

    // And the report is the same on one thread as on several.
    ::setenv("KSAIL_THREADS", "1", 1);
    const Report one_thread = report(false);
    ::setenv("KSAIL_THREADS", "3", 1);
    const Report three_threads = report(false);
    ::unsetenv("KSAIL_THREADS");
    EXPECT_EQ(render_json(one_thread), render_json(released));
    EXPECT_EQ(render_json(three_threads), render_json(released));
}

}  // namespace

// A cell's samples are sorted for its statistics. Up to 32 samples without a zero go through a
// sorting network of their count. Among up to 16 samples, equal values (of which only -0 and 0 can
// be told apart) keep the order they were read in, as with a stable sort. Whether every sample is a
// whole number is worked out along the way.
TEST(CompareCells, SamplesAreSortedWithEqualValuesInReadingOrder) {
    std::mt19937_64 rng(1128);
    const double choices[] = {-0.0, 0.0, 1, 2.5, 2.5, 3, 7.25, 1e300, -4, 0.001};
    std::uniform_int_distribution<std::size_t> pick(0, std::size(choices) - 1);
    // Without zeros, with repeats, signs, extremes and a subnormal: the network's samples.
    const double nonzero[] = {1, 2.5, 2.5, 3, -3, 7.25, 1e300, -1e300, 4.9e-324, 0.001, 1024.5};
    std::uniform_int_distribution<std::size_t> pick_nonzero(0, std::size(nonzero) - 1);
    std::uniform_real_distribution<double> spread(-50, 50);
    std::vector<std::vector<double>> written;
    std::string text = "goos: linux\npkg: example.com/p\n";
    for (std::size_t n = 1; n <= 40; ++n) {
        for (int variant = 0; variant < 14; ++variant) {
            std::vector<double> values(n);
            for (double& v : values) {
                if (variant == 12) {
                    v = 123;  // a deterministic metric: every sample the same whole number
                } else if (variant == 13) {
                    v = 40 + static_cast<double>(pick(rng) % 2);  // two adjacent whole numbers
                } else if (variant < 4) {
                    v = choices[pick(rng)];
                } else if (variant < 8) {
                    v = nonzero[pick_nonzero(rng)];
                } else {
                    v = std::round(spread(rng) * 1000) / 1000 + 0.0625;  // a few digits, never 0
                }
            }
            for (double v : values) {
                text += fmt::format("BenchmarkN{}V{}-8\t1000\t{} widgets/op\n", n, variant, std::signbit(v) && v == 0 ? "-0" : fmt::format("{}", v));
            }
            written.push_back(values);
        }
    }
    std::vector<InputFile> inputs;
    inputs.push_back({"only", "only.txt", parse_go_text(text, "only.txt")});
    CompareOptions options;
    options.keep_samples = true;
    const Report report = compare(std::move(inputs), options);
    ASSERT_EQ(report.tables.size(), 1u);
    ASSERT_EQ(report.tables[0].rows.size(), written.size());
    for (std::size_t r = 0; r < written.size(); ++r) {
        std::vector<double> expected = written[r];
        std::stable_sort(expected.begin(), expected.end());
        const auto& cell = report.tables[0].rows[r].cells[0];
        ASSERT_TRUE(cell);
        const Samples& sorted = cell->sorted;
        ASSERT_EQ(sorted.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(sorted[i], expected[i]) << "row " << r << " at " << i;
            if (expected.size() <= 16) {
                EXPECT_EQ(std::signbit(sorted[i]), std::signbit(expected[i])) << "row " << r << " at " << i;
            }
        }
        EXPECT_EQ(cell->min, expected.front());
        EXPECT_EQ(cell->max, expected.back());
        const bool whole = std::all_of(expected.begin(), expected.end(), [](double v) { return std::floor(v) == v; });
        EXPECT_EQ(cell->all_integers, whole) << "row " << r;
    }
}
