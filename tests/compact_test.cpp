// The report's compact stand-ins: OptionalDouble and Notes behave like the std::optional<double>
// and std::vector<std::string> they replace, and a row's comparisons are found by column.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ksail_benchstat/compact.hpp"
#include "ksail_benchstat/compare.hpp"

using namespace ksail_benchstat;

TEST(OptionalDouble, EmptyByDefaultAndAfterReset) {
    OptionalDouble v;
    EXPECT_FALSE(v.has_value());
    EXPECT_FALSE(v);
    EXPECT_EQ(v, std::nullopt);
    EXPECT_EQ(v.value_or(7), 7);
    EXPECT_THROW((void)v.value(), std::bad_optional_access);
    v = 2.5;
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, 2.5);
    v.reset();
    EXPECT_FALSE(v);
    v = std::nullopt;
    EXPECT_FALSE(v);
}

TEST(OptionalDouble, HoldsEveryDoubleIncludingNanInfinitiesAndNegativeZero) {
    for (double d : {0.0, -0.0, 1e-308, -1e308, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()}) {
        const OptionalDouble v = d;
        ASSERT_TRUE(v.has_value()) << d;
        EXPECT_EQ(std::signbit(*v), std::signbit(d));
        EXPECT_EQ(*v, d);
    }
    // NaNs that arithmetic produces stay values, as they would in a std::optional<double>.
    const double inf = std::numeric_limits<double>::infinity();
    for (double nan : {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN(),
                       inf - inf, std::nan("")}) {
        const OptionalDouble v = nan;
        EXPECT_TRUE(v.has_value());
        EXPECT_TRUE(std::isnan(*v));
    }
}

TEST(OptionalDouble, ConvertsToAndFromStdOptionalAndComparesLikeIt) {
    const std::optional<double> some = 3.0;
    const std::optional<double> none;
    EXPECT_EQ(OptionalDouble(some), some);
    EXPECT_EQ(OptionalDouble(none), none);
    EXPECT_FALSE(OptionalDouble(some) == none);
    EXPECT_FALSE(OptionalDouble(none) == some);
    const std::optional<double> back = OptionalDouble(4.0);
    EXPECT_EQ(back, 4.0);
    const std::optional<double> empty_back = OptionalDouble();
    EXPECT_FALSE(empty_back.has_value());
    EXPECT_EQ(OptionalDouble(1.0), OptionalDouble(1.0));
    EXPECT_FALSE(OptionalDouble(1.0) == OptionalDouble(2.0));
    EXPECT_EQ(OptionalDouble(), OptionalDouble());
    EXPECT_EQ(sizeof(OptionalDouble), sizeof(double));
}

TEST(Notes, ReadsLikeAVectorAndCopiesAsAValue) {
    Notes notes;
    EXPECT_TRUE(notes.empty());
    EXPECT_EQ(notes.size(), 0u);
    EXPECT_EQ(notes.begin(), notes.end());
    EXPECT_TRUE(static_cast<const std::vector<std::string>&>(notes).empty());
    notes.push_back("b");
    notes.push_front("a");
    notes.push_back("c");
    ASSERT_EQ(notes.size(), 3u);
    EXPECT_EQ(notes.front(), "a");
    EXPECT_EQ(notes[1], "b");
    EXPECT_EQ(notes.back(), "c");
    const std::vector<std::string>& as_vector = notes;
    EXPECT_EQ(as_vector, (std::vector<std::string>{"a", "b", "c"}));

    Notes copy = notes;
    copy.push_back("d");
    EXPECT_EQ(notes.size(), 3u);
    EXPECT_EQ(copy.size(), 4u);
    EXPECT_FALSE(copy == notes);
    copy = notes;
    EXPECT_EQ(copy, notes);
    notes.clear();
    EXPECT_TRUE(notes.empty());
    EXPECT_EQ(copy.size(), 3u);
    EXPECT_EQ(sizeof(Notes), sizeof(void*));
}

TEST(Notes, CopiesShareTheListUntilOneChanges) {
    const Notes original{"all samples are equal"};
    Notes first = original;
    Notes second = first;
    // One list for all three: a report's repeated footnote is held once.
    EXPECT_EQ(first.begin(), original.begin());
    EXPECT_EQ(second.begin(), original.begin());
    second.push_back("more");
    EXPECT_NE(second.begin(), original.begin());
    EXPECT_EQ(second, (Notes{"all samples are equal", "more"}));
    EXPECT_EQ(first, original);
    EXPECT_EQ(original.size(), 1u);
    first.push_front("before");
    EXPECT_EQ(first, (Notes{"before", "all samples are equal"}));
    EXPECT_EQ(original, Notes{"all samples are equal"});
    Notes moved = std::move(first);
    EXPECT_TRUE(first.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is empty
    EXPECT_EQ(moved.size(), 2u);
    moved = original;
    EXPECT_EQ(moved.begin(), original.begin());
    moved = moved;  // self-assignment keeps the list
    EXPECT_EQ(moved, original);
}

TEST(Notes, SharedListsAreSafeAcrossThreads) {
    const Notes shared{"need >= 4 samples to detect a difference at alpha level 0.05"};
    std::vector<std::thread> threads;
    std::vector<std::vector<Notes>> held(4);
    for (auto& mine : held) {
        threads.emplace_back([&shared, &mine] {
            for (int i = 0; i < 1000; ++i) {
                mine.push_back(shared);
                if (i % 3 == 0) mine.back().push_back("own");
            }
            mine.resize(500);
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& mine : held) {
        for (std::size_t i = 0; i < mine.size(); ++i) {
            EXPECT_EQ(mine[i].size(), i % 3 == 0 ? 2u : 1u);
            EXPECT_EQ(mine[i].front(), shared.front());
        }
    }
    EXPECT_EQ(shared.size(), 1u);
}

TEST(RowComparisons, FindsByColumnAndReplaces) {
    RowComparisons comparisons;
    EXPECT_EQ(comparisons[0], nullptr);
    Comparison first;
    first.input = 2;
    first.baseline = 0;
    first.test.p = 0.5;
    comparisons.set(first);
    Comparison second;
    second.input = 1;
    second.test.p = 0.01;
    comparisons.set(second);
    EXPECT_EQ(comparisons[0], nullptr);
    ASSERT_NE(comparisons[1], nullptr);
    EXPECT_EQ(comparisons[1]->test.p, 0.01);
    ASSERT_NE(comparisons[2], nullptr);
    EXPECT_EQ(comparisons[2]->test.p, 0.5);
    EXPECT_EQ(comparisons[3], nullptr);

    Comparison again;
    again.input = 2;
    again.test.p = 0.2;
    comparisons.set(again);
    EXPECT_EQ(comparisons.all().size(), 2u);
    EXPECT_EQ(comparisons[2]->test.p, 0.2);

    // A third column joins the other two; all() keeps the order they were first set in.
    Comparison third;
    third.input = 3;
    third.test.p = 0.03;
    comparisons.set(third);
    ASSERT_EQ(comparisons.all().size(), 3u);
    EXPECT_EQ(comparisons.all()[0].input, 2u);
    EXPECT_EQ(comparisons.all()[1].input, 1u);
    EXPECT_EQ(comparisons.all()[2].input, 3u);
    EXPECT_EQ(comparisons[3]->test.p, 0.03);
}

TEST(RowComparisons, HoldsOneInPlace) {
    RowComparisons comparisons;
    EXPECT_TRUE(comparisons.all().empty());
    Comparison only;
    only.input = 1;
    only.test.p = 0.04;
    comparisons.set(only);
    ASSERT_EQ(comparisons.all().size(), 1u);
    EXPECT_EQ(comparisons.all().data(), comparisons[1]);
    EXPECT_EQ(comparisons[1]->test.p, 0.04);
    // Replacing it keeps it in place.
    only.test.p = 0.4;
    comparisons.set(only);
    ASSERT_EQ(comparisons.all().size(), 1u);
    EXPECT_EQ(comparisons[1]->test.p, 0.4);
    // Moving the row moves its comparison.
    RowComparisons moved = std::move(comparisons);
    ASSERT_NE(moved[1], nullptr);
    EXPECT_EQ(moved[1]->test.p, 0.4);
}

TEST(RowCells, HoldsTwoInPlaceAndMoreInOneArray) {
    const auto cell = [](double center) {
        Cell c;
        c.summary.n = 3;
        c.summary.center = center;
        return c;
    };
    RowCells cells;
    EXPECT_TRUE(cells.empty());
    cells.resize(2);
    EXPECT_EQ(cells.size(), 2u);
    EXPECT_FALSE(cells[0].has_value());
    cells[1] = cell(7);
    // Growing past two keeps every cell where it was.
    cells.resize(4);
    ASSERT_EQ(cells.size(), 4u);
    EXPECT_FALSE(cells[0].has_value());
    ASSERT_TRUE(cells[1].has_value());
    EXPECT_EQ(cells[1]->summary.center, 7);
    EXPECT_FALSE(cells[3].has_value());
    cells[3] = cell(9);
    std::size_t present = 0;
    for (const auto& c : cells) present += c.has_value() ? 1 : 0;
    EXPECT_EQ(present, 2u);
    EXPECT_EQ(cells.at(3)->summary.center, 9);
    EXPECT_THROW(static_cast<void>(cells.at(4)), std::out_of_range);
    // Shrinking drops the cells past the new end.
    cells.resize(2);
    EXPECT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[1]->summary.center, 7);
    cells.resize(4);
    EXPECT_FALSE(cells[3].has_value());

    RowCells small;
    small.resize(2);
    small[0] = cell(1);
    small.resize(1);
    small.resize(2);
    EXPECT_TRUE(small[0].has_value());
    EXPECT_FALSE(small[1].has_value());  // dropped by the shrink, not kept in place
    RowCells moved = std::move(small);
    EXPECT_EQ(moved.size(), 2u);
    EXPECT_EQ(moved[0]->summary.center, 1);
}
