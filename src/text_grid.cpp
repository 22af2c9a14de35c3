// Layout of fixed-width text tables, compatible with benchstat's table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "ksail_benchstat/byte_words.hpp"

namespace ksail_benchstat {

std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == 0x1b && i + 1 < s.size() && s[i + 1] == '[') {
            // ANSI colour sequences take no room on the screen.
            i += 2;
            while (i < s.size() && s[i] != 'm') ++i;
            continue;
        }
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

void TextGrid::row() {
    if (m_has_cells) ++m_row;
    m_col = 0;
}

void TextGrid::col(std::size_t col) {
    if (col < m_col) throw std::logic_error("TextGrid: cannot move to an earlier column");
    m_col = col;
}

namespace {
bool blank_char(char ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }

bool blank(std::string_view s) { return std::all_of(s.begin(), s.end(), blank_char); }

// Cells keep their sizes and positions in 32 bits.
void check_narrow(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("TextGrid: table too large");
}

// The `size` bytes at `s` (0 < size <= 8), read as the word that ends at their end with its
// earlier bytes cleared: the `8 - size` bytes before `s` must be readable.
std::uint64_t short_word(const char* s, std::size_t size) {
    std::uint64_t w = load_word(s + size - 8);
    const unsigned dropped = 8 * static_cast<unsigned>(8 - size);
    // The earlier bytes are the word's low ones on a little-endian machine, its high ones
    // otherwise; cleared, they are neither high nor escapes.
    if constexpr (std::endian::native == std::endian::little) {
        w >>= dropped;
    } else {
        w <<= dropped;
    }
    return w;
}

// Marks the bytes of `w` that continue a multi-byte UTF-8 character (0b10xxxxxx), 1 in each such
// byte: a high bit with the bit below it clear. Shifting left by one brings each byte's second bit
// under its high bit.
std::uint64_t continuation_marks(std::uint64_t w) { return (w & ~(w << 1) & k_byte_highs) >> 7; }

// The sum of the bytes of `w`, each below 32 (a multiplication sums them into the top byte).
std::size_t sum_bytes(std::uint64_t w) { return static_cast<std::size_t>((w * k_byte_ones) >> 56); }

// What the words of a value say of its width: whether it holds an escape, and how many of its bytes
// continue multi-byte characters.
struct WordScan {
    bool escapes;
    std::size_t continuing;
};

// Scans the `size` bytes at `s` (size > 0, the 8 bytes before `s` readable): the last 1 to 8 bytes
// in the word that ends the value with its earlier bytes cleared (the bytes before them are the
// value's or the 8 before it), whole words before them. The words' marks are summed per byte and
// added up once, which values of up to k_short_value bytes (four words) allow; longer ones add
// them up every 16 words, before a byte's sum could pass 31.
template <bool k_long>
[[gnu::always_inline]] inline WordScan scan_words(const char* s, std::size_t size) {
    const std::size_t whole = (size - 1) / 8 * 8;
    const std::uint64_t last = short_word(s + whole, size - whole);
    std::uint64_t escapes = bytes_equal(last, 0x1b);
    std::uint64_t marks = continuation_marks(last);
    std::size_t continuing = 0;
    for (std::size_t i = 0; i < whole; i += 8) {
        const std::uint64_t w = load_word(s + i);
        escapes |= bytes_equal(w, 0x1b);
        marks += continuation_marks(w);
        if constexpr (k_long) {
            if (i % 128 == 120) {
                continuing += sum_bytes(marks);
                marks = 0;
            }
        }
    }
    return {escapes != 0, continuing + sum_bytes(marks)};
}

// The display width of a value of 1 to 32 bytes at `s` (the 8 bytes before `s` readable) that
// starts with a visible character and holds no escapes, from its words; k_no_width for any other
// value, which measure() takes. Most values are such: numbers, marks and names.
constexpr std::size_t k_short_value = 32;
constexpr std::size_t k_no_width = static_cast<std::size_t>(-1);
std::size_t short_width(const char* s, std::size_t size) {
    const WordScan scan = scan_words<false>(s, size);
    if (scan.escapes || blank_char(*s)) return k_no_width;
    return size - scan.continuing;
}

// The display width of the `size` bytes at `s` (the 8 bytes before `s` readable) and whether they
// are only blanks, a word at a time. Without escapes, a value's display width is its size less the
// bytes that continue multi-byte characters; a value with escapes takes display_width's rules.
// Out of line: TextRows measures most values with short_width and calls this for the others only.
[[gnu::noinline]] std::pair<std::size_t, bool> measure(const char* s, std::size_t size) {
    if (size == 0) return {0, true};
    const WordScan scan = scan_words<true>(s, size);
    const std::size_t width = scan.escapes ? display_width(std::string_view(s, size)) : size - scan.continuing;
    return {width, blank_char(*s) && blank(std::string_view(s, size))};
}
}  // namespace

void TextGrid::Text::grow(std::size_t n) {
    // Doubles, so that a table's text is copied a bounded number of times as it grows.
    const std::size_t capacity = std::max({2 * m_capacity, m_size + n, std::size_t{256}});
    auto data = std::make_unique_for_overwrite<char[]>(k_before + capacity);
    std::memset(data.get(), 0, k_before);
    if (m_size != 0) std::memcpy(data.get() + k_before, m_data.get() + k_before, m_size);
    m_data = std::move(data);
    m_capacity = capacity;
}

TextGrid::MarginFacts TextGrid::MarginFacts::of(std::string_view margin) {
    const std::size_t width = display_width(margin);
    return {width, margin.size() - width, ksail_benchstat::blank(margin),
            margin.find_first_not_of(' ') == std::string_view::npos};
}

TextGrid::TextGrid() : m_margins{"", " "}, m_margin_facts{MarginFacts::of(""), MarginFacts::of(" ")} {}

TextGrid::Margin TextGrid::margin(std::string_view text) {
    // A handful of margins, mostly the same one call after call: the last one is tried first.
    std::size_t index = m_last_margin;
    if (index >= m_margins.size() || m_margins[index] != text) {
        index = 0;
        while (index < m_margins.size() && m_margins[index] != text) ++index;
        if (index == m_margins.size()) {
            if (index >= k_default_margin.index) throw std::length_error("TextGrid: too many margins");
            m_margins.emplace_back(text);
            m_margin_facts.push_back(MarginFacts::of(text));
        }
        m_last_margin = index;
    }
    return Margin{static_cast<std::uint16_t>(index)};
}

void TextGrid::reserve(std::size_t cells, std::size_t bytes) {
    m_cells.reserve(m_cells.size() + cells);
    m_text.reserve(bytes);
}

void TextGrid::mark_empty_single() {
    if (m_fit.size() <= m_col) m_fit.resize(m_col + 1);
    m_fit[m_col].has_single = true;
}

void TextGrid::add_shown_cell(std::size_t start, Align align, Margin margin, std::size_t span) {
    const std::size_t size = m_text.size() - start;
    std::uint16_t m = margin.index;
    if (m == k_default_margin.index) m = m_col == 0 || size == 0 ? 0 : 1;  // "" or " "
    const auto [width, is_blank] = measure(m_text.at(start), size);
    // One check covers every field narrowed to 32 bits (the width is at most the size): any of
    // them too large has a bit above the 32 low ones.
    check_narrow(size | m_row | (m_col + span));
    const MarginFacts& facts = m_margin_facts[m];
    m_cells.push_back({static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(width),
                       static_cast<std::uint32_t>(m_row), static_cast<std::uint32_t>(m_col),
                       static_cast<std::uint32_t>(span), m, align, is_blank && facts.blank});
    m_extra_bytes += size - width + facts.extra;
    if (m_fit.size() < m_col + span) m_fit.resize(m_col + span);
    ColumnFit& fit = m_fit[m_col];
    fit.margin = std::max(fit.margin, facts.width);
    if (span == 1) {
        fit.widest = std::max(fit.widest, width);
        fit.has_single = true;
    } else {
        m_spanning.push_back({width, m_col, span});
    }
    m_has_cells = true;
    m_col += span;
    m_cols = std::max(m_cols, m_col);
}

void TextGrid::set_shrink(std::size_t col) {
    if (m_shrink.size() <= col) m_shrink.resize(col + 1, false);
    m_shrink[col] = true;
}

void TextGrid::clear() {
    m_cells.clear();
    m_text.clear();
    m_margins.resize(2);
    m_margin_facts.resize(2);
    m_extra_bytes = 0;
    m_last_margin = 0;
    m_shrink.clear();
    m_has_cells = false;
    m_fit.clear();
    m_spanning.clear();
    m_cols = 0;
    m_row = 0;
    m_col = 0;
}

void TextGrid::Layout::reach(std::size_t cols) {
    cols = std::max(m_margin.size(), cols);
    m_margin.resize(cols, 0);
    m_widest.resize(cols, 0);
    m_has_single.resize(cols, false);
}

void TextGrid::Layout::widen(std::size_t c, const ColumnFit& fit) {
    m_margin[c] = std::max(m_margin[c], fit.margin);
    m_widest[c] = std::max(m_widest[c], fit.widest);
    if (fit.has_single) m_has_single[c] = true;
}

void TextGrid::Layout::add(const TextGrid& grid) {
    reach(grid.m_cols);
    for (std::size_t c = 0; c < grid.m_fit.size(); ++c) widen(c, grid.m_fit[c]);
    m_spanning.insert(m_spanning.end(), grid.m_spanning.begin(), grid.m_spanning.end());
    if (m_shrink.size() < grid.m_shrink.size()) m_shrink.resize(grid.m_shrink.size(), false);
    for (std::size_t c = 0; c < grid.m_shrink.size(); ++c) {
        if (grid.m_shrink[c]) m_shrink[c] = true;
    }
}

void TextGrid::Layout::finish() {
    auto shrink = [&](std::size_t c) { return c < m_shrink.size() && m_shrink[c]; };
    const std::size_t cols = m_margin.size();
    // Single-column cells first (they only take maxima), then spanning cells by span.
    std::vector<std::size_t> widths(cols, 0);
    for (std::size_t c = 0; c < cols; ++c) {
        if (m_has_single[c]) widths[c] = m_widest[c] + m_margin[c];
    }
    std::stable_sort(m_spanning.begin(), m_spanning.end(),
                     [](const Spanning& a, const Spanning& b) { return a.span < b.span; });
    std::vector<std::size_t> grow;
    for (const Spanning& c : m_spanning) {
        long need = static_cast<long>(c.width + m_margin[c.col]);
        long have = 0;
        for (std::size_t k = c.col; k < c.col + c.span; ++k) have += static_cast<long>(widths[k]);
        if (have >= need) continue;
        // Spread the missing width over the growable columns, widest first, so that columns
        // already wider than the average give their excess to the narrower ones.
        grow.clear();
        for (std::size_t k = c.col; k < c.col + c.span; ++k) {
            if (shrink(k)) {
                need -= static_cast<long>(widths[k]);
            } else {
                grow.push_back(k);
            }
        }
        std::stable_sort(grow.begin(), grow.end(), [&](std::size_t a, std::size_t b) { return widths[a] > widths[b]; });
        long remaining = static_cast<long>(grow.size());
        for (std::size_t k : grow) {
            long avg = (need + remaining - 1) / remaining;
            if (avg > static_cast<long>(widths[k])) widths[k] = static_cast<std::size_t>(avg);
            need -= static_cast<long>(widths[k]);
            --remaining;
        }
    }
    m_offsets.assign(cols + 1, 0);
    for (std::size_t k = 0; k < cols; ++k) m_offsets[k + 1] = m_offsets[k] + widths[k];
}

std::string TextGrid::format() const {
    std::string out;
    format(out);
    return out;
}

void TextGrid::format(std::string& out) const {
    Layout layout;
    layout.add(*this);
    layout.finish();
    format(out, layout);
}

void TextGrid::format(std::string& out, const Layout& layout) const {
    // What a cell needs of its margin, in one record per margin: it is looked up for every cell.
    struct MarginLook {
        const char* text;
        std::size_t size;
        std::size_t width;
        bool spaces;  // only spaces: nothing to write (see below)
    };
    std::vector<MarginLook> margins(m_margins.size());
    for (std::size_t i = 0; i < m_margins.size(); ++i) {
        const std::string& m = m_margins[i];
        margins[i] = {m.data(), m.size(), m_margin_facts[i].width, m_margin_facts[i].spaces};
    }
    const std::size_t extra_bytes = m_extra_bytes;
    const std::size_t* const margin = layout.m_margin.data();
    const std::size_t* const offsets = layout.m_offsets.data();
    const std::size_t line_width = layout.m_offsets.back();
    const char* text = m_text.at(0);  // the next cell's value

    // Cells are added row by row, left to right (col() never moves back), so they are already in
    // reading order. The lines are written into a buffer of blanks, so padding is only skipped
    // over. Its size is a line of the full width per row plus what multi-byte characters and
    // escapes add to the values and margins; a cell wider than its columns would only make it grow.
    std::size_t len = out.size();
    if (m_has_cells) out.resize(len + (m_row + 1) * (line_width + 1) + extra_bytes, ' ');
    char* buf = out.data();
    auto room = [&](std::size_t n) {
        if (out.size() - len < n) {
            out.resize(std::max(2 * out.size(), len + n), ' ');
            buf = out.data();
        }
    };
    auto put = [&](const char* s, std::size_t n) {
        TextGrid::Text::copy(buf + len, s, n);
        len += n;
    };
    std::size_t row = 0;
    std::size_t pos = 0;
    for (const auto& c : m_cells) {
        const char* const value = text;
        text += c.size;
        if (c.hidden) continue;
        const MarginLook& m = margins[c.margin];
        if (c.row > row) {
            room(c.row - row);
            for (; row < c.row; ++row) buf[len++] = '\n';
            pos = 0;
        }
        const std::size_t start = offsets[c.col];
        const std::size_t col_margin = margin[c.col];
        const std::size_t skip = (start > pos ? start - pos : 0) + col_margin - m.width;
        pos = std::max(pos, start) + col_margin;
        const std::size_t total = offsets[c.col + c.span] - start - col_margin;
        const std::size_t w = c.width;
        std::size_t pad = 0;
        if (total > w) {
            if (c.align == Align::right) pad = total - w;
            if (c.align == Align::center) pad = (total - w) / 2;
        }
        room(skip + m.size + pad + c.size + 1);
        len += skip;
        if (m.spaces) {
            len += m.size;  // the buffer holds blanks there already
        } else {
            put(m.text, m.size);
        }
        len += pad;
        put(value, c.size);
        pos += pad + w;
    }
    if (m_has_cells) {
        room(1);
        buf[len++] = '\n';
    }
    out.resize(len);
}

void TextGrid::Layout::add(const TextRows& rows) {
    if (rows.m_columns.empty()) return;
    reach(rows.m_columns.back().col + 1);
    for (std::size_t k = 0; k < rows.m_columns.size(); ++k) widen(rows.m_columns[k].col, rows.m_fit[k]);
}

TextRows::TextRows(const std::vector<Column>& columns)
    : m_fit(columns.size()), m_per_row(columns.size()), m_next(columns.size()) {
    for (const Column& column : columns) {
        if (!m_columns.empty() && column.col <= m_columns.back().col) {
            throw std::logic_error("TextRows: columns must be in increasing order");
        }
        // TextGrid's default margin of a value that is not empty: none in column 0, else a space.
        const std::string margin = column.margin != nullptr ? column.margin : column.col == 0 ? "" : " ";
        m_columns.push_back({column.col, column.align, margin, TextGrid::MarginFacts::of(margin),
                             column.margin != nullptr && !margin.empty()});
    }
}

void TextRows::skip(std::size_t n) {
    if (n > m_per_row - m_next) throw std::logic_error("TextRows: no column left in the row");
    m_next += n;
    m_cells.insert(m_cells.end(), n, Cell{0, k_not_shown});
}

void TextRows::reserve(std::size_t rows, std::size_t bytes) {
    m_cells.reserve(m_cells.size() + rows * m_per_row);
    m_text.reserve(bytes);
}

void TextRows::clear() {
    std::fill(m_fit.begin(), m_fit.end(), TextGrid::ColumnFit{});
    m_cells.clear();
    m_text.clear();
    m_rows = 0;
    m_next = m_per_row;
    m_extra_bytes = 0;
}

void TextRows::add_cell(std::size_t start, std::size_t width) {
    if (m_next == m_per_row) throw std::logic_error("TextRows: no column left in the row");
    const std::size_t k = m_next++;
    const ColumnLook& column = m_columns[k];
    TextGrid::ColumnFit& fit = m_fit[k];
    const std::size_t size = m_text.size() - start;
    // As in TextGrid::add_cell: an empty value with the empty margin is only counted.
    fit.has_single = true;
    if (size == 0 && !column.empty_shows) {
        m_cells.push_back({0, k_not_shown});
        return;
    }
    bool is_blank = false;
    if (width == k_unmeasured) {
        const char* const value = m_text.at(start);
        width = size - 1 < k_short_value ? short_width(value, size) : k_no_width;
        if (width == k_no_width) std::tie(width, is_blank) = measure(value, size);
    }
    check_narrow(size);
    m_cells.push_back({static_cast<std::uint32_t>(size),
                       is_blank && column.facts.blank ? k_not_shown : static_cast<std::uint32_t>(width)});
    m_extra_bytes += size - width + column.facts.extra;
    fit.margin = std::max(fit.margin, column.facts.width);
    fit.widest = std::max(fit.widest, width);
}

void TextRows::format(std::string& out, const TextGrid::Layout& layout) const {
    if (m_rows == 0) return;
    // Where each column's values go on a line: their area starts at `content` (after the column's
    // margin, which starts at `margin_at`) and is `room` wide. A layout these rows were added to
    // fits every cell in its columns: cells never overlap, and each starts at a place known before
    // the row is seen. A value's padding is (room - width) * `pad_twice` / 2: none when aligned
    // left, all when right, half when centered.
    struct Place {
        std::size_t content;
        std::size_t margin_at;
        std::size_t room;
        std::size_t pad_twice;
        const char* margin;  // nullptr when only spaces: nothing to write
        std::size_t margin_size;
    };
    std::vector<Place> places(m_columns.size());
    const std::vector<std::size_t>& offsets = layout.m_offsets;
    for (std::size_t k = 0; k < m_columns.size(); ++k) {
        const ColumnLook& column = m_columns[k];
        const std::size_t c = column.col;
        if (c + 1 >= offsets.size() || layout.m_margin[c] < m_fit[k].margin ||
            offsets[c + 1] - offsets[c] < layout.m_margin[c] + m_fit[k].widest) {
            throw std::logic_error("TextRows: laid out with a layout that does not fit them");
        }
        const std::size_t content = offsets[c] + layout.m_margin[c];
        places[k] = {content,
                     content - column.facts.width,
                     offsets[c + 1] - content,
                     column.align == Align::right ? 2U : column.align == Align::center ? 1U : 0U,
                     column.facts.spaces ? nullptr : column.margin.data(),
                     column.margin.size()};
    }
    // The lines are written into a buffer of blanks, as in TextGrid::format: a line of the full
    // width per row plus what multi-byte characters and escapes add, which is enough here as every
    // cell fits its column.
    std::size_t len = out.size();
    out.resize(len + m_rows * (offsets.back() + 1) + m_extra_bytes, ' ');
    char* const buf = out.data();
    const char* text = m_text.at(0);  // the next cell's value
    const Cell* cell = m_cells.data();
    const Cell* const end = cell + m_cells.size();
    for (std::size_t r = 0; r < m_rows; ++r) {
        std::size_t pos = 0;  // the display column the line has reached
        // The last row's columns after its last cell have none.
        const std::size_t given = std::min<std::size_t>(m_per_row, static_cast<std::size_t>(end - cell));
        for (std::size_t k = 0; k < given; ++k, ++cell) {
            const char* const value = text;
            text += cell->size;
            if (cell->width == k_not_shown) continue;
            const Place& place = places[k];
            const std::size_t w = cell->width;
            const std::size_t pad = (place.room - w) * place.pad_twice / 2;
            len += place.margin_at - pos;
            if (place.margin != nullptr) TextGrid::Text::copy(buf + len, place.margin, place.margin_size);
            len += place.margin_size + pad;
            TextGrid::Text::copy(buf + len, value, cell->size);
            len += cell->size;
            pos = place.content + pad + w;
        }
        buf[len++] = '\n';
    }
    out.resize(len);
}

}  // namespace ksail_benchstat
