// A small layout engine for fixed-width text tables with spanning, aligned, margined cells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ksail_benchstat {

enum class Align : std::uint8_t { left, center, right };

class TextRows;

// Cells are placed row by row; a cell may span several columns. Column widths grow to fit their
// cells; spanning cells widen only the columns not marked "shrink". Widths count code points.
class TextGrid {
    friend class TextRows;
    struct ColumnFit;  // what the layout needs of a column (below)

public:
    // A margin registered with margin(): cells name it by this handle rather than by its text.
    struct Margin {
        std::uint16_t index;
    };
    // The default left margin: one space, or none in column 0 and for empty values.
    static constexpr Margin k_default_margin{0xffff};

    // The text of the cells, one value after another. A writer given to cell_with appends the
    // value of its cell here: numbers are written in place through room() and commit(), without a
    // string of their own per cell.
    class Text {
    public:
        // The buffer is made at once, so that at() always points into it.
        Text() { grow(0); }
        // Where the next `n` bytes go; commit() then ends the text where the writing stopped.
        char* room(std::size_t n) {
            if (m_capacity - m_size < n) grow(n);
            return m_data.get() + k_before + m_size;
        }
        // Ends the text at `end`, within the room room() gave.
        void commit(const char* end) { m_size = static_cast<std::size_t>(end - (m_data.get() + k_before)); }
        void append(std::string_view s) {
            copy(room(s.size()), s.data(), s.size());
            m_size += s.size();
        }
        // Copies `n` bytes from `from` to `to`. Values are mostly a few bytes long ("~", "3%",
        // "1.25µ") and names a few dozen: those of up to 32 bytes are copied as two fixed-size,
        // possibly overlapping pieces, without a call to memcpy for each.
        static void copy(char* to, const char* from, std::size_t n) {
            if (n >= 8 && n <= 16) {
                std::memcpy(to, from, 8);
                std::memcpy(to + n - 8, from + n - 8, 8);
            } else if (n >= 4 && n < 8) {
                std::memcpy(to, from, 4);
                std::memcpy(to + n - 4, from + n - 4, 4);
            } else if (n >= 2 && n < 4) {
                std::memcpy(to, from, 2);
                std::memcpy(to + n - 2, from + n - 2, 2);
            } else if (n == 1) {
                *to = *from;
            } else if (n > 16 && n <= 32) {
                std::memcpy(to, from, 16);
                std::memcpy(to + n - 16, from + n - 16, 16);
            } else if (n > 32) {
                std::memcpy(to, from, n);
            }
        }
        TextGrid::Text& operator+=(std::string_view s) {
            append(s);
            return *this;
        }
        TextGrid::Text& operator+=(char ch) {
            *room(1) = ch;
            ++m_size;
            return *this;
        }
        std::size_t size() const { return m_size; }
        // The text from `offset` on. Eight bytes before it can always be read (see k_before).
        const char* at(std::size_t offset) const { return m_data.get() + k_before + offset; }
        void clear() { m_size = 0; }
        void reserve(std::size_t n) {
            if (m_capacity - m_size < n) grow(n);
        }

    private:
        // Bytes kept before the text, so that a short value can be measured in the one word that
        // ends at its end even when it is the first.
        static constexpr std::size_t k_before = 8;
        void grow(std::size_t n);
        std::unique_ptr<char[]> m_data;
        std::size_t m_size = 0;
        std::size_t m_capacity = 0;
    };

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
    // Adds a cell whose value write(Text& text) appends to `text`, the grid's own text.
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
        // Widens the columns to fit the cells of `rows`.
        void add(const TextRows& rows);
        // Settles the widths once every grid is added.
        void finish();

    private:
        friend class TextGrid;
        friend class TextRows;
        struct Spanning {
            std::size_t width, col, span;
        };
        std::vector<std::size_t> m_margin;      // the widest margin of each column
        std::vector<std::size_t> m_widest;      // the widest single-column value of each column
        std::vector<char> m_has_single;         // whether the column has a single-column cell
        std::vector<bool> m_shrink;
        std::vector<Spanning> m_spanning;       // in the order added
        std::vector<std::size_t> m_offsets;     // after finish(): where each column starts
        // Makes room for `cols` columns.
        void reach(std::size_t cols);
        // Widens column `c` to fit what a grid or rows gathered of its cells.
        void widen(std::size_t c, const ColumnFit& fit);
    };

    // Lays the table out; every line ends with '\n' and carries no trailing blanks from empty cells.
    std::string format() const;
    // The same, appended to `out`.
    void format(std::string& out) const;
    // Appends this grid's lines laid out with `layout`'s widths (which `layout` took from this grid
    // and others).
    void format(std::string& out, const Layout& layout) const;

private:
    // A large report's table has millions of cells: their text lives in one buffer, value after
    // value in the order added, and each cell is a small record with its width measured once and
    // its margin one of a handful of strings.
    struct Cell {
        std::uint32_t size, width;
        std::uint32_t row, col, span;
        std::uint16_t margin;  // index into m_margins
        Align align;
        bool hidden;  // the value is only blanks and so is its margin: it shows nothing
    };
    // What the layout needs of a column, gathered as cells are added: Layout::add then takes a
    // grid's widths a column at a time rather than a cell at a time.
    struct ColumnFit {
        std::size_t margin = 0;  // the widest margin of its cells
        std::size_t widest = 0;  // the widest single-column value
        bool has_single = false;  // whether it has a single-column cell, even an empty one
    };
    // Records the cell whose value is the text from `start` on. An empty value with the empty margin
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
        if (span == 1 && (m_col >= m_fit.size() || !m_fit[m_col].has_single)) mark_empty_single();
        m_has_cells = true;
        m_col += span;
        if (m_col > m_cols) m_cols = m_col;
    }
    // Records that column m_col has an empty single-column cell (see ColumnFit::has_single).
    void mark_empty_single();
    void add_shown_cell(std::size_t start, Align align, Margin margin, std::size_t span);
    std::vector<Cell> m_cells;
    Text m_text;
    std::vector<std::string> m_margins;  // [0] is "" and [1] is " " (the default margins)
    // What laying a cell out needs of its margin, worked out once per margin.
    struct MarginFacts {
        std::size_t width;  // display width
        std::size_t extra;  // bytes beyond the display width
        bool blank;         // only blanks: a blank value with this margin shows nothing
        bool spaces;        // only spaces: the buffer of blanks format writes into holds it already
        static MarginFacts of(std::string_view margin);
    };
    std::vector<MarginFacts> m_margin_facts;
    // The bytes the cells' values and margins take beyond their display widths: the room format
    // makes for them, counted as cells are added rather than by a pass over them all.
    std::size_t m_extra_bytes = 0;
    std::size_t m_last_margin = 0;  // index of the last margin looked up by its text
    std::vector<bool> m_shrink;
    bool m_has_cells = false;  // whether any cell was added, recorded or not: the grid has lines
    std::vector<ColumnFit> m_fit;  // by column, as far as any cell has reached
    std::vector<Layout::Spanning> m_spanning;  // the spanning cells, in the order added
    std::size_t m_cols = 0;
    std::size_t m_row = 0;
    std::size_t m_col = 0;
};

// Rows of single-column cells in the same columns, each column with its own margin and alignment:
// a table's body. A TextGrid holds each cell with its row, column, span, margin and alignment;
// here a cell is only its value's size and width, as the rest is the same for every row, and the
// rows are laid out with the Layout of the grids around them (the table's header and last line),
// which Layout::add takes them into. Each row is a line, even one that shows nothing.
class TextRows {
public:
    // A column of every row: its grid column, its margin (nullptr for TextGrid's default: one
    // space, or none in column 0 and for empty values) and its alignment.
    struct Column {
        std::size_t col;
        const char* margin = nullptr;
        Align align = Align::left;
    };
    // Rows of `columns`, which are in increasing grid columns (std::logic_error otherwise).
    explicit TextRows(const std::vector<Column>& columns);
    // Starts a new row: its cells are then given column after column.
    void row() {
        // The previous row's columns left without cells have none. (The last row's are left to
        // format.)
        if (m_next != m_per_row && m_rows != 0) skip(m_per_row - m_next);
        ++m_rows;
        m_next = 0;
    }
    // Adds the cell of the next column, as TextGrid::cell does; std::logic_error when the row has
    // no column left.
    void cell(std::string_view value) {
        const std::size_t start = m_text.size();
        m_text.append(value);
        add_cell(start);
    }
    // The same with a value write(TextGrid::Text& text) appends to `text`, as TextGrid::cell_with.
    template <typename Write>
    void cell_with(const Write& write) {
        const std::size_t start = m_text.size();
        write(m_text);
        add_cell_inline(start, k_unmeasured);
    }
    // The same for a value that is not blank and whose display width write(text) returns: the
    // numbers a report writes need no measuring.
    template <typename Write>
    void cell_with_width(const Write& write) {
        const std::size_t start = m_text.size();
        const std::size_t width = write(m_text);
        add_cell_inline(start, width);
    }
    // Leaves the next `n` columns of the row without cells (as TextGrid::col() moving past them).
    void skip(std::size_t n);
    // Makes room for `rows` more rows holding `bytes` more bytes of text.
    void reserve(std::size_t rows, std::size_t bytes);
    // Empties the rows, keeping the columns and the memory.
    void clear();
    // Appends the rows' lines laid out with `layout`'s widths, which `layout` took from these rows
    // and others (std::logic_error if the rows do not fit them).
    void format(std::string& out, const TextGrid::Layout& layout) const;

private:
    friend class TextGrid::Layout;
    // Width of a cell that shows nothing: one absent, an empty value with the empty margin, or a
    // blank value with a blank margin.
    static constexpr std::uint32_t k_not_shown = 0xffffffff;
    struct Cell {
        std::uint32_t size;   // of its value in the text
        std::uint32_t width;  // display width, or k_not_shown
    };
    // A column and what a cell needs of its margin.
    struct ColumnLook {
        std::size_t col;
        Align align;
        std::string margin;  // of a value that is not empty (the default one made concrete)
        TextGrid::MarginFacts facts;  // of `margin`
        bool empty_shows;             // an empty value shows its margin (a margin of its own, not "")
    };
    // Records the cell of the next column whose value is the text from `start` on, of display
    // width `width`, or measured when k_unmeasured.
    static constexpr std::size_t k_unmeasured = static_cast<std::size_t>(-1);
    void add_cell(std::size_t start, std::size_t width = k_unmeasured);
    // add_cell's commonest cases, inline: an empty value that is only counted (most footnote
    // marks), and a value of known width that is not blank (the numbers). Anything else (a value
    // to measure, no column left, an empty value that shows its margin, a size beyond 32 bits) is
    // left to add_cell. Always inline: left to itself, the compiler made it a function of its
    // own, whose call cost a cell as much as its work.
    [[gnu::always_inline]] void add_cell_inline(std::size_t start, std::size_t width) {
        const std::size_t size = m_text.size() - start;
        if (m_next != m_per_row) {
            const ColumnLook& column = m_columns[m_next];
            TextGrid::ColumnFit& fit = m_fit[m_next];
            if (size == 0 && !column.empty_shows) {
                fit.has_single = true;
                m_cells.push_back({0, k_not_shown});
                ++m_next;
                return;
            }
            if (width != k_unmeasured && size != 0 && (size >> 32) == 0) {
                fit.has_single = true;
                m_cells.push_back({static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(width)});
                m_extra_bytes += size - width + column.facts.extra;
                if (column.facts.width > fit.margin) fit.margin = column.facts.width;
                if (width > fit.widest) fit.widest = width;
                ++m_next;
                return;
            }
        }
        add_cell(start, width);
    }
    std::vector<ColumnLook> m_columns;
    std::vector<TextGrid::ColumnFit> m_fit;  // by column of m_columns
    std::vector<Cell> m_cells;      // m_per_row per row (the last row's up to its last cell)
    TextGrid::Text m_text;
    std::size_t m_per_row;          // cells per row: m_columns.size()
    std::size_t m_rows = 0;
    std::size_t m_next;             // the column of the current row the next cell goes to (m_per_row: none)
    std::size_t m_extra_bytes = 0;  // as TextGrid's
};

// Number of code points in a UTF-8 string.
std::size_t display_width(std::string_view s);

}  // namespace ksail_benchstat
