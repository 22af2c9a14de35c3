// Unit tests of the text table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace ksail_benchstat {
namespace {

// The lines of grids (or rows) laid out with one layout made from them all, as a large table's
// pieces are.
template <typename... Parts>
std::string laid_out_together(const Parts&... parts) {
    TextGrid::Layout layout;
    (layout.add(parts), ...);
    layout.finish();
    std::string out;
    (parts.format(out, layout), ...);
    return out;
}

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

// Long values are measured a word at a time too, their continuation bytes counted in batches of
// words: names of hundreds of multi-byte characters, with or without escapes, get display_width's
// widths on either side of every batch's end.
TEST(TextGrid, LongMultiByteValuesHaveTheirDisplayWidths) {
    for (const std::string piece : {"é", "µs", "€", "\x1b[2m"}) {
        for (std::size_t count : {1, 40, 63, 64, 65, 127, 128, 129, 300}) {
            std::string value = "n";
            for (std::size_t i = 0; i < count; ++i) value += piece;
            TextGrid grid;
            grid.row();
            grid.cell(value, Align::right);
            grid.row();
            grid.cell("x", Align::right);
            const std::size_t width = display_width(value);
            EXPECT_EQ(grid.format(), value + "\n" + std::string(width - 1, ' ') + "x\n") << piece << " x" << count;
        }
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
    EXPECT_EQ(laid_out_together(first, second), "ab    zz\nc  | w\n");
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

// The grid's text grows as cells are added, by a writer (cell_with) or a copy (cell): values
// written before and after it grows, long and short, keep their bytes and widths.
TEST(TextGrid, TextKeepsItsValuesAsItGrows) {
    TextGrid grid;
    std::vector<std::string> names;
    std::string expected;
    for (int r = 0; r < 300; ++r) {
        std::string name = "név" + std::string(static_cast<std::size_t>(r % 37), 'x');
        if (r % 50 == 7) name += std::string(600, 'y');  // longer than the grid's first buffer
        names.push_back(name);
    }
    std::size_t widest = 0;
    for (const auto& n : names) widest = std::max(widest, display_width(n));
    for (int r = 0; r < 300; ++r) {
        grid.row();
        grid.cell(names[static_cast<std::size_t>(r)]);
        grid.cell_with([&](TextGrid::Text& text) {
            char* at = text.room(8);
            at[0] = '#';
            at[1] = static_cast<char>('0' + r % 10);
            text.commit(at + 2);
            text += "µ";
            text += '!';
        }, Align::right);
        const std::string& n = names[static_cast<std::size_t>(r)];
        expected += n + std::string(widest - display_width(n), ' ') + " #" + static_cast<char>('0' + r % 10) + "µ!\n";
    }
    EXPECT_EQ(grid.format(), expected);
}

// TextRows holds a table's body more compactly than TextGrid; laid out with the same layout,
// alone or between grids (a header with spanning cells above, a last line below), its lines must
// be TextGrid's byte for byte: values with multi-byte characters, escapes, blanks or nothing, of
// every length; margins of every kind (the default, "", " ", " ± ", one with an escape);
// every alignment; absent cells, in a row and at its end; rows written by writers (measured, up
// to 32 bytes word by word and beyond, or telling their widths) and by copies.
TEST(TextRows, LinesAreTextGridsWithTheSameLayout) {
    const std::vector<std::string> pieces = {"1", ".", "%", " ", "µ", "±", "¹", "∞", "\x1b[31m", "\x1b[0m", "ab", "név"};
    const char* const margins[] = {nullptr, "", " ", " ± ", " \x1b[2m|\x1b[0m "};
    std::uint64_t state = 21;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    for (int round = 0; round < 300; ++round) {
        // Columns at increasing grid columns, sometimes with gaps between them.
        std::vector<TextRows::Column> columns;
        std::size_t col = next() % 2;
        const std::size_t n_columns = 1 + next() % 7;
        for (std::size_t k = 0; k < n_columns; ++k) {
            columns.push_back({col, margins[next() % std::size(margins)], static_cast<Align>(next() % 3)});
            col += 1 + (next() % 4 == 0 ? 1 : 0);
        }
        const std::size_t width = col + 1;
        TextGrid whole;
        TextGrid header;
        TextRows rows(columns);
        TextGrid footer;
        // A header line with a spanning cell over some columns, as a table's.
        const std::size_t span_from = next() % width;
        const std::size_t span = 1 + next() % (width - span_from);
        const std::string title = std::string(next() % 30, 'T');
        for (TextGrid* grid : {&whole, &header}) {
            grid->row();
            grid->col(span_from);
            grid->cell(title, Align::center, " │ ", span);
        }
        const std::size_t n_rows = 1 + next() % 12;
        for (std::size_t r = 0; r < n_rows; ++r) {
            whole.row();
            rows.row();
            for (std::size_t k = 0; k < columns.size(); ++k) {
                // Absent cells: passed over, or the rest of the row left without cells.
                if (k > 0 && next() % 5 == 0) {
                    rows.skip(1);
                    continue;
                }
                if (k > 0 && next() % 9 == 0) break;
                std::string v;
                // The first cell of a row is seen (TextRows writes every row's line; a grid drops
                // trailing lines of nothing).
                if (k == 0) v = "r";
                const std::size_t target = next() % 5 == 0 ? 0 : 1 + next() % 40;
                while (v.size() < target) v += pieces[next() % pieces.size()];
                whole.col(columns[k].col);
                whole.cell(v, columns[k].align, columns[k].margin);
                const bool visible = v.find_first_not_of(" \t\n") != std::string::npos;
                const std::size_t how = next() % 3;
                if (how == 0) {
                    rows.cell(v);
                } else if (how == 1 || !visible) {
                    rows.cell_with([&](TextGrid::Text& text) { text += v; });
                } else {
                    // A writer that knows its value's width (one that is not blank).
                    rows.cell_with_width([&](TextGrid::Text& text) {
                        text += v;
                        return display_width(v);
                    });
                }
            }
        }
        for (TextGrid* grid : {&whole, &footer}) {
            grid->row();
            grid->cell("last");
        }
        ASSERT_EQ(laid_out_together(header, rows, footer), whole.format()) << "round " << round;
    }
}

// Rows are cleared between the pieces of a large table and keep their columns; cells beyond a
// row's columns, or before any row, are mistakes.
TEST(TextRows, ClearKeepsColumnsAndExtraCellsAreRefused) {
    TextRows rows({{0}, {1, nullptr, Align::right}});
    EXPECT_THROW(rows.cell("x"), std::logic_error);
    rows.row();
    rows.cell("wide-name");
    rows.cell("1");
    EXPECT_THROW(rows.cell("2"), std::logic_error);
    EXPECT_THROW(rows.skip(1), std::logic_error);
    rows.clear();
    rows.row();
    rows.cell("a");
    rows.cell("12");
    rows.row();
    rows.skip(1);
    rows.cell("3");
    TextGrid::Layout layout;
    layout.add(rows);
    layout.finish();
    std::string out;
    rows.format(out, layout);
    EXPECT_EQ(out, "a 12\n   3\n");
    EXPECT_THROW(TextRows({{2}, {1}}), std::logic_error);
    // A layout the rows were not added to need not fit them.
    TextGrid::Layout narrow;
    narrow.finish();
    EXPECT_THROW(rows.format(out, narrow), std::logic_error);
}

}  // namespace
}  // namespace ksail_benchstat
