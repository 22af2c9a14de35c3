// JSON renderer: the versioned machine-readable report (schema in docs/output-formats.md).
// Written directly into the output, row by row (rows in parallel), in exactly the layout of
// nlohmann's dump(2): a 100 MB input makes a report of hundreds of thousands of rows, and a
// document tree of it took gigabytes.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/render.hpp"
#include "ordered_chunks.hpp"

namespace ksail_benchstat {
namespace {

// Bytes a JSON string holds as they are: printable ASCII except the quote and the backslash.
constexpr std::array<bool, 256> k_plain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

// nlohmann's dump() writes numbers of magnitude 10^-4 <= |d| < 10^15 in plain notation ("N.0" when
// whole) and the rest in exponent notation.
constexpr double k_json_whole_limit = 1e15;
constexpr int k_plain_max_point = 15;  // plain notation: at most 15 digits before the point,
constexpr int k_plain_max_zeros = 3;   // or at most 3 zeros after "0."

// A double in the layout of nlohmann's dump(), into `buffer` (at least 64 bytes); returns the end.
// The digits are the shortest that read back as the same double, from std::to_chars: nlohmann's
// own search for them (Grisu2) was a third of this renderer's instructions, and for about one
// value in a hundred it keeps a digit more than needed or ends on another last digit. NaN and the
// infinities, which JSON cannot hold, are null.
char* format_json_double(double d, char* buffer) {
    if (!std::isfinite(d)) {
        std::memcpy(buffer, "null", 4);
        return buffer + 4;
    }
    // Most numbers of a large report are whole (all samples equal, counts, round sizes).
    if (d == std::trunc(d) && std::fabs(d) < k_json_whole_limit) {
        char* p = buffer;
        if (std::signbit(d)) *p++ = '-';
        p = std::to_chars(p, buffer + 32, static_cast<std::uint64_t>(std::fabs(d))).ptr;
        *p++ = '.';
        *p++ = '0';
        return p;
    }
    // "-D.DDDDe+XX": the sign, the first digit, the rest of the digits, the exponent (at least two
    // digits, as nlohmann writes it too).
    char* const end = std::to_chars(buffer, buffer + 32, d, std::chars_format::scientific).ptr;
    char* const first = buffer + (buffer[0] == '-' ? 1 : 0);
    char* const e = static_cast<char*>(std::memchr(first, 'e', static_cast<std::size_t>(end - first)));
    int exponent = 0;
    for (const char* p = e + 2; p != end; ++p) exponent = exponent * 10 + (*p - '0');
    if (e[1] == '-') exponent = -exponent;
    // Digits before the point in plain notation; zero or less counts zeros after "0.".
    const int point = exponent + 1;
    if (point > k_plain_max_point || -point > k_plain_max_zeros) return end;  // exponent notation
    const char* const rest = e - first > 1 ? first + 2 : e;  // the digits after the first
    const int n_rest = static_cast<int>(e - rest);
    char digits[24];
    digits[0] = *first;
    std::memcpy(digits + 1, rest, static_cast<std::size_t>(n_rest));
    const int n_digits = 1 + n_rest;
    char* out = first;
    if (point <= 0) {
        *out++ = '0';
        *out++ = '.';
        std::memset(out, '0', static_cast<std::size_t>(-point));
        out += -point;
        std::memcpy(out, digits, static_cast<std::size_t>(n_digits));
        return out + n_digits;
    }
    std::memcpy(out, digits, static_cast<std::size_t>(point));
    out += point;
    if (n_digits <= point) {
        std::memset(out, '0', static_cast<std::size_t>(point - n_digits));
        out += point - n_digits;
        *out++ = '.';
        *out++ = '0';
        return out;
    }
    *out++ = '.';
    std::memcpy(out, digits + point, static_cast<std::size_t>(n_digits - point));
    return out + (n_digits - point);
}

// ",\n" and the indentation of up to 16 levels (far deeper than the report), so that an element
// starts with one append.
constexpr std::string_view k_break = ",\n                                ";

}  // namespace

std::string json_double(double d) {
    char buffer[64];
    return std::string(buffer, format_json_double(d, buffer));
}

namespace {

// The text the writer below appends to: a row of the report is about a hundred small appends, and
// a std::string spends more on each (an out-of-line call, then a copy call) than on the bytes.
// Here an append is a bounds test and an inlined copy, and numbers are formatted in place.
class JsonText {
public:
    void clear() noexcept { m_size = 0; }
    std::size_t size() const noexcept { return m_size; }
    operator std::string_view() const noexcept { return {m_data.get(), m_size}; }

    void append(const char* text, std::size_t n) {
        if (n == 0) return;  // the buffer may not exist yet, and memcpy takes no null pointer
        char* at = tail(n);
        std::memcpy(at, text, n);
        m_size += n;
    }
    void append(std::size_t count, char c) {
        if (count == 0) return;
        char* at = tail(count);
        std::memset(at, c, count);
        m_size += count;
    }
    JsonText& operator+=(std::string_view text) {
        append(text.data(), text.size());
        return *this;
    }
    JsonText& operator+=(char c) {
        *tail(1) = c;
        ++m_size;
        return *this;
    }
    // Room for `n` more bytes at the end, for `write` to fill: write(begin) returns the end of what
    // it wrote (at most n bytes).
    template <typename Write>
    void write_at_end(std::size_t n, const Write& write) {
        char* begin = tail(n);
        m_size += static_cast<std::size_t>(write(begin) - begin);
    }

private:
    char* tail(std::size_t n) {
        if (m_capacity - m_size < n) grow(n);
        return m_data.get() + m_size;
    }
    void grow(std::size_t n) {
        const std::size_t capacity = std::max({m_capacity * 2, m_size + n, std::size_t{4096}});
        auto data = std::make_unique_for_overwrite<char[]>(capacity);
        if (m_size > 0) std::memcpy(data.get(), m_data.get(), m_size);
        m_data = std::move(data);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

// Appends JSON with two-space indentation: objects and arrays open with a newline, elements are
// separated by ",\n", and empty containers print as {} and [].
class JsonWriter {
public:
    JsonWriter(JsonText& out, std::size_t depth) : m_out(out), m_depth(depth) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    // Continues an object whose opening and first members are already in the output: the next
    // member starts with ",\n".
    void resume_object() { m_levels.push_back({1}); }

    // Members of the current object already written in this layout (after at least one member).
    void members(std::string_view text) { m_out += text; }

    // The next value is the member `name` of the current object. A name written in this file is
    // plain ASCII and needs no escaping check: it is the most frequent string of the report.
    template <std::size_t N>
    JsonWriter& key(const char (&name)[N]) {
        const std::size_t spaces = 2 * (m_depth + m_levels.size());
        if (m_levels.empty() || spaces > k_break.size() - 2) {
            element();
            m_out += '"';
            m_out.append(name, N - 1);
            m_out.append("\": ", 3);
        } else {
            // The line break, the indentation and the quoted name in one append: a report has
            // dozens of members per row.
            const std::size_t from = m_levels.back().count++ == 0 ? 1 : 0;
            char buffer[k_break.size() + N + 3];
            const std::size_t indent = 2 - from + spaces;
            std::memcpy(buffer, k_break.data() + from, indent);
            buffer[indent] = '"';
            std::memcpy(buffer + indent + 1, name, N - 1);
            std::memcpy(buffer + indent + N, "\": ", 3);
            m_out.append(buffer, indent + N + 3);
        }
        m_after_key = true;
        return *this;
    }
    // A member name from the data (a configuration key), escaped as needed.
    JsonWriter& key(std::string_view name) {
        element();
        write_string(name);
        m_out.append(": ", 2);
        m_after_key = true;
        return *this;
    }

    void value(std::string_view s) {
        element();
        write_string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        element();
        m_out += b ? "true" : "false";
    }
    void value(std::size_t n) {
        element();
        m_out.write_at_end(24, [n](char* at) { return std::to_chars(at, at + 24, n).ptr; });
    }
    void value(int n) {
        element();
        m_out.write_at_end(16, [n](char* at) { return std::to_chars(at, at + 16, n).ptr; });
    }
    void value(double d) {
        element();
        m_out.write_at_end(64, [d](char* at) { return format_json_double(d, at); });
    }
    void value(const std::optional<double>& d) {
        if (d) {
            value(*d);
        } else {
            null();
        }
    }
    // A value already written in this layout at this depth, appended by `write(out)`.
    template <typename Write>
    void raw(Write&& write) {
        element();
        write(m_out);
    }
    void null() {
        element();
        m_out += "null";
    }
    void value(const std::vector<std::string>& strings) {
        begin_array();
        for (const auto& s : strings) value(s);
        end_array();
    }

private:
    struct Level {
        std::size_t count = 0;
    };

    void element() {
        if (m_after_key) {
            m_after_key = false;
            return;
        }
        if (m_levels.empty()) return;
        const bool first = m_levels.back().count++ == 0;
        line_break(first ? 1 : 0, m_depth + m_levels.size());
    }
    void open(char bracket) {
        element();
        m_out += bracket;
        m_levels.push_back({});
    }
    void close(char bracket) {
        const bool empty = m_levels.back().count == 0;
        m_levels.pop_back();
        if (!empty) line_break(1, m_depth + m_levels.size());
        m_out += bracket;
    }
    // A newline (",\n" from `from` 0, "\n" from 1) and the indentation of `depth`.
    void line_break(std::size_t from, std::size_t depth) {
        const std::size_t spaces = 2 * depth;
        if (spaces <= k_break.size() - 2) {
            m_out += k_break.substr(from, 2 - from + spaces);
        } else {
            m_out += k_break.substr(from, 2 - from);
            m_out.append(spaces, ' ');
        }
    }

    void write_string(std::string_view s) {
        bool plain = true;
        for (const char c : s) {
            if (!k_plain[static_cast<unsigned char>(c)]) {
                plain = false;
                break;
            }
        }
        if (plain) {
            m_out += '"';
            m_out += s;
            m_out += '"';
        } else {
            // Escapes and UTF-8 checks exactly as the rest of the document's library does.
            m_out += nlohmann::json(std::string(s)).dump();
        }
    }

    JsonText& m_out;
    std::size_t m_depth;
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

// The gate's status of each (table, row, column), for the rows' comparisons: a byte per cell of
// the tables that have findings, as every comparison of a large report looks its status up.
class StatusIndex {
public:
    explicit StatusIndex(const Report& report) : m_columns(report.columns.size()), m_codes(report.tables.size()) {
        for (const auto& f : report.gate.findings) {
            if (f.status == GateStatus::goal_met || f.status == GateStatus::goal_unmet) continue;
            if (f.table >= m_codes.size() || f.row >= report.tables[f.table].rows.size() || f.input >= m_columns) {
                continue;  // no comparison of the report has it
            }
            std::vector<std::uint8_t>& codes = m_codes[f.table];
            if (codes.empty()) codes.resize(report.tables[f.table].rows.size() * m_columns);
            // A later finding for the same comparison replaces an earlier one.
            codes[f.row * m_columns + f.input] = static_cast<std::uint8_t>(static_cast<int>(f.status) + 1);
        }
    }
    std::optional<GateStatus> find(std::size_t table, std::size_t row, std::size_t column) const {
        const std::vector<std::uint8_t>& codes = m_codes[table];
        if (codes.empty()) return std::nullopt;
        const std::uint8_t code = codes[row * m_columns + column];
        if (code == 0) return std::nullopt;
        return static_cast<GateStatus>(code - 1);
    }

private:
    std::size_t m_columns;
    std::vector<std::vector<std::uint8_t>> m_codes;  // per table, by row * columns + column; 0: none
};

// The members every row of a table shares, after "benchmark": written once per table, at the
// depth of a row's members.
std::string table_members(const Table& table) {
    JsonText text;
    JsonWriter w(text, 2);
    w.resume_object();
    const std::string_view pkg = config_value(table.config, "pkg");
    if (pkg.empty()) {
        w.key("package").null();
    } else {
        w.key("package").value(pkg);
    }
    w.key("unit").value(table.unit);
    w.key("better").value(table.better == Better::lower ? "lower" : "higher");
    w.key("config").begin_object();
    for (const auto& [k, v] : table.config) {
        if (!v.empty()) w.key(k).value(v);
    }
    w.end_object();
    return std::string(text);
}

void write_row(JsonWriter& w, const Report& report, std::size_t ti, std::size_t ri, std::string_view shared,
               const StatusIndex& status_of) {
    const Table& table = report.tables[ti];
    const Row& row = table.rows[ri];
    // Cells are indexed by column: by default the inputs, with --col the projected columns.
    const std::size_t n_inputs = report.columns.size();
    const std::size_t base = baseline_column(report, table);
    w.begin_object();
    w.key("benchmark").value(row.name);
    w.members(shared);
    w.key("summaries").begin_array();
    for (std::size_t in = 0; in < n_inputs; ++in) {
        if (!row.cells[in]) continue;
        const Cell& c = *row.cells[in];
        w.begin_object();
        w.key("input").value(in);
        w.key("n").value(std::size_t{c.summary.n});
        w.key("center").value(c.summary.center);
        w.key("ci_low").value(c.summary.lo);
        w.key("ci_high").value(c.summary.hi);
        w.key("warnings").value(c.warnings);
        w.end_object();
    }
    w.end_array();
    w.key("comparisons").begin_array();
    for (std::size_t in = base + 1; in < n_inputs; ++in) {
        const bool has_base = row.cells[base].has_value();
        const bool has_new = row.cells[in].has_value();
        if (!has_base && !has_new) continue;
        w.begin_object();
        w.key("input").value(in);
        w.key("baseline").value(base);
        if (has_base && has_new && row.comparisons[in]) {
            const Comparison& cmp = *row.comparisons[in];
            w.key("delta_pct").value(cmp.delta_pct);
            w.key("p_value").value(cmp.test.p);
            w.key("significant").value(cmp.significant);
            w.key("verdict").value(verdict_name(cmp.verdict));
            w.key("change_pct").value(cmp.change.estimate_pct);
            w.key("change_low_pct").value(cmp.change.low_pct);
            w.key("change_high_pct").value(cmp.change.high_pct);
            w.key("change_exact").value(cmp.change.exact);
            w.key("delta_text").value(cmp.delta_text());
            w.key("test_text").value(cmp.test_text());
            w.key("warnings").value(cmp.warnings);
            w.key("equivalence").value(equivalence_name(cmp.equivalence));
            w.key("mde_pct").value(cmp.detect.mde_pct);
            if (cmp.detect.samples_needed > 0) {
                w.key("samples_needed").value(cmp.detect.samples_needed);
            } else {
                w.key("samples_needed").null();
            }
            if (const auto status = status_of.find(ti, ri, in)) {
                w.key("gate").value(gate_status_name(*status));
            } else {
                w.key("gate").null();
            }
        } else {
            w.key("delta_pct").null();
            w.key("p_value").null();
            w.key("significant").value(false);
            w.key("verdict").value(has_new ? "added" : "removed");
            w.key("change_pct").null();
            w.key("change_low_pct").null();
            w.key("change_high_pct").null();
            w.key("equivalence").null();
            w.key("mde_pct").null();
            w.key("samples_needed").null();
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

// The members after "rows", to the end of the document: written before the rows, so that the
// output's size is known when it is reserved.
std::string render_json_tail(const Report& report) {
    JsonText out;
    JsonWriter w(out, 0);
    w.resume_object();
    const GateResult& gate = report.gate;
    w.key("gate").begin_object();
    w.key("enabled").value(gate.enabled);
    w.key("passed").value(gate.passed);
    w.key("rule").value(gate.rule_text);
    w.key("failures").begin_array();
    for (const auto& f : gate.findings) {
        if (f.status != GateStatus::failed && f.status != GateStatus::goal_unmet &&
            f.status != GateStatus::inconclusive) {
            continue;
        }
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        w.key("unit").value(f.unit);
        w.key("reason").value(f.reason);
        w.end_object();
    }
    w.end_array();
    w.key("findings").begin_array();
    for (const auto& f : gate.findings) {
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        if (f.package.empty()) {
            w.key("package").null();
        } else {
            w.key("package").value(f.package);
        }
        w.key("unit").value(f.unit);
        w.key("input").value(f.input);
        w.key("status").value(gate_status_name(f.status));
        w.key("reason").value(f.reason);
        if (f.samples_needed > 0) w.key("samples_needed").value(f.samples_needed);
        w.end_object();
    }
    w.end_array();
    w.key("notes").value(gate.notes);
    w.end_object();
    const SuiteDetectability& d = report.detectability;
    w.key("detectability").begin_object();
    w.key("compared").value(d.compared);
    if (d.compared > 0) {
        w.key("min_possible_p").value(d.min_possible_p);
    } else {
        w.key("min_possible_p").null();
    }
    w.key("n_baseline").value(d.n1);
    w.key("n_compared").value(d.n2);
    w.key("unreachable").value(d.unreachable);
    if (d.warning.empty()) {
        w.key("warning").null();
    } else {
        w.key("warning").value(d.warning);
    }
    w.end_object();
    w.key("warnings").value(report.warnings);
    w.end_object();
    out += '\n';
    return std::string(out);
}

}  // namespace

std::string render_json(const Report& report) {
    std::string out;
    StringSink sink(out);
    render_json(report, sink);
    return out;
}

void render_json(const Report& report, TextSink& sink) {
    const StatusIndex status_of(report);
    // Rows are independent: chunks of rows are written on several cores (see ordered_chunks.hpp).
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    std::vector<std::string> shared(report.tables.size());
    for (std::size_t ti = 0; ti < report.tables.size(); ++ti) {
        shared[ti] = table_members(report.tables[ti]);
        for (std::size_t ri = 0; ri < report.tables[ti].rows.size(); ++ri) rows.emplace_back(ti, ri);
    }
    constexpr std::size_t k_chunk = 64;  // about 100 KB of text: the thread's buffer stays in cache
    const auto write_rows = [&](std::size_t chunk, JsonText& text) {
        JsonWriter w(text, 2);
        for (std::size_t i = chunk * k_chunk; i < std::min(rows.size(), (chunk + 1) * k_chunk); ++i) {
            text += i == 0 ? "    " : ",\n    ";
            const auto [ti, ri] = rows[i];
            write_row(w, report, ti, ri, shared[ti], status_of);
        }
    };
    const std::size_t n_chunks = (rows.size() + k_chunk - 1) / k_chunk;
    const std::string tail = render_json_tail(report);

    JsonText out;
    JsonWriter w(out, 0);
    w.begin_object();
    w.key("schema_version").value(1);
    w.key("tool").value("ksail-benchstat");
    w.key("version").value(KSAIL_BENCHSTAT_VERSION);
    w.key("alpha").value(report.options.alpha);
    w.key("confidence").value(report.options.confidence);
    w.key("equivalence_pct").value(report.options.equivalence_pct);
    w.key("center").value(center_name(report.options.center));
    w.key("inputs").begin_array();
    for (const auto& in : report.inputs) {
        w.begin_object();
        w.key("label").value(in.label);
        w.key("path").value(in.path);
        w.key("format").value(format_name(in.parsed.format));
        w.end_object();
    }
    w.end_array();
    // With --col, cells are indexed by projected columns rather than inputs: list them.
    if (!report.columns_are_inputs) {
        w.key("column_keys").value(report.column_keys);
        w.key("columns").begin_array();
        for (const auto& column : report.columns) {
            w.begin_object();
            w.key("label").value(column.label);
            w.key("values").value(column.values);
            w.end_object();
        }
        w.end_array();
    }
    if (rows.empty()) {
        w.key("rows").begin_array();
        w.end_array();
    } else {
        w.key("rows").raw([&](JsonText& text) {
            text += "[\n";
            sink.write(text);
            text.clear();
            write_chunks_in_order<JsonText>(sink, n_chunks, tail.size() + 8, write_rows);
            text += "\n  ]";
        });
    }
    out += tail;
    sink.write(out);
}

}  // namespace ksail_benchstat
