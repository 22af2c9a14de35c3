// A small layout engine for fixed-width text tables with spanning, aligned, margined cells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksail_benchstat {

enum class Align : std::uint8_t { left, center, right };

// Cells are placed row by row; a cell may span several columns. Column widths grow to fit their
// cells; spanning cells widen only the columns not marked "shrink". Widths count code points.
class TextGrid {
public:
    // A margin registered with margin(): cells name it by this handle rather than by its text.
    struct Margin {
        std::uint16_t index;
    };
    // The default left margin: one space, or none in column 0 and for empty values.
    static constexpr Margin k_default_margin{0xffff};

    TextGrid();
    // The handle of margin `text`, registered on first use.
    Margin margin(std::string_view text);
    // Makes room for `cells` cells holding `bytes` bytes of text in all.
    void reserve(std::size_t cells, std::size_t bytes);
    // Starts a new row (the first call starts row 0).
    void row();
    // Moves to column `col` of the current row (never backwards).
    void col(std::size_t col);
    std::size_t current_col() const { return m_col; }
    // Adds a cell at the current column spanning `span` columns. The default left margin is one
    // space, or none in column 0 and for empty values; `margin` overrides it when given.
    // Both inline: every row of a report adds its name and its delta this way.
    void cell(std::string_view value, Align align = Align::left, const char* margin = nullptr, std::size_t span = 1) {
        cell(value, align, margin != nullptr ? this->margin(margin) : k_default_margin, span);
    }
    void cell(std::string_view value, Align align, Margin margin, std::size_t span = 1) {
        const std::size_t start = m_text.size();
        m_text.append(value);
        add_cell(start, align, margin, span);
    }
    // Adds a cell whose value write(std::string& text) appends to `text`, the grid's own buffer:
    // numbers and marks are written in place, without a string of their own per cell.
    template <typename Write>
    void cell_with(const Write& write, Align align = Align::left, Margin margin = k_default_margin,
                   std::size_t span = 1) {
        const std::size_t start = m_text.size();
        write(m_text);
        add_cell(start, align, margin, span);
    }
    void set_shrink(std::size_t col);
    // Empties the grid (margins included), keeping its memory for the next cells.
    void clear();

    // The columns' widths, from the cells of one grid or of several grids that are laid out alike:
    // a table too large to hold as one grid is made and laid out a piece of rows at a time, each
    // piece a grid of its own, all with the widths of the whole.
    class Layout {
    public:
        // Widens the columns to fit `grid`'s cells (spanning cells are fitted by finish()).
        void add(const TextGrid& grid);
        // Settles the widths once every grid is added.
        void finish();

    private:
        friend class TextGrid;
        struct Spanning {
            std::size_t width, col, span;
        };
        std::vector<std::size_t> m_margin;      // the widest margin of each column
        std::vector<std::size_t> m_widest;      // the widest single-column value of each column
        std::vector<char> m_has_single;         // whether the column has a single-column cell (set per cell: a byte, not a bit)
        std::vector<bool> m_shrink;
        std::vector<Spanning> m_spanning;       // in the order added
        std::vector<std::size_t> m_offsets;     // after finish(): where each column starts
    };

    // Lays the table out; every line ends with '\n' and carries no trailing blanks from empty cells.
    std::string format() const;
    // The same, appended to `out`.
    void format(std::string& out) const;
    // Appends this grid's lines laid out with `layout`'s widths (which `layout` took from this grid
    // and others).
    void format(std::string& out, const Layout& layout) const;

private:
    // A large report's table has millions of cells: their text lives in one buffer and each cell
    // is a small record, with its width measured once and its margin one of a handful of strings.
    struct Cell {
        std::size_t offset;  // of the value in m_text
        std::uint32_t size, width;
        std::uint32_t row, col, span;
        std::uint16_t margin;  // index into m_margins
        Align align;
        bool blank;  // the value is only blanks
    };
    // Records the cell whose value is m_text from `start` on. An empty value with the empty margin
    // (the default one of an empty value) shows nothing and widens no column: it is only counted,
    // which spares a report's many absent footnote marks a record, a measure and a layout each.
    void add_cell(std::size_t start, Align align, Margin margin, std::size_t span) {
        if (m_text.size() == start && (margin.index == k_default_margin.index || margin.index == 0)) {
            count_empty_cell(span);
        } else {
            add_shown_cell(start, align, margin, span);
        }
    }
    void count_empty_cell(std::size_t span) {
        // Marked the first time only: the rows of a table have their empty cells in the same
        // columns.
        if (span == 1 && (m_col >= m_empty_single.size() || m_empty_single[m_col] == 0)) mark_empty_single();
        m_has_cells = true;
        m_col += span;
        if (m_col > m_cols) m_cols = m_col;
    }
    // Records that column m_col has an empty single-column cell (see m_empty_single).
    void mark_empty_single();
    void add_shown_cell(std::size_t start, Align align, Margin margin, std::size_t span);
    std::vector<Cell> m_cells;
    std::string m_text;
    std::vector<std::string> m_margins;  // [0] is "" and [1] is " " (the default margins)
    std::vector<std::size_t> m_margin_extra;  // each margin's bytes beyond its display width
    // The bytes the cells' values and margins take beyond their display widths: the room format
    // makes for them, counted as cells are added rather than by a pass over them all.
    std::size_t m_extra_bytes = 0;
    std::size_t m_last_margin = 0;  // index of the last margin looked up by its text
    std::vector<bool> m_shrink;
    bool m_has_cells = false;  // whether any cell was added, recorded or not: the grid has lines
    // The columns with an empty single-column cell that was only counted: a column with a
    // single-column cell is sized by its single-column cells, even when they are all empty.
    std::vector<char> m_empty_single;
    std::size_t m_cols = 0;
    std::size_t m_row = 0;
    std::size_t m_col = 0;
};

// Number of code points in a UTF-8 string.
std::size_t display_width(std::string_view s);

}  // namespace ksail_benchstat
