// A small layout engine for fixed-width text tables with spanning, aligned, margined cells.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ksail_benchstat {

enum class Align { left, center, right };

// Cells are placed row by row; a cell may span several columns. Column widths grow to fit their
// cells; spanning cells widen only the columns not marked "shrink". Widths count code points.
class TextGrid {
public:
    // Starts a new row (the first call starts row 0).
    void row();
    // Moves to column `col` of the current row (never backwards).
    void col(std::size_t col);
    std::size_t current_col() const { return m_col; }
    // Adds a cell at the current column spanning `span` columns. The default left margin is one
    // space, or none in column 0 and for empty values; `margin` overrides it when given.
    void cell(std::string value, Align align = Align::left, const char* margin = nullptr, std::size_t span = 1);
    void set_shrink(std::size_t col);
    // Lays the table out; every line ends with '\n' and carries no trailing blanks from empty cells.
    std::string format() const;

private:
    struct Cell {
        std::size_t row, col, span;
        std::string value;
        std::string margin;
        Align align;
    };
    std::vector<Cell> m_cells;
    std::vector<bool> m_shrink;
    std::size_t m_cols = 0;
    std::size_t m_row = 0;
    std::size_t m_col = 0;
};

// Number of code points in a UTF-8 string.
std::size_t display_width(const std::string& s);

}  // namespace ksail_benchstat
