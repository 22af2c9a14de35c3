// Unit tests of the text table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ksail_benchstat {
namespace {

TEST(TextGrid, AlignsColumnsAndDropsTrailingBlanks) {
    TextGrid grid;
    grid.row();
    grid.cell("name");
    grid.cell("1.5", Align::right);
    grid.cell("");
    grid.row();
    grid.cell("longer-name");
    grid.cell("12.25", Align::right);
    grid.cell("¹");
    EXPECT_EQ(grid.format(), "name          1.5\nlonger-name 12.25 ¹\n");
}

// Empty cells (a report's rows have several: footnote marks, mostly absent) show nothing, yet
// their columns exist, and a row of nothing else is still a row.
// Short values are measured a word at a time with the bytes before them in the grid's text:
// whatever precedes them (multi-byte characters, escapes), their widths must be display_width's.
TEST(TextGrid, ValuesOfEveryLengthAfterAnyTextHaveTheirDisplayWidths) {
    const std::vector<std::string> pieces = {"a", "7", ".", "%", "µ", "¹", "\x1b[31m", "\x1b[0m", "±", "zz"};
    std::uint64_t state = 11;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    for (int round = 0; round < 200; ++round) {
        TextGrid grid;
        std::vector<std::string> values;
        std::size_t widest = 0;
        for (int r = 0; r < 12; ++r) {
            // A value of up to 20 bytes starting with a visible character, so that it is not blank.
            std::string v = "x";
            const std::size_t pieces_in_value = next() % 12;
            for (std::size_t k = 0; k < pieces_in_value && v.size() < 20; ++k) v += pieces[next() % pieces.size()];
            grid.row();
            grid.cell(v, Align::right);
            widest = std::max(widest, display_width(v));
            values.push_back(v);
        }
        std::string expected;
        for (const auto& v : values) expected += std::string(widest - display_width(v), ' ') + v + "\n";
        EXPECT_EQ(grid.format(), expected) << "round " << round;
    }
}

TEST(TextGrid, EmptyCellsTakeNoRoomButKeepTheirRowsAndColumns) {
    TextGrid leading;
    leading.row();
    leading.cell("");
    leading.row();
    leading.cell("a");
    EXPECT_EQ(leading.format(), "\na\n");

    TextGrid only_empty;
    only_empty.row();
    only_empty.cell("");
    EXPECT_EQ(only_empty.format(), "\n");

    TextGrid nothing;
    EXPECT_EQ(nothing.format(), "");

    // A column of empty cells is still a column: the next column's cells start after it, and a
    // spanning cell over both is laid out against both.
    TextGrid columns;
    columns.row();
    columns.cell("head", Align::center, nullptr, 3);
    columns.row();
    columns.cell("x");
    columns.cell("");
    columns.cell("y");
    EXPECT_EQ(columns.format(), "head\nx  y\n");

    // After clear(), the grid starts again at row 0.
    columns.clear();
    columns.row();
    columns.cell("");
    columns.row();
    columns.cell("z");
    EXPECT_EQ(columns.format(), "\nz\n");
}

// Empty cells are only counted, not recorded, yet a column whose single-column cells are all
// empty is still sized as a column with such cells: here its width is the margin of the spanning
// cell that starts in it, which leaves the spanning cell room without widening the next column.
TEST(TextGrid, ColumnOfEmptyCellsKeepsTheMarginOfASpanningCell) {
    TextGrid grid;
    grid.row();
    grid.cell("ab");
    grid.cell("");
    grid.cell("zz");
    grid.row();
    grid.cell("c");
    grid.cell("w", Align::left, " | ", 2);
    EXPECT_EQ(grid.format(), "ab    zz\nc  | w\n");

    // The same rows laid out as two grids with one layout, as large tables are.
    TextGrid first;
    first.row();
    first.cell("ab");
    first.cell("");
    first.cell("zz");
    TextGrid second;
    second.row();
    second.cell("c");
    second.cell("w", Align::left, " | ", 2);
    TextGrid::Layout layout;
    layout.add(first);
    layout.add(second);
    layout.finish();
    std::string out;
    first.format(out, layout);
    second.format(out, layout);
    EXPECT_EQ(out, "ab    zz\nc  | w\n");
}

// Values of up to 16 bytes are measured from one or two words: their widths must be
// display_width's whatever they hold (multi-byte characters, escapes, leading blanks), however
// the grid's text before them looks.
TEST(TextGrid, ShortValuesMeasuredByWordsHaveTheirDisplayWidths) {
    const std::vector<std::string> pieces = {"1", ".", "%", " ", "\t", "µ", "±", "¹", "∞", "\x1b[2m", "\x1b[0m", "ab"};
    std::uint64_t state = 5;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    for (int round = 0; round < 300; ++round) {
        TextGrid grid;
        std::vector<std::string> values;
        std::size_t widest = 0;
        for (int r = 0; r < 10; ++r) {
            std::string v;
            const std::size_t target = 1 + next() % 17;
            while (v.size() < target) v += pieces[next() % pieces.size()];
            grid.row();
            grid.cell(v, Align::right);
            widest = std::max(widest, display_width(v));
            values.push_back(v);
        }
        // Right-aligned in one column: each line is the value after its padding, unless the
        // value is only blanks, which shows nothing (and a line of nothing is empty).
        std::string expected;
        for (const auto& v : values) {
            if (v.find_first_not_of(" \t") != std::string::npos) expected += std::string(widest - display_width(v), ' ') + v;
            expected += "\n";
        }
        // Trailing lines of nothing are not written, but the last line break is.
        while (expected.size() > 1 && expected.ends_with("\n\n")) expected.pop_back();
        EXPECT_EQ(grid.format(), expected) << "round " << round;
    }
}

}  // namespace
}  // namespace ksail_benchstat
