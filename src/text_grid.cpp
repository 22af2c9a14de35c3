// Layout of fixed-width text tables, compatible with benchstat's table layout.
#include "ksail_benchstat/text_grid.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

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
bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
}

std::uint32_t narrow(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("TextGrid: table too large");
    return static_cast<std::uint32_t>(n);
}

// The display width of a cell's value and whether it is only blanks, in one pass: most values are
// short ASCII numbers, so the escape and UTF-8 rules of display_width are taken only when needed.
std::pair<std::size_t, bool> measure(std::string_view s) {
    bool all_blank = true;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || c == 0x1b) return {display_width(s), blank(s)};
        if (ch != ' ' && ch != '\t' && ch != '\n') all_blank = false;
    }
    return {s.size(), all_blank};
}
}  // namespace

void TextGrid::cell(std::string_view value, Align align, const char* margin, std::size_t span) {
    const std::string_view m = margin != nullptr ? margin : (m_col == 0 || value.empty()) ? "" : " ";
    // A handful of margins, mostly the same one cell after cell: the last one is tried first.
    std::size_t m_index = m_last_margin;
    if (m_index >= m_margins.size() || m_margins[m_index] != m) {
        m_index = 0;
        while (m_index < m_margins.size() && m_margins[m_index] != m) ++m_index;
        if (m_index == m_margins.size()) m_margins.emplace_back(m);
        m_last_margin = m_index;
    }
    const auto [width, is_blank] = measure(value);
    m_cells.push_back({m_text.size(), narrow(value.size()), narrow(width), narrow(m_row), narrow(m_col),
                       narrow(span), static_cast<std::uint16_t>(m_index), align, is_blank});
    m_text.append(value);
    m_col += span;
    m_cols = std::max(m_cols, m_col);
}

void TextGrid::set_shrink(std::size_t col) {
    if (m_shrink.size() <= col) m_shrink.resize(col + 1, false);
    m_shrink[col] = true;
}

std::string TextGrid::format() const {
    auto shrink = [&](std::size_t c) { return c < m_shrink.size() && m_shrink[c]; };
    std::vector<std::size_t> margin_width(m_margins.size());
    std::vector<bool> margin_blank(m_margins.size());
    for (std::size_t i = 0; i < m_margins.size(); ++i) {
        margin_width[i] = display_width(m_margins[i]);
        margin_blank[i] = blank(m_margins[i]);
    }
    std::vector<std::size_t> margin(m_cols, 0);
    for (const auto& c : m_cells) margin[c.col] = std::max(margin[c.col], margin_width[c.margin]);

    // Single-column cells first (in any order: they only take maxima), then spanning cells by span.
    std::vector<std::size_t> widths(m_cols, 0);
    std::vector<const Cell*> spanning;
    for (const auto& c : m_cells) {
        if (c.span == 1) {
            widths[c.col] = std::max(widths[c.col], c.width + margin[c.col]);
        } else {
            spanning.push_back(&c);
        }
    }
    std::stable_sort(spanning.begin(), spanning.end(), [](const Cell* a, const Cell* b) { return a->span < b->span; });
    std::vector<std::size_t> grow;
    for (const Cell* c : spanning) {
        long need = static_cast<long>(c->width + margin[c->col]);
        long have = 0;
        for (std::size_t k = c->col; k < c->col + c->span; ++k) have += static_cast<long>(widths[k]);
        if (have >= need) continue;
        // Spread the missing width over the growable columns, widest first, so that columns
        // already wider than the average give their excess to the narrower ones.
        grow.clear();
        for (std::size_t k = c->col; k < c->col + c->span; ++k) {
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

    std::vector<std::size_t> offsets(m_cols + 1, 0);
    for (std::size_t k = 0; k < m_cols; ++k) offsets[k + 1] = offsets[k] + widths[k];

    // Cells are added row by row, left to right (col() never moves back), so they are already in
    // reading order.
    std::string out;
    std::size_t size = 0;
    for (const auto& c : m_cells) size += c.size + m_margins[c.margin].size();
    out.reserve(size + m_row * (offsets[m_cols] / 2 + 1));
    std::size_t row = 0;
    std::size_t pos = 0;
    for (const auto& cell : m_cells) {
        const Cell* c = &cell;
        if (c->blank && margin_blank[c->margin]) continue;
        while (c->row > row) {
            out += '\n';
            ++row;
            pos = 0;
        }
        std::size_t start = offsets[c->col];
        if (start > pos) out.append(start - pos, ' ');
        pos = std::max(pos, start);
        out.append(margin[c->col] - margin_width[c->margin], ' ');
        out += m_margins[c->margin];
        pos += margin[c->col];
        std::size_t total = offsets[c->col + c->span] - offsets[c->col] - margin[c->col];
        const std::size_t w = c->width;
        std::size_t pad = 0;
        if (total > w) {
            if (c->align == Align::right) pad = total - w;
            if (c->align == Align::center) pad = (total - w) / 2;
        }
        out.append(pad, ' ');
        out += value(*c);
        pos += pad + w;
    }
    if (!m_cells.empty()) out += '\n';
    return out;
}

}  // namespace ksail_benchstat
