// Text renderer: benchstat's table layout, byte for byte, with optional colour.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/format_cells.hpp"
#include "ksail_benchstat/render.hpp"
#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/text_grid.hpp"

#include "ordered_chunks.hpp"

namespace ksail_benchstat {
namespace {

// Appends i in superscript digits (to a string or a grid's text).
template <typename Out>
void append_superscript(Out& out, std::size_t i) {
    static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    if (i >= 10) append_superscript(out, i / 10);
    out += digits[i % 10];
}

const char* k_red = "\x1b[31m";
const char* k_green = "\x1b[32m";
const char* k_dim = "\x1b[2m";
const char* k_reset = "\x1b[0m";

// Footnote numbering shared by one table: each distinct message gets the next number.
class Footnotes {
public:
    // Appends the marks of `messages` to `out`, each after a blank when `out` already holds marks
    // from `first` on.
    template <typename Out, typename Messages>
    void mark(Out& out, std::size_t first, const Messages& messages) {
        for (const std::string& msg : messages) {
            // Looked up before inserting: most messages repeat, and emplace would copy each one.
            auto it = m_index.find(msg);
            if (it == m_index.end()) {
                it = m_index.emplace(msg, m_list.size()).first;
                m_list.push_back(msg);
            }
            if (out.size() > first) out += ' ';
            append_superscript(out, it->second + 1);
        }
    }
    void format(std::string& out) const {
        for (std::size_t i = 0; i < m_list.size(); ++i) {
            append_superscript(out, i + 1);
            out += ' ';
            out += m_list[i];
            out += '\n';
        }
    }

private:
    std::unordered_map<std::string, std::size_t> m_index;
    std::vector<std::string> m_list;
};

// The grid columns of a table: the row names, then per column of the table its center, interval
// and footnotes and, after the first, the delta, the test and their footnotes.
constexpr std::size_t k_label_cols = 1;
constexpr std::size_t k_center_cols = 3;  // center ±, interval, footnotes
constexpr std::size_t k_delta_cols = 3;   // delta, (p= n=), footnotes
std::size_t start_col(std::size_t exp) {
    return exp == 0 ? k_label_cols : k_label_cols + k_center_cols + (exp - 1) * (k_center_cols + k_delta_cols);
}

// Adds a table's header lines to `grid`: the columns' labels and the unit.
void add_header(TextGrid& grid, const Table& table, const Report& report) {
    const std::size_t n_cols = table.columns.size();
    const std::size_t right_edge = start_col(n_cols + 1);

    // One header line per --col key; a label spans the adjacent columns that share it and every
    // label above it (benchstat's key header). By default the one line names the inputs.
    const std::size_t levels = report.columns_are_inputs ? 1 : report.column_keys.size();
    for (std::size_t level = 0; level < levels; ++level) {
        grid.row();
        auto label_of = [&](std::size_t i) -> const std::string& {
            const Column& column = report.columns[table.columns[i]];
            return report.columns_are_inputs ? column.label : column.values[level];
        };
        auto same_prefix = [&](std::size_t a, std::size_t b) {
            if (report.columns_are_inputs) return false;
            const auto& va = report.columns[table.columns[a]].values;
            const auto& vb = report.columns[table.columns[b]].values;
            return std::equal(va.begin(), va.begin() + static_cast<std::ptrdiff_t>(level + 1), vb.begin());
        };
        for (std::size_t i = 0; i < n_cols;) {
            std::size_t j = i + 1;
            while (j < n_cols && same_prefix(i, j)) ++j;
            std::size_t l = start_col(i);
            std::size_t r = start_col(j);
            grid.col(l);
            grid.cell(label_of(i), Align::center, " │ ", r - l);
            i = j;
        }
        grid.col(right_edge);
        grid.cell("", Align::left, " │");
    }

    grid.row();
    for (std::size_t i = 0; i < n_cols; ++i) {
        std::size_t l = start_col(i);
        grid.col(l);
        grid.cell(table.unit, Align::center, " │ ", k_center_cols);
        if (i > 0) grid.cell("vs base", Align::left, "  ", k_delta_cols);
        for (std::size_t j = l + 1; j < grid.current_col(); ++j) grid.set_shrink(j);
    }
    grid.col(right_edge);
    grid.cell("", Align::left, " │");
}

// Appends `value` in `scaler`'s scale, written in place unless it is a number only
// Scaler::format writes (huge or not finite); returns its display width: its size less the bytes
// of the prefix beyond the prefix's width (`prefix_extra`), as the number itself is ASCII.
std::size_t put_center(TextGrid::Text& text, const Scaler& scaler, double value, std::size_t prefix_extra) {
    const std::size_t start = text.size();
    if (char* end = scaler.write(text.room(k_scaled_room), value)) {
        text.commit(end);
    } else {
        text.append(scaler.format(value));
    }
    return text.size() - start - prefix_extra;
}

// Appends the summary's pct_range, written in place like put_center; returns its display width:
// its size, but for the "∞" of an unbounded interval (the only text that is not ASCII).
std::size_t put_pct_range(TextGrid::Text& text, const Summary& summary) {
    const std::size_t start = text.size();
    if (char* end = write_pct_range(text.room(k_pct_range_room), summary)) {
        text.commit(end);
    } else {
        text.append(pct_range(summary));
    }
    return summary.lo && summary.hi ? text.size() - start : 1;
}

// Appends the comparison's test in parentheses, written in place like put_center; returns its
// display width, its size (it is ASCII).
std::size_t put_test(TextGrid::Text& text, const Comparison& c) {
    const std::size_t start = text.size();
    char* at = text.room(1 + k_test_text_room + 1);
    *at = '(';
    if (char* end = c.write_test_text(at + 1)) {
        *end = ')';
        text.commit(end + 1);
    } else {
        text += '(';
        text.append(c.test_text());
        text += ')';
    }
    return text.size() - start;
}

// The columns of a table's rows: the name, then per column of the table its center, ± interval
// and footnotes and, after the first, the delta, the test and their footnotes.
TextRows table_rows(const Table& table) {
    std::vector<TextRows::Column> columns;
    columns.reserve(1 + table.columns.size() * (k_center_cols + k_delta_cols));
    columns.push_back({0});
    for (std::size_t exp = 0; exp < table.columns.size(); ++exp) {
        const std::size_t l = start_col(exp);
        columns.push_back({l, nullptr, Align::right});
        columns.push_back({l + 1, " ± ", Align::right});
        columns.push_back({l + 2});
        if (exp > 0) {
            columns.push_back({l + 3, nullptr, Align::right});
            columns.push_back({l + 4});
            columns.push_back({l + 5});
        }
    }
    return TextRows(columns);
}

// Adds the table's rows [first, end) to `rows` (made by table_rows), numbering their footnotes
// in `notes`.
void add_rows(TextRows& rows, Footnotes& notes, const Table& table, std::size_t first, std::size_t end,
              const Report& report, const RenderOptions& options) {
    const std::size_t n_cols = table.columns.size();
    // The rows' cells are written straight into the rows' text (cell_with), numbers included.
    auto marks = [&](const auto& messages) {
        return [&notes, list = &messages](TextGrid::Text& text) { notes.mark(text, text.size(), *list); };
    };
    // Room for every row and a guess at their text: the row name and about a dozen bytes per
    // other cell.
    std::size_t name_bytes = 0;
    for (std::size_t r = first; r < end; ++r) name_bytes += table.rows[r].display().size();
    rows.reserve(end - first, name_bytes + (end - first) * start_col(n_cols + 1) * 12);
    std::vector<double> centers;
    // The bytes of the current scale's prefix beyond its display width, found again only when the
    // prefix changes (the prefixes are constants: the same text has the same address).
    std::string_view prefix;
    std::size_t prefix_extra = 0;
    for (std::size_t r = first; r < end; ++r) {
        const Row& row = table.rows[r];
        rows.row();
        rows.cell(row.display());
        centers.clear();
        for (std::size_t in : table.columns) {
            if (row.cells[in]) centers.push_back(row.cells[in]->summary.center);
        }
        const Scaler scaler = common_scale(centers, table.unit_class);
        if (scaler.prefix.data() != prefix.data() || scaler.prefix.size() != prefix.size()) {
            prefix = scaler.prefix;
            prefix_extra = prefix.size() - display_width(prefix);
        }
        for (std::size_t exp = 0; exp < n_cols; ++exp) {
            std::size_t in = table.columns[exp];
            if (!row.cells[in]) {
                rows.skip(exp > 0 ? k_center_cols + k_delta_cols : k_center_cols);
                continue;
            }
            const Cell& cell = *row.cells[in];
            rows.cell_with_width(
                [&](TextGrid::Text& text) { return put_center(text, scaler, cell.summary.center, prefix_extra); });
            rows.cell_with_width([&](TextGrid::Text& text) { return put_pct_range(text, cell.summary); });
            rows.cell_with(marks(cell.warnings));
            if (exp == 0) continue;
            if (!row.comparisons[in]) {
                rows.skip(k_delta_cols);
                continue;
            }
            const Comparison& c = *row.comparisons[in];
            std::string delta = c.delta_text();
            if (options.color) {
                if (c.verdict == Verdict::regressed) delta = k_red + delta + k_reset;
                else if (c.verdict == Verdict::improved) delta = k_green + delta + k_reset;
                else if (delta == "~") delta = k_dim + delta + k_reset;
                rows.cell(delta);
            } else {
                // A delta is ASCII ("~", "+4.25%", "?") unless coloured.
                rows.cell_with_width([&](TextGrid::Text& text) {
                    text.append(delta);
                    return delta.size();
                });
            }
            rows.cell_with_width([&](TextGrid::Text& text) { return put_test(text, c); });
            rows.cell_with([&](TextGrid::Text& text) {
                const std::size_t first_mark = text.size();
                notes.mark(text, first_mark, c.warnings);
                if (options.detectability && !c.significant && row.cells[c.baseline]) {
                    const std::string extra[] = {equivalence_text(c, row.cells[c.baseline]->size(), cell.size(),
                                                                  report.options.equivalence_pct,
                                                                  count_flag(report.inputs[in].parsed.format))};
                    notes.mark(text, first_mark, extra);
                }
            });
        }
    }
}

// Adds the table's geomean line to `grid`, when it has more than one row.
void add_geomean(TextGrid& grid, Footnotes& notes, const Table& table) {
    if (table.rows.size() <= 1) return;
    grid.row();
    grid.cell("geomean");
    for (std::size_t exp = 0; exp < table.columns.size(); ++exp) {
        const ColumnSummary& s = table.summaries[exp];
        if (s.geomean) {
            grid.col(start_col(exp));
            grid.cell(scale_value(*s.geomean, table.unit_class), Align::right);
        }
        if (exp > 0) {
            grid.col(start_col(exp) + k_center_cols);
            grid.cell(s.ratio ? fixed_text((*s.ratio - 1) * 100, 2, "%", true) : "?", Align::right);
        }
        grid.col(start_col(exp + 1) - 1);
        grid.cell_with([&](TextGrid::Text& text) { notes.mark(text, text.size(), s.warnings); });
    }
}

// What render_table lays a table out in, kept from one table to the next: a report of thousands
// of small tables (a monorepo's, one per package and unit) would otherwise make and free them
// for each.
struct TableGrids {
    TextGrid header;
    TextGrid geomean;
    std::optional<TextRows> rows;
    std::size_t rows_columns = 0;  // the number of table columns `rows` was made for

    // The header and geomean grids emptied, and rows for `table`'s columns, empty.
    TextRows& clear_for(const Table& table) {
        header.clear();
        geomean.clear();
        if (rows && rows_columns == table.columns.size()) {
            rows->clear();
        } else {
            rows.emplace(table_rows(table));
            rows_columns = table.columns.size();
        }
        return *rows;
    }
};

// Appends one table's laid-out body and its footnotes to `out`: its header, rows and geomean
// line, each held apart (in `grids`) and laid out with the widths of all three.
void render_table(std::string& out, const Table& table, const Report& report, const RenderOptions& options,
                  TableGrids& grids) {
    TextRows& rows = grids.clear_for(table);
    Footnotes notes;
    add_header(grids.header, table, report);
    add_rows(rows, notes, table, 0, table.rows.size(), report, options);
    add_geomean(grids.geomean, notes, table);
    TextGrid::Layout layout;
    layout.add(grids.header);
    layout.add(rows);
    layout.add(grids.geomean);
    layout.finish();
    grids.header.format(out, layout);
    rows.format(out, layout);
    grids.geomean.format(out, layout);
    notes.format(out);
}

// The rows of a piece: a table of more rows is laid out a piece at a time (stream_table).
std::size_t rows_per_piece(const RenderOptions& options) { return std::max<std::size_t>(options.rows_per_piece, 1); }

// The same as render_table, for a table of many rows, written to `sink` `piece` rows at a time:
// laying out a table of a hundred thousand rows at once held about 60 MB of cells and text.
// The pieces are made twice: first for the columns' widths (and the footnotes' numbers), then for
// the text with those widths, which starts once `wait_turn()` returns. `out` is the caller's buffer
// for the pieces' text. Once `enough` bytes are written, the table stops at the end of a piece:
// returns whether it was written whole.
template <typename WaitTurn>
bool stream_table(TextSink& sink, std::string& out, const Table& table, const Report& report,
                  const RenderOptions& options, std::size_t piece, const WaitTurn& wait_turn,
                  std::size_t enough = std::numeric_limits<std::size_t>::max()) {
    Footnotes notes;
    TextGrid grid;
    TextRows rows = table_rows(table);
    // The grid of the header or of the geomean line, or the rows of the piece from `first`. The
    // second time the footnotes come in the same order: they keep their numbers.
    const auto header = [&] {
        grid.clear();
        add_header(grid, table, report);
    };
    const auto rows_from = [&](std::size_t first) {
        rows.clear();
        add_rows(rows, notes, table, first, std::min(table.rows.size(), first + piece), report, options);
    };
    const auto geomean = [&] {
        grid.clear();
        add_geomean(grid, notes, table);
    };
    TextGrid::Layout layout;
    header();
    layout.add(grid);
    for (std::size_t first = 0; first < table.rows.size(); first += piece) {
        rows_from(first);
        layout.add(rows);
    }
    geomean();
    layout.add(grid);
    layout.finish();

    wait_turn();
    header();
    grid.format(out, layout);
    std::size_t written = 0;
    for (std::size_t first = 0; first < table.rows.size(); first += piece) {
        rows_from(first);
        rows.format(out, layout);
        sink.write(out);
        written += out.size();
        out.clear();
        if (written >= enough) return false;
    }
    geomean();
    grid.format(out, layout);
    notes.format(out);
    sink.write(out);
    out.clear();
    return true;
}

// Appends what render_text prints before one table's laid-out body: the configuration values
// that differ from the previous table's.
void append_table_heading(std::string& out, const Report& report, std::size_t t) {
    const Table& table = report.tables[t];
    const Table* previous = t > 0 ? &report.tables[t - 1] : nullptr;
    if (previous != nullptr) out += '\n';
    for (std::size_t k = 0; k < table.config.size(); ++k) {
        const auto& [key, value] = table.config[k];
        // An absent key (empty value) is not shown: it only arises when inputs of different
        // tools or packages with different headers meet, and "key: " would say nothing.
        if (value.empty()) continue;
        if (previous == nullptr || previous->config[k].second != value) out += fmt::format("{}: {}\n", key, value);
    }
}

// Appends one table as render_text prints it: its heading, then its laid-out body.
void append_table(std::string& out, const Report& report, std::size_t t, const RenderOptions& options,
                  TableGrids& grids) {
    append_table_heading(out, report, t);
    render_table(out, report.tables[t], report, options, grids);
}

void append_detectability_note(std::string& out, const Report& report, const RenderOptions& options) {
    if (options.detectability && !report.detectability.warning.empty()) {
        out += "\nnote: " + report.detectability.warning + "\n";
    }
}

// Line breaks and the longest run of backticks in the text printed so far, one string at a time.
// Every string render_text prints is separated from the next by a blank, a colon or a line break,
// so no backtick run spans two of them.
struct ShapeCounter {
    TextShape shape;
    // Always inline: text_shape calls it for every row name, and the compiler, left to itself,
    // made it a function of its own.
    [[gnu::always_inline]] void add(std::string_view text) {
        // Row names, most of the text, hold neither: eight bytes are passed over at once unless
        // they do, and a word without a backtick ends any run before it.
        std::size_t ticks = 0;
        std::size_t i = 0;
        for (; i + 8 <= text.size(); i += 8) {
            const std::uint64_t w = load_word(text.data() + i);
            if (!has_byte(w, '`') && !has_byte(w, '\n')) {
                ticks = 0;
                continue;
            }
            for (std::size_t k = i; k < i + 8; ++k) step(text[k], ticks);
        }
        // The last bytes: the word that ends the text (overlapping bytes already counted) tells
        // whether any of them needs a look.
        if (i < text.size() && text.size() >= 8) {
            const std::uint64_t w = load_word(text.data() + text.size() - 8);
            if (!has_byte(w, '`') && !has_byte(w, '\n')) return;
        }
        for (; i < text.size(); ++i) step(text[i], ticks);
    }

private:
    static bool has_byte(std::uint64_t w, char ch) { return bytes_equal(w, static_cast<unsigned char>(ch)) != 0; }
    void step(char ch, std::size_t& ticks) {
        ticks = ch == '`' ? ticks + 1 : 0;
        shape.longest_backticks = std::max(shape.longest_backticks, ticks);
        if (ch == '\n') ++shape.lines;
    }
};

}  // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
    std::string out;
    StringSink sink(out);
    render_text(report, options, sink);
    return out;
}

void render_text(const Report& report, const RenderOptions& options, TextSink& sink) {
    const std::size_t n = report.tables.size();
    // A thread costs more than laying out a small report: only thousands of rows get one.
    std::size_t rows = 0;
    for (const auto& table : report.tables) rows += table.rows.size();
    constexpr std::size_t k_parallel_rows = 4096;
    const std::size_t piece = rows_per_piece(options);
    // Consecutive tables of at most a piece of rows are laid out together, about k_group_rows rows
    // to a group: a report of thousands of small tables (one per package and unit, in a monorepo)
    // would otherwise pass the sink from thread to thread once per table. A larger table is a group
    // of its own. group_first holds each group's first table, then n.
    constexpr std::size_t k_group_rows = 1024;
    std::vector<std::size_t> group_first;
    std::size_t in_group = 0;
    bool group_large = false;
    for (std::size_t t = 0; t < n; ++t) {
        const std::size_t table_rows = report.tables[t].rows.size();
        if (group_first.empty() || group_large || table_rows > piece || in_group >= k_group_rows) {
            group_first.push_back(t);
            in_group = 0;
        }
        group_large = table_rows > piece;
        in_group += table_rows;
    }
    const std::size_t groups = group_first.size();
    group_first.push_back(n);
    // Group g goes to the sink once wait_turn() returns: its tables' headings and bodies at once,
    // or a large table's heading and then its body piece by piece.
    const auto write_group = [&](std::size_t g, const auto& wait_turn) {
        const std::size_t first = group_first[g];
        std::string text;
        if (report.tables[first].rows.size() > piece) {
            std::string heading;
            append_table_heading(heading, report, first);
            stream_table(sink, text, report.tables[first], report, options, piece, [&] {
                wait_turn();
                sink.write(heading);
            });
            return;
        }
        TableGrids grids;
        for (std::size_t t = first; t < group_first[g + 1]; ++t) append_table(text, report, t, options, grids);
        wait_turn();
        sink.write(text);
    };
    if (rows < k_parallel_rows) {
        for (std::size_t g = 0; g < groups; ++g) write_group(g, [] {});
    } else {
        // Groups are laid out independently, as many at once as there are cores, each taking the
        // next group as soon as it is done (groups differ in size: no core waits for a slower
        // one's whole batch). Each group goes to the sink as soon as the groups before it are out,
        // so at most one laid-out group per thread is held (OutputTurns).
        OutputTurns turns;
        parallel_for(groups, 1, 1, [&](std::size_t g) {
            write_group(g, [&] { turns.wait(g); });
            turns.pass(g);
        });
    }
    std::string note;
    append_detectability_note(note, report, options);
    sink.write(note);
}

std::string render_text_prefix(const Report& report, std::size_t min_bytes, const RenderOptions& options) {
    std::string out;
    const std::size_t piece = rows_per_piece(options);
    TableGrids grids;
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        if (out.size() >= min_bytes) return out;
        if (report.tables[t].rows.size() <= piece) {
            append_table(out, report, t, options, grids);
            continue;
        }
        // A large table's prefix ends with the piece that reaches min_bytes.
        append_table_heading(out, report, t);
        StringSink sink(out);
        std::string buffer;
        const std::size_t enough = min_bytes > out.size() ? min_bytes - out.size() : 0;
        if (!stream_table(sink, buffer, report.tables[t], report, options, piece, [] {}, enough)) return out;
    }
    append_detectability_note(out, report, options);
    return out;
}

// Mirrors render_table and render_text line for line: keep the two in step.
TextShape text_shape(const Report& report, const RenderOptions& options) {
    ShapeCounter counter;
    const std::size_t levels = report.columns_are_inputs ? 1 : report.column_keys.size();
    // A table's distinct footnotes, each printed on its own line after the table.
    std::unordered_set<std::string_view> footnotes;
    std::deque<std::string> made_footnotes;  // footnotes made here; a deque keeps them in place
    auto mark_one = [&](std::string_view msg) {
        if (!footnotes.insert(msg).second) return;
        counter.add(msg);
        ++counter.shape.lines;
    };
    auto mark = [&](const std::vector<std::string>& messages) {
        for (const auto& msg : messages) mark_one(msg);
    };
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        const Table& table = report.tables[t];
        const Table* previous = t > 0 ? &report.tables[t - 1] : nullptr;
        if (previous != nullptr) ++counter.shape.lines;
        for (std::size_t k = 0; k < table.config.size(); ++k) {
            const auto& [key, value] = table.config[k];
            if (value.empty() || (previous != nullptr && previous->config[k].second == value)) continue;
            counter.add(key);
            counter.add(value);
            ++counter.shape.lines;
        }
        // The grid: one line per header level, the unit line, one per row and the geomean line;
        // each of them holds a cell that is not blank (a margin, a center or "geomean").
        for (std::size_t level = 0; level < levels; ++level) {
            for (std::size_t in : table.columns) {
                const Column& column = report.columns[in];
                counter.add(report.columns_are_inputs ? column.label : column.values[level]);
            }
        }
        counter.add(table.unit);
        counter.shape.lines += levels + 1 + table.rows.size() + (table.rows.size() > 1 ? 1 : 0);
        footnotes.clear();
        for (const auto& row : table.rows) {
            counter.add(row.display());
            for (std::size_t exp = 0; exp < table.columns.size(); ++exp) {
                const std::size_t in = table.columns[exp];
                if (!row.cells[in]) continue;
                const Cell& cell = *row.cells[in];
                mark(cell.warnings);
                if (exp > 0 && row.comparisons[in]) {
                    // Its delta and test cells are numbers: no backticks, no line breaks.
                    const Comparison& c = *row.comparisons[in];
                    mark(c.warnings);
                    if (options.detectability && !c.significant && row.cells[c.baseline]) {
                        made_footnotes.push_back(equivalence_text(c, row.cells[c.baseline]->size(), cell.size(),
                                                                  report.options.equivalence_pct,
                                                                  count_flag(report.inputs[in].parsed.format)));
                        mark_one(made_footnotes.back());
                    }
                }
            }
        }
        if (table.rows.size() > 1) {
            for (std::size_t exp = 0; exp < table.columns.size(); ++exp) mark(table.summaries[exp].warnings);
        }
    }
    if (options.detectability && !report.detectability.warning.empty()) {
        counter.add(report.detectability.warning);
        counter.shape.lines += 2;
    }
    return counter.shape;
}

}  // namespace ksail_benchstat
