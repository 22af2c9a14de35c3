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

// Whether the word holds neither bytes of multi-byte UTF-8 characters (a high bit) nor escapes.
bool plain_word(std::uint64_t w) { return ((w & k_byte_highs) | bytes_equal(w, 0x1b)) == 0; }

// The `size` bytes at `s` (0 < size < 8), read as the word that ends at their end with its
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
    if (before >= 8 - size) return plain_word(short_word(s, size));
    for (std::size_t i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || c == 0x1b) return false;
    }
    return true;
}

// The display width of a cell's value and whether it is only blanks, in general: display_width's
// rules and the blank scan are taken only when needed. `before` bytes before the value may be
// read (see plain_ascii). Out of line: measure() takes the common case without it.
[[gnu::noinline]] std::pair<std::size_t, bool> measure_general(std::string_view s, std::size_t before) {
    const bool all_blank = s.empty() || (blank_char(s.front()) && blank(s));
    return {plain_ascii(s.data(), s.size(), before) ? s.size() : display_width(s), all_blank};
}

// How many bytes of `w` continue a multi-byte UTF-8 character (0b10xxxxxx): a high bit with the
// bit below it clear. Shifting left by one brings each byte's second bit under its high bit; the
// marks (one per byte) are then summed into the top byte by a multiplication.
std::size_t continuation_bytes(std::uint64_t w) {
    const std::uint64_t marks = (w & ~(w << 1) & k_byte_highs) >> 7;
    return static_cast<std::size_t>((marks * k_byte_ones) >> 56);
}

// measure_general's result, at the cost of a word or two for most values: numbers, marks and
// short names of up to 16 bytes that start with a non-blank and hold no escapes. Without escapes,
// a value's display width is its size less the bytes that continue multi-byte characters.
std::pair<std::size_t, bool> measure(std::string_view s, std::size_t before) {
    const std::size_t size = s.size();
    if (size != 0 && !blank_char(s.front())) {
        if (size < 8 && before >= 8 - size) {
            const std::uint64_t word = short_word(s.data(), size);
            if (bytes_equal(word, 0x1b) == 0) return {size - continuation_bytes(word), false};
        } else if (size >= 8 && size <= 16) {
            const std::uint64_t first = load_word(s.data());
            const std::uint64_t second = size > 8 ? short_word(s.data() + 8, size - 8) : 0;
            if ((bytes_equal(first, 0x1b) | bytes_equal(second, 0x1b)) == 0) {
                return {size - continuation_bytes(first) - continuation_bytes(second), false};
            }
        }
    }
    return measure_general(s, before);
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

void TextGrid::mark_empty_single() {
    if (m_empty_single.size() <= m_col) m_empty_single.resize(m_col + 1, 0);
    m_empty_single[m_col] = 1;
}

void TextGrid::add_shown_cell(std::size_t start, Align align, Margin margin, std::size_t span) {
    const std::string_view value(m_text.data() + start, m_text.size() - start);
    std::uint16_t m = margin.index;
    if (m == k_default_margin.index) m = m_col == 0 || value.empty() ? 0 : 1;  // "" or " "
    const auto [width, is_blank] = measure(value, start);
    // One check covers every field narrowed to 32 bits (the width is at most the size): any of
    // them too large has a bit above the 32 low ones.
    check_narrow(value.size() | m_row | (m_col + span));
    m_cells.push_back({start, static_cast<std::uint32_t>(value.size()), static_cast<std::uint32_t>(width),
                       static_cast<std::uint32_t>(m_row), static_cast<std::uint32_t>(m_col),
                       static_cast<std::uint32_t>(span), m, align, is_blank});
    m_extra_bytes += value.size() - width + m_margin_extra[m];
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
    m_margin_extra.resize(2);
    m_extra_bytes = 0;
    m_last_margin = 0;
    m_shrink.clear();
    m_has_cells = false;
    m_empty_single.clear();
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
    for (std::size_t c = 0; c < grid.m_empty_single.size(); ++c) {
        if (grid.m_empty_single[c] != 0) m_has_single[c] = true;
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
    // What a cell needs of its margin, in one record per margin: it is looked up for every cell.
    struct MarginLook {
        const char* text;
        std::size_t size;
        std::size_t width;
        bool blank;   // a blank cell with this margin shows nothing
        bool spaces;  // only spaces: nothing to write (see below)
    };
    std::vector<MarginLook> margins(m_margins.size());
    for (std::size_t i = 0; i < m_margins.size(); ++i) {
        const std::string& m = m_margins[i];
        margins[i] = {m.data(), m.size(), display_width(m), blank(m), m.find_first_not_of(' ') == std::string::npos};
    }
    const std::size_t extra_bytes = m_extra_bytes;
    const std::size_t* const margin = layout.m_margin.data();
    const std::size_t* const offsets = layout.m_offsets.data();
    const std::size_t line_width = layout.m_offsets.back();
    const char* const text = m_text.data();

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
    // Values are mostly a few bytes long ("~", "3%", "1.25µ"): those of up to 16 bytes are copied
    // as two fixed-size, possibly overlapping pieces, without a call to memcpy for each.
    auto put = [&](const char* s, std::size_t n) {
        char* to = buf + len;
        if (n >= 8 && n <= 16) {
            std::memcpy(to, s, 8);
            std::memcpy(to + n - 8, s + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(to, s, 4);
            std::memcpy(to + n - 4, s + n - 4, 4);
        } else if (n >= 2 && n < 4) {
            std::memcpy(to, s, 2);
            std::memcpy(to + n - 2, s + n - 2, 2);
        } else if (n == 1) {
            *to = *s;
        } else if (n > 16) {
            std::memcpy(to, s, n);
        }
        len += n;
    };
    std::size_t row = 0;
    std::size_t pos = 0;
    for (const auto& c : m_cells) {
        const MarginLook& m = margins[c.margin];
        if (c.blank && m.blank) continue;
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
        put(text + c.offset, c.size);
        pos += pad + w;
    }
    if (m_has_cells) {
        room(1);
        buf[len++] = '\n';
    }
    out.resize(len);
}

}  // namespace ksail_benchstat
