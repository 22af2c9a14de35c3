// Layout of fixed-width text tables, compatible with benchstat's table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
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
    if (!m_cells.empty()) ++m_row;
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

// Whether the word holds neither bytes of multi-byte UTF-8 characters (a high bit) nor escapes.
bool plain_word(std::uint64_t w) { return ((w & k_byte_highs) | bytes_equal(w, 0x1b)) == 0; }

// Whether the `size` bytes at `s` hold neither multi-byte UTF-8 characters nor escapes, so that
// their width is their size: eight bytes at a time, as row names are tens of bytes long. Most
// values are numbers shorter than a word: the word that ends at the value's end, its earlier
// bytes cleared, is tested instead, when `before` (the bytes readable before `s`) allows it.
bool plain_ascii(const char* s, std::size_t size, std::size_t before) {
    if (size >= 8) {
        std::size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            if (!plain_word(load_word(s + i))) return false;
        }
        // The last bytes, in the word that ends the value (its other bytes passed already).
        return i == size || plain_word(load_word(s + size - 8));
    }
    if (size == 0) return true;
    if (before >= 8 - size) {
        std::uint64_t w = load_word(s + size - 8);
        const unsigned dropped = 8 * static_cast<unsigned>(8 - size);
        // The earlier bytes are the word's low ones on a little-endian machine, its high ones
        // otherwise; cleared, they are neither high nor escapes.
        if constexpr (std::endian::native == std::endian::little) {
            w >>= dropped;
        } else {
            w <<= dropped;
        }
        return plain_word(w);
    }
    for (std::size_t i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || c == 0x1b) return false;
    }
    return true;
}

// The display width of a cell's value and whether it is only blanks: most values are short ASCII
// numbers and names that start with a non-blank, so display_width's rules and the blank scan are
// taken only when needed. `before` bytes before the value may be read (see plain_ascii).
std::pair<std::size_t, bool> measure(std::string_view s, std::size_t before) {
    const bool all_blank = s.empty() || (blank_char(s.front()) && blank(s));
    return {plain_ascii(s.data(), s.size(), before) ? s.size() : display_width(s), all_blank};
}
}  // namespace

TextGrid::TextGrid() : m_margins{"", " "}, m_margin_extra{0, 0} {}

TextGrid::Margin TextGrid::margin(std::string_view text) {
    // A handful of margins, mostly the same one call after call: the last one is tried first.
    std::size_t index = m_last_margin;
    if (index >= m_margins.size() || m_margins[index] != text) {
        index = 0;
        while (index < m_margins.size() && m_margins[index] != text) ++index;
        if (index == m_margins.size()) {
            if (index >= k_default_margin.index) throw std::length_error("TextGrid: too many margins");
            m_margins.emplace_back(text);
            m_margin_extra.push_back(text.size() - display_width(text));
        }
        m_last_margin = index;
    }
    return Margin{static_cast<std::uint16_t>(index)};
}

void TextGrid::reserve(std::size_t cells, std::size_t bytes) {
    m_cells.reserve(m_cells.size() + cells);
    m_text.reserve(m_text.size() + bytes);
}

void TextGrid::cell(std::string_view value, Align align, const char* margin, std::size_t span) {
    cell(value, align, margin != nullptr ? this->margin(margin) : k_default_margin, span);
}

void TextGrid::cell(std::string_view value, Align align, Margin margin, std::size_t span) {
    const std::size_t start = m_text.size();
    m_text.append(value);
    add_cell(start, align, margin, span);
}

void TextGrid::add_cell(std::size_t start, Align align, Margin margin, std::size_t span) {
    const std::string_view value = std::string_view(m_text).substr(start);
    std::uint16_t m = margin.index;
    if (m == k_default_margin.index) m = m_col == 0 || value.empty() ? 0 : 1;  // "" or " "
    const auto [width, is_blank] = measure(value, start);
    // One check covers every field narrowed to 32 bits (the width is at most the size).
    check_narrow(std::max({value.size(), m_row, m_col + span}));
    m_cells.push_back({start, static_cast<std::uint32_t>(value.size()), static_cast<std::uint32_t>(width),
                       static_cast<std::uint32_t>(m_row), static_cast<std::uint32_t>(m_col),
                       static_cast<std::uint32_t>(span), m, align, is_blank});
    m_extra_bytes += value.size() - width + m_margin_extra[m];
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
    m_margin_extra.resize(2);
    m_extra_bytes = 0;
    m_last_margin = 0;
    m_shrink.clear();
    m_cols = 0;
    m_row = 0;
    m_col = 0;
}

void TextGrid::Layout::add(const TextGrid& grid) {
    const std::size_t cols = std::max(m_margin.size(), grid.m_cols);
    m_margin.resize(cols, 0);
    m_widest.resize(cols, 0);
    m_has_single.resize(cols, false);
    std::vector<std::size_t> margin_width(grid.m_margins.size());
    for (std::size_t i = 0; i < grid.m_margins.size(); ++i) margin_width[i] = display_width(grid.m_margins[i]);
    for (const auto& c : grid.m_cells) {
        m_margin[c.col] = std::max(m_margin[c.col], margin_width[c.margin]);
        if (c.span == 1) {
            m_widest[c.col] = std::max<std::size_t>(m_widest[c.col], c.width);
            m_has_single[c.col] = true;
        } else {
            m_spanning.push_back({c.width, c.col, c.span});
        }
    }
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
    std::vector<std::size_t> margin_width(m_margins.size());
    // Bytes rather than bits (std::vector<bool>): they are looked up for every cell.
    std::vector<char> margin_blank(m_margins.size());
    std::vector<char> margin_spaces(m_margins.size());  // only spaces: nothing to write (see below)
    for (std::size_t i = 0; i < m_margins.size(); ++i) {
        margin_width[i] = display_width(m_margins[i]);
        margin_blank[i] = blank(m_margins[i]);
        margin_spaces[i] = m_margins[i].find_first_not_of(' ') == std::string::npos;
    }
    const std::size_t extra_bytes = m_extra_bytes;
    const std::vector<std::size_t>& margin = layout.m_margin;
    const std::vector<std::size_t>& offsets = layout.m_offsets;
    const std::size_t line_width = offsets.back();

    // Cells are added row by row, left to right (col() never moves back), so they are already in
    // reading order. The lines are written into a buffer of blanks, so padding is only skipped
    // over. Its size is a line of the full width per row plus what multi-byte characters and
    // escapes add to the values and margins; a cell wider than its columns would only make it grow.
    std::size_t len = out.size();
    if (!m_cells.empty()) out.resize(len + (m_row + 1) * (line_width + 1) + extra_bytes, ' ');
    auto room = [&](std::size_t n) {
        if (out.size() - len < n) out.resize(std::max(2 * out.size(), len + n), ' ');
    };
    // Values are mostly a few bytes long: those of 4 to 16 bytes are copied as two fixed-size,
    // possibly overlapping pieces, without a call to memcpy for each.
    auto put = [&](std::string_view s) {
        char* to = out.data() + len;
        const std::size_t n = s.size();
        if (n >= 8 && n <= 16) {
            std::memcpy(to, s.data(), 8);
            std::memcpy(to + n - 8, s.data() + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(to, s.data(), 4);
            std::memcpy(to + n - 4, s.data() + n - 4, 4);
        } else {
            std::memcpy(to, s.data(), n);
        }
        len += n;
    };
    std::size_t row = 0;
    std::size_t pos = 0;
    for (const auto& c : m_cells) {
        if (c.blank && margin_blank[c.margin]) continue;
        if (c.row > row) {
            room(c.row - row);
            for (; row < c.row; ++row) out[len++] = '\n';
            pos = 0;
        }
        const std::size_t start = offsets[c.col];
        const std::size_t skip = (start > pos ? start - pos : 0) + margin[c.col] - margin_width[c.margin];
        pos = std::max(pos, start) + margin[c.col];
        const std::size_t total = offsets[c.col + c.span] - start - margin[c.col];
        const std::size_t w = c.width;
        std::size_t pad = 0;
        if (total > w) {
            if (c.align == Align::right) pad = total - w;
            if (c.align == Align::center) pad = (total - w) / 2;
        }
        const std::string_view m = m_margins[c.margin];
        const std::string_view v = value(c);
        room(skip + m.size() + pad + v.size() + 1);
        len += skip;
        if (margin_spaces[c.margin]) {
            len += m.size();  // the buffer holds blanks there already
        } else {
            put(m);
        }
        len += pad;
        put(v);
        pos += pad + w;
    }
    if (!m_cells.empty()) {
        room(1);
        out[len++] = '\n';
    }
    out.resize(len);
}

}  // namespace ksail_benchstat
