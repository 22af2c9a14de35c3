// Unit tests of the text table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace ksail_benchstat
