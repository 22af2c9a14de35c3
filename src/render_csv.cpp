// CSV renderer: one RFC 4180 row per (benchmark, unit, input), raw numbers in base units.
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "byte_blocks.hpp"
#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/number_text.hpp"
#include "ksail_benchstat/render.hpp"
#include "ordered_chunks.hpp"
#include "short_text.hpp"
#include "text_cache.hpp"

namespace ksail_benchstat {
namespace {

constexpr const char* k_header =
    "package,benchmark,unit,better,input,label,n,center,ci_low,ci_high,baseline_input,delta_pct,p_value,"
    "significant,verdict,change_pct,change_low_pct,change_high_pct,gate,gate_reason,config,"
    "equivalence,mde_pct,samples_needed";

bool special(char ch) { return ch == ',' || ch == '"' || ch == '\r' || ch == '\n'; }

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
bool needs_quotes(std::string_view value) {
#if defined(__SSE2__)
    if (value.size() >= 16) {
        // Sixteen bytes a step, the line breaks caught with every other byte up to 0x0D as below.
        const auto maybe_special = [](__m128i bytes) {
            const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x0D)), bytes);
            return _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(',')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'))),
                low);
        };
        __m128i found = _mm_setzero_si128();
        for_each_16_bytes(value.data(), value.size(),
                          [&](std::size_t, __m128i bytes) { found = _mm_or_si128(found, maybe_special(bytes)); });
        return _mm_movemask_epi8(found) != 0 && std::any_of(value.begin(), value.end(), special);
    }
#endif
    // Eight bytes at a time: a byte equal to c is a zero byte of the word XOR c. The line breaks are
    // caught with every other byte below 0x0E (tabs, say), so a field that has one of those is then
    // looked at byte by byte.
    const auto maybe_special = [](std::uint64_t word) {
        return bytes_equal(word, ',') | bytes_equal(word, '"') | bytes_below(word, 0x0E);
    };
    const std::size_t size = value.size();
    std::uint64_t found = 0;
    if (size < 8) {
        // Padded with letters, which are not special.
        std::uint64_t word = k_byte_ones * 'a';
        if (size > 0) std::memcpy(&word, value.data(), size);
        found = maybe_special(word);
    } else {
        for (std::size_t i = 0; i + 8 < size; i += 8) found |= maybe_special(load_word(value.data() + i));
        // The last eight bytes, which may overlap the words before.
        found |= maybe_special(load_word(value.data() + size - 8));
    }
    return found != 0 && std::any_of(value.begin(), value.end(), special);
}

// The writers below fill room the caller has made (see CsvText::room) and return the end of what
// they wrote.

char* put(char* out, std::string_view text) noexcept {
    const std::size_t n = text.size();
    const char* from = text.data();
#if defined(__SSE2__)
    // A benchmark's name, on every line: 16 bytes a step and the last 16, which may overlap the
    // ones before, rather than a call to memcpy.
    if (n >= 16) {
        for_each_16_bytes(from, n, [out](std::size_t i, __m128i bytes) { store_16_bytes(out + i, bytes); });
        return out + n;
    }
#endif
    if (n != 0) std::memcpy(out, from, n);  // an empty view may have no data
    return out + n;
}

// A text of a size known when compiled: a copy of that size, without a call.
template <std::size_t N>
char* put(char* out, const char (&text)[N]) noexcept {
    std::memcpy(out, text, N - 1);
    return out + (N - 1);
}

// The inside of a quoted field: `value` with its quotes doubled (at most twice its size).
char* put_doubling_quotes(char* out, std::string_view value) noexcept {
    for (char ch : value) {
        if (ch == '"') *out++ = '"';
        *out++ = ch;
    }
    return out;
}

// `value` as a field (at most twice its size and two bytes), quoted only when it needs it.
char* put_field(char* out, std::string_view value) noexcept {
    if (!needs_quotes(value)) return put(out, value);
    *out++ = '"';
    out = put_doubling_quotes(out, value);
    *out++ = '"';
    return out;
}

std::string csv_field(std::string_view value) {
    std::string out(2 * value.size() + 2, '\0');
    out.resize(static_cast<std::size_t>(put_field(out.data(), value) - out.data()));
    return out;
}

// Room a number or a count takes at most.
constexpr std::size_t k_count_room = 24;  // a 64-bit count has at most 20 digits

// A number's text, the shortest that reads back to the same double, in the layout of fmt's "{}";
// non-finite values have no CSV spelling that spreadsheets agree on, so they are left empty.
char* put_number(char* out, double value) noexcept {
    if (!std::isfinite(value)) return out;
    return write_number_text(value, out);
}

// A row often repeats a number (an exact change whose interval is that change, an interval whose
// ends are its center), so where the last number's text is in the row's text is kept, and that
// text is copied when the same double comes again. Bits are compared, not values: 0.0 and -0.0
// are written differently.
class NumberCache {
public:
    char* put(char* out, double value) noexcept { return put_bits(out, std::bit_cast<std::uint64_t>(value), true); }
    // An empty value's text is empty. Its bits are those of a NaN, whose text is empty too: so the
    // bits of either kind of value are its key.
    char* put(char* out, OptionalDouble value) noexcept {
        return put_bits(out, std::bit_cast<std::uint64_t>(*value), value.has_value());
    }

private:
    char* put_bits(char* out, std::uint64_t bits, bool has_value) noexcept {
        if (bits == m_last_bits) {
            copy_number_text(out, m_last_text);
            return out + m_last_size;
        }
        char* end = has_value ? put_number(out, std::bit_cast<double>(bits)) : out;
        m_last_bits = bits;
        m_last_text = out;
        m_last_size = static_cast<std::size_t>(end - out);
        return end;
    }

    static constexpr std::array<char, k_copied_number> k_empty{};
    // Before any number: a NaN, whose text is empty.
    std::uint64_t m_last_bits = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
    const char* m_last_text = k_empty.data();
    std::size_t m_last_size = 0;
};

// The text of a p-value. An exact test has few possible p-values for given sample counts, so the
// rows of a report repeat them (about nine rows in ten of a large one find theirs in the cache),
// and finding a text again costs much less than writing it. Each thread keeps its own cache,
// across reports: a text depends only on the p-value's bits, the key.
struct PValueText {
    std::array<char, k_number_text_room> text{};
    std::uint8_t size = 0;  // 0 while nothing is written (or the value is not finite)
    bool empty() const noexcept { return size == 0; }
};
using PValueCache = TextCache<1, PValueText>;

// The text of `p` at `out`: found in `cache`, or written there first.
char* put_p_value(char* out, PValueCache& cache, double p) {
    const PValueText& text = cache.find({std::bit_cast<std::uint64_t>(p)}, [p](PValueText& written) {
        written.size = static_cast<std::uint8_t>(put_number(written.text.data(), p) - written.text.data());
    });
    copy_number_text(out, text.text.data());
    return out + text.size;
}

char* put_count(char* out, std::size_t n) noexcept { return std::to_chars(out, out + k_count_room, n).ptr; }

// The most a line takes beyond its text fields (package, benchmark, unit and better, input and
// label, gate, gate reason, config): nine numbers, two counts, the verdict and equivalence names
// and the separators, with room to spare.
constexpr std::size_t k_line_room = 9 * k_number_text_room + 3 * k_count_room + 128;

// A chunk's text. A row first makes room for the most its lines can take, then its fields are
// copied in through a plain pointer, with no capacity check per field.
class CsvText {
public:
    void clear() noexcept { m_size = 0; }
    std::size_t size() const noexcept { return m_size; }
    operator std::string_view() const noexcept { return {m_data.get(), m_size}; }

    // At least `n` bytes of room at the end of the text; returns where they start.
    char* room(std::size_t n) {
        if (m_capacity - m_size < n) grow(n);
        return m_data.get() + m_size;
    }
    // The text now ends at `end`, within the room last made.
    void end_at(const char* end) noexcept { m_size = static_cast<std::size_t>(end - m_data.get()); }

private:
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t capacity = std::max({m_capacity * 2, m_size + n, std::size_t{1} << 16});
        auto data = std::make_unique_for_overwrite<char[]>(capacity);
        if (m_size > 0) std::memcpy(data.get(), m_data.get(), m_size);
        m_data = std::move(data);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

// Every configuration key except pkg (which has its own column), as "key=value;key=value".
std::string config_text(const Config& config) {
    std::string out;
    for (const auto& [key, value] : config) {
        if (key == "pkg" || value.empty()) continue;
        if (!out.empty()) out += ';';
        out += key + "=" + value;
    }
    return out;
}

// A text every line of a table copies, kept with 32 spare bytes after it so that most are copied
// in one or two fixed pieces of 32 bytes, without a call: up to 31 bytes past its end are written
// over, which the next field writes over in turn (a line's room has more to spare, see
// k_line_room).
class PaddedText {
public:
    PaddedText() = default;
    explicit PaddedText(std::string text) : m_size(text.size()), m_text(std::move(text)) {
        m_text.append(k_padding, '\0');
    }
    std::size_t size() const noexcept { return m_size; }
    char* put(char* out) const noexcept {
        const char* from = m_text.data();
        std::memcpy(out, from, k_padding);
        if (m_size > k_padding) {
            std::memcpy(out + k_padding, from + k_padding, k_padding);
            if (m_size > 2 * k_padding) std::memcpy(out + 2 * k_padding, from + 2 * k_padding, m_size - 2 * k_padding);
        }
        return out + m_size;
    }

private:
    static constexpr std::size_t k_padding = 32;

    std::size_t m_size = 0;
    std::string m_text;
};

char* put(char* out, const PaddedText& text) noexcept { return text.put(out); }

// The fields every line of a table shares, quoted once per table.
struct TableFields {
    PaddedText package;                  // package field and its comma
    std::vector<PaddedText> after_name;  // by column: ",unit,better,input,label,"
    PaddedText baseline;                 // ",baseline_input,"
    PaddedText config;                   // the comma before the config field, and the field
    PaddedText baseline_end;             // the end of a baseline line without a comparison
    std::size_t base = 0;                // the baseline column
    std::size_t line_room = 0;           // the most a line takes but for its name and gate fields
};

// Gate findings ordered by (table, row, input), then by status: the statuses and reasons of a line
// are joined in GateStatus order, so the output does not depend on gate internals.
bool finding_before(const GateFinding* a, const GateFinding* b) {
    return std::tie(a->table, a->row, a->input, a->status) < std::tie(b->table, b->row, b->input, b->status);
}

// Whether `f` belongs to a row before row r of table t.
bool row_before(const GateFinding* f, std::size_t t, std::size_t r) {
    return f->table < t || (f->table == t && f->row < r);
}

}  // namespace

std::string render_csv(const Report& report) {
    std::string out;
    StringSink sink(out);
    render_csv(report, sink);
    return out;
}

void render_csv(const Report& report, TextSink& sink) {
    std::vector<const GateFinding*> findings;
    findings.reserve(report.gate.findings.size());
    for (const auto& f : report.gate.findings) findings.push_back(&f);
    std::stable_sort(findings.begin(), findings.end(), finding_before);

    // By default a column is an input; with --col, `input` and `label` describe projected columns.
    const std::size_t n_columns = report.columns.size();
    std::vector<std::string> labels;  // ",input,label,"
    std::size_t label_room = 0;
    for (std::size_t in = 0; in < n_columns; ++in) {
        labels.push_back("," + std::to_string(in) + "," + csv_field(report.columns[in].label) + ",");
        label_room = std::max(label_room, labels.back().size());
    }
    std::vector<TableFields> shared;
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    for (std::size_t t = 0; t < report.tables.size(); ++t) {
        const Table& table = report.tables[t];
        const char* better = table.better == Better::lower ? "lower" : "higher";
        TableFields fields;
        fields.package = PaddedText(csv_field(config_value(table.config, "pkg")) + ",");
        const std::string unit_better = "," + csv_field(table.unit) + "," + better;
        for (const std::string& label : labels) fields.after_name.emplace_back(unit_better + label);
        fields.base = baseline_column(report, table);
        fields.baseline = PaddedText("," + std::to_string(fields.base) + ",");
        const std::string config = "," + csv_field(config_text(table.config));
        fields.config = PaddedText(config);
        fields.baseline_end = PaddedText(",,,,,,,,,," + config + ",,,\n");
        fields.line_room = fields.package.size() + unit_better.size() + label_room + fields.baseline.size() +
                           fields.config.size() + k_line_room;
        shared.push_back(std::move(fields));
        for (std::size_t r = 0; r < table.rows.size(); ++r) rows.emplace_back(t, r);
    }

    // ",significant,verdict" by significance and verdict, and ",equivalence," by equivalence.
    std::array<ShortText, 2 * k_verdicts> significance_verdicts;
    for (std::size_t v = 0; v < k_verdicts; ++v) {
        const std::string_view name = verdict_name(static_cast<Verdict>(v));
        significance_verdicts[v] = short_text(",false," + std::string(name));
        significance_verdicts[k_verdicts + v] = short_text(",true," + std::string(name));
    }
    std::array<ShortText, k_equivalences> equivalences;
    for (std::size_t e = 0; e < k_equivalences; ++e) {
        equivalences[e] = short_text("," + std::string(equivalence_name(static_cast<Equivalence>(e))) + ",");
    }

    // One line per (row, column) that has something to say.
    // `finding` is where the findings of this row or a later one start; it is left after this row's.
    using FindingIt = std::vector<const GateFinding*>::const_iterator;
    const auto write_row = [&](CsvText& text, std::size_t t, std::size_t r, FindingIt& finding, PValueCache& p_texts) {
        const Table& table = report.tables[t];
        const TableFields& fields = shared[t];
        const Row& row = table.rows[r];
        const std::size_t base = fields.base;
        if (n_columns <= base) return;
        const bool has_base = row.cells[base].has_value();

        // The row's gate findings, and the room their fields take at most.
        while (finding != findings.end() && row_before(*finding, t, r)) ++finding;
        auto findings_end = finding;
        std::size_t findings_room = 0;
        for (; findings_end != findings.end() && (*findings_end)->table == t && (*findings_end)->row == r;
             ++findings_end) {
            // status and ';', then the reason with its quotes doubled, "; " and the field's quotes
            findings_room += gate_status_name((*findings_end)->status).size() + 2 * (*findings_end)->reason.size() + 5;
        }

        const std::string_view name = row.name.view();
        const bool name_quoted = needs_quotes(name);
        const std::size_t name_room = name_quoted ? 2 * name.size() + 2 : name.size();
        char* out = text.room((n_columns - base) * (fields.line_room + name_room) + findings_room);
        NumberCache numbers;
        for (std::size_t in = base; in < n_columns; ++in) {
            const bool has_cell = row.cells[in].has_value();
            // A baseline-only row still gets a line for each later input, saying "removed".
            if (!has_cell && !(in > base && has_base)) continue;
            const Comparison* cmp = has_base && has_cell ? row.comparisons[in] : nullptr;
            out = put(out, fields.package);
            if (name_quoted) {
                *out++ = '"';
                out = put_doubling_quotes(out, name);
                *out++ = '"';
            } else {
                out = put(out, name);
            }
            out = put(out, fields.after_name[in]);
            if (has_cell) {
                const Summary& s = row.cells[in]->summary;
                out = put_count(out, s.n);
                *out++ = ',';
                out = numbers.put(out, s.center);
                *out++ = ',';
                out = numbers.put(out, s.lo);
                *out++ = ',';
                out = numbers.put(out, s.hi);
            } else {
                out = put(out, ",,,");
            }
            const Comparison* compared = in > 0 ? cmp : nullptr;
            if (in == base && compared == nullptr) {
                // The usual baseline line: its end is the same on every row of the table.
                out = put(out, fields.baseline_end);
                continue;
            }
            if (in == base) {
                out = put(out, ",,,,,,,,,,");
            } else {
                out = put(out, fields.baseline);
                if (cmp != nullptr) {
                    out = numbers.put(out, cmp->delta_pct);
                    *out++ = ',';
                    out = put_p_value(out, p_texts, cmp->test.p);
                    out = put(out, significance_verdicts[(cmp->significant ? k_verdicts : 0) +
                                                         static_cast<std::size_t>(cmp->verdict)]);
                    *out++ = ',';
                    out = numbers.put(out, cmp->change.estimate_pct);
                    *out++ = ',';
                    out = numbers.put(out, cmp->change.low_pct);
                    *out++ = ',';
                    out = numbers.put(out, cmp->change.high_pct);
                } else {
                    out = has_cell ? put(out, ",,false,added,,,") : put(out, ",,false,removed,,,");
                }
                *out++ = ',';
                // The gate's statuses, then their reasons joined by "; " (one field, quoted as needed).
                while (finding != findings_end && (*finding)->input < in) ++finding;
                auto last = finding;
                bool reasons = false;
                bool reasons_quoted = false;
                for (; last != findings_end && (*last)->input == in; ++last) {
                    if (last != finding) *out++ = ';';
                    out = put(out, gate_status_name((*last)->status));
                    reasons = reasons || !(*last)->reason.empty();
                    reasons_quoted = reasons_quoted || needs_quotes((*last)->reason);
                }
                *out++ = ',';
                if (reasons) {
                    if (reasons_quoted) *out++ = '"';
                    bool first = true;
                    for (; finding != last; ++finding) {
                        const std::string_view reason = (*finding)->reason;
                        if (reason.empty()) continue;
                        if (!first) out = put(out, "; ");
                        first = false;
                        out = reasons_quoted ? put_doubling_quotes(out, reason) : put(out, reason);
                    }
                    if (reasons_quoted) *out++ = '"';
                }
                finding = last;
            }
            out = put(out, fields.config);
            if (compared != nullptr) {
                out = put(out, equivalences[static_cast<std::size_t>(compared->equivalence)]);
                out = numbers.put(out, compared->detect.mde_pct);
                *out++ = ',';
                if (compared->detect.samples_needed > 0) out = put_count(out, compared->detect.samples_needed);
            } else {
                out = put(out, ",,,");
            }
            *out++ = '\n';
        }
        text.end_at(out);
        finding = findings_end;
    };

    sink.write(std::string(k_header) + '\n');
    // Rows are independent: chunks of rows are written on several cores (see ordered_chunks.hpp).
    constexpr std::size_t k_chunk = 256;  // about 100 KB of text: the thread's buffer stays in cache
    write_chunks_in_order<CsvText>(
        sink, (rows.size() + k_chunk - 1) / k_chunk, 0, [&](std::size_t chunk, CsvText& text) {
            const std::size_t first = chunk * k_chunk;
            thread_local PValueCache p_texts;
            // Rows come in (table, row) order, like the findings: one search a chunk, then a walk.
            FindingIt finding = std::lower_bound(
                findings.cbegin(), findings.cend(), rows[first],
                [&](const GateFinding* f, std::pair<std::size_t, std::size_t> key) {
                    return row_before(f, key.first, key.second);
                });
            for (std::size_t i = first; i < std::min(rows.size(), (chunk + 1) * k_chunk); ++i) {
                write_row(text, rows[i].first, rows[i].second, finding, p_texts);
            }
        });
}

}  // namespace ksail_benchstat
