// Parser for Go benchmark text: configuration lines, Unit metadata and benchmark result lines.
#include "ksail_benchstat/parse_go_text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/flat_index.hpp"
#include "ksail_benchstat/units.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ksail_benchstat {
namespace {

// Go's field separators (unicode.IsSpace restricted to ASCII), as a table: this test runs on
// every byte of every benchmark line.
constexpr std::array<bool, 256> k_space_table = [] {
    std::array<bool, 256> t{};
    for (const unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r'}) t[c] = true;
    return t;
}();
bool is_space(char c) { return k_space_table[static_cast<unsigned char>(c)]; }

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
std::uint64_t digit_value(char c) { return static_cast<std::uint64_t>(c - '0'); }

// The first byte at or after `p` that is not a separator, where the caller knows that such a byte
// follows (so no test for the end of the text is needed).
const char* skip_spaces_unbounded(const char* p) {
    while (is_space(*p)) ++p;
    return p;
}

// Splits off the next whitespace-delimited field and skips the whitespace after it. The field is
// scanned eight bytes at a time: every separator is below '!', and the first byte below '!' in a
// word (which bytes_below finds exactly) ends the field when the table says it is a separator;
// other control bytes are rare and are stepped over. The padding after the field is short and
// is skipped a byte at a time.
std::string_view next_field(std::string_view& rest) {
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        while (i + sizeof(std::uint64_t) <= rest.size()) {
            const std::uint64_t low = bytes_below(load_word(rest.data() + i), '!');
            if (low == 0) {
                i += sizeof(std::uint64_t);
                continue;
            }
            i += static_cast<std::size_t>(std::countr_zero(low)) / 8;
            if (is_space(rest[i])) break;
            ++i;
        }
    }
    while (i < rest.size() && !is_space(rest[i])) ++i;
    std::string_view field = rest.substr(0, i);
    while (i < rest.size() && is_space(rest[i])) ++i;
    rest.remove_prefix(i);
    return field;
}

bool valid_utf8(std::string_view s) {
    const auto word_at = [&s](std::size_t at) { return load_word(s.data() + at); };
    std::size_t i = 0;
    // Benchmark lines are almost always ASCII: 32 bytes are tested at once (four words ORed), then
    // eight at a time, until a high bit shows.
    while (i + 32 <= s.size()) {
        if (((word_at(i) | word_at(i + 8) | word_at(i + 16) | word_at(i + 24)) & k_byte_highs) != 0) break;
        i += 32;
    }
    while (i + 8 <= s.size()) {
        if ((word_at(i) & k_byte_highs) != 0) break;
        i += 8;
    }
    // The last few bytes of an ASCII line: the line's last word (it overlaps what was tested)
    // settles them at once.
    if (i + 8 > s.size() && s.size() >= 8 && (word_at(s.size() - 8) & k_byte_highs) == 0) return true;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += len;
    }
    return true;
}

// A configuration key starts with a lower-case letter and has no spaces or upper-case letters
// (the benchfmt rule); the value is separated from "key:" by spaces or tabs, or is empty.
bool parse_config_line(std::string_view line, std::string_view& key, std::string_view& value) {
    if (line.empty() || !(line[0] >= 'a' && line[0] <= 'z')) {
        // Non-ASCII lower-case letters also start keys in benchfmt; they are rare enough in real
        // logs that treating them as ordinary text is the safer choice.
        return false;
    }
    std::size_t colon = std::string_view::npos;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (is_space(c) || (c >= 'A' && c <= 'Z')) return false;
        if (c == ':') {
            colon = i;
            break;
        }
    }
    if (colon == std::string_view::npos || colon == 0) return false;
    key = line.substr(0, colon);
    std::string_view rest = line.substr(colon + 1);
    if (rest.empty()) {
        value = rest;
        return true;
    }
    std::size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    if (i == 0) return false;
    value = rest.substr(i);
    return true;
}

// Whether a decimal that from_chars read whole but found out of a double's range is too small
// rather than too large. from_chars reports both alike; Go's ParseFloat rounds one too small to
// zero and reports only one too large. Either is hundreds of powers of ten beyond 1, so the power
// of ten of the first significant digit tells them apart.
bool below_double_range(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') ++i;
    long long power = 0;  // of the first significant digit, before the exponent
    std::size_t integer_digits = 0;
    while (i < text.size() && text[i] == '0') ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++integer_digits;
    if (integer_digits > 0) {
        power = static_cast<long long>(integer_digits) - 1;
        while (i < text.size() && text[i] != 'e' && text[i] != 'E') ++i;
    } else if (i < text.size() && text[i] == '.') {
        ++i;
        power = -1;
        while (i < text.size() && text[i] == '0') ++i, --power;
        while (i < text.size() && is_digit(text[i])) ++i;
    }
    long long exponent = 0;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
        constexpr long long k_far_enough = 1'000'000'000;  // an exponent this large settles it
        while (i < text.size() && is_digit(text[i])) {
            exponent = std::min(exponent * 10 + static_cast<long long>(digit_value(text[i++])), k_far_enough);
        }
    }
    return power + (negative_exponent ? -exponent : exponent) < 0;
}

// Parses the whole of `text` as a number (an optional leading '+' allowed, as Go accepts it).
// Returns std::errc() when it did; result_out_of_range for a number beyond the type's range, and
// invalid_argument for anything else. A decimal too small for a double reads as zero, as in Go.
template <typename T>
std::errc parse_number(std::string_view text, T& out) {
    if (text.empty()) return std::errc::invalid_argument;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (*begin == '+') {
        ++begin;
        if (begin != end && *begin == '-') return std::errc::invalid_argument;  // one sign only
    }
    auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec == std::errc::invalid_argument || ptr != end) return std::errc::invalid_argument;
    if constexpr (std::is_floating_point_v<T>) {
        if (ec == std::errc::result_out_of_range &&
            below_double_range({begin, static_cast<std::size_t>(end - begin)})) {
            out = *begin == '-' ? -0.0 : 0.0;
            return std::errc();
        }
    }
    return ec;
}

// Go's words (strconv.NumError) for why parse_number failed.
std::string_view number_error(std::errc error) {
    return error == std::errc::result_out_of_range ? "value out of range" : "invalid syntax";
}

// The length of the run of at most 18 digits that starts `text` (an iteration count, nearly
// always), with its value; 0 when there is none or it is longer.
std::size_t plain_count_prefix(std::string_view text, long long& out) {
    std::size_t i = 0;
    std::uint64_t value = 0;
    while (i < text.size() && is_digit(text[i])) value = value * 10 + digit_value(text[i++]);
    if (i > 18) return 0;
    out = static_cast<long long>(value);
    return i;
}

// An iteration count: nearly always a plain run of digits, read by plain_count_prefix; anything
// else (a sign, 19 digits or more) goes through parse_number, which decides the outcome.
std::errc parse_iterations(std::string_view text, long long& out) {
    if (!text.empty() && plain_count_prefix(text, out) == text.size()) return std::errc();
    return parse_number(text, out);
}

// Powers of ten that a double holds exactly.
constexpr std::array<double, 23> k_exact_powers_of_ten = [] {
    std::array<double, 23> p{};
    double v = 1;
    for (double& e : p) {
        e = v;
        v *= 10;
    }
    return p;
}();

// Measurements are nearly always plain decimals ("3075.77", "1215"). With at most 15 digits and 22
// decimals, the digits and the power of ten are both exact doubles and one division rounds
// correctly, so this gives the same double as from_chars, several times faster. Reads such a
// decimal (an optional sign, digits, and a '.' with more digits) at `p` and returns its end, or
// nullptr when the text there is not one (or it is too long to be exact). The integer part and
// the decimals are two plain digit loops: no per-digit bookkeeping of which side of the dot a
// digit is on, as the lengths follow from the pointers.
// With `Bounded` false the caller promises that a byte that is neither a digit nor a '.' nor a
// sign comes before `end` (the line's last byte is not one), and no test for the end is made.
template <bool Bounded = true>
const char* plain_decimal_end(const char* p, const char* end, double& out) {
    const auto more = [end](const char* q) { return !Bounded || q != end; };
    const bool negative = more(p) && *p == '-';
    if (negative || (more(p) && *p == '+')) ++p;
    std::uint64_t mantissa = 0;
    const char* const int_begin = p;
    while (more(p) && is_digit(*p)) mantissa = mantissa * 10 + digit_value(*p++);
    const auto before_dot = static_cast<std::size_t>(p - int_begin);
    std::size_t after_dot = 0;
    if (more(p) && *p == '.') {
        const char* const frac_begin = ++p;
        while (more(p) && is_digit(*p)) mantissa = mantissa * 10 + digit_value(*p++);
        after_dot = static_cast<std::size_t>(p - frac_begin);
        if (after_dot == 0) return nullptr;  // "1." is not a plain decimal
    }
    // A mantissa of more than 15 digits may have wrapped around; it is refused here either way.
    if (before_dot == 0 || before_dot + after_dot > 15) return nullptr;
    const double value = static_cast<double>(mantissa) / k_exact_powers_of_ten[after_dot];
    out = negative ? -value : value;
    return p;
}

// As plain_decimal_end on the start of `text`: the decimal's length, or 0.
std::size_t plain_decimal_prefix(std::string_view text, double& out) {
    const char* const end = plain_decimal_end(text.data(), text.data() + text.size(), out);
    return end == nullptr ? 0 : static_cast<std::size_t>(end - text.data());
}

// The value of eight decimal digits held one a byte (0 to 9, not '0' to '9') in a word read on a
// little-endian machine, the first in memory the most significant: neighbours are combined into
// pairs, then fours, then all eight, with three multiplications (the method of the fast_float
// library's parse_eight_digits_unrolled). No step carries from one byte or pair into the next.
std::uint64_t eight_digits_value(std::uint64_t digits) {
    digits = digits * 10 + (digits >> 8);  // even bytes: a pair's value, 0 to 99
    constexpr std::uint64_t k_pairs = 0x000000FF000000FFULL;  // the first pair of each half
    constexpr std::uint64_t k_first_pairs_scale = 100 + (1000000ULL << 32);
    constexpr std::uint64_t k_second_pairs_scale = 1 + (10000ULL << 32);
    return ((digits & k_pairs) * k_first_pairs_scale + ((digits >> 16) & k_pairs) * k_second_pairs_scale) >> 32;
}

// Parses a whole measurement: a plain decimal as above, anything else (exponents, long
// mantissas, "NaN") by parse_number.
std::errc parse_measurement(std::string_view text, double& out) {
    if (!text.empty() && plain_decimal_prefix(text, out) == text.size()) return std::errc();
    return parse_number(text, out);
}

// Splits off the next field when `length` bytes of `rest` were read as a value and they are the
// whole field; numbers are then scanned once, not once to split and again to read.
bool take_field(std::string_view& rest, std::size_t length, std::string_view& field) {
    if (length == 0 || (length < rest.size() && !is_space(rest[length]))) return false;
    field = rest.substr(0, length);
    while (length < rest.size() && is_space(rest[length])) ++length;
    rest.remove_prefix(length);
    return true;
}

}  // namespace

struct GoTextParser::Impl {
    std::string file;
    ParsedInput result;
    Config config;
    bool config_dirty = true;
    std::size_t config_index = 0;
    std::unordered_map<std::string, std::size_t> config_ids;
    // A benchmark's series, by configuration and name: the block of series its first line created
    // (one per unit, adjacent in result.series), and units that joined later, by full key. The
    // entry holds the name its series share; the index finds an entry by configuration and name.
    struct BenchmarkSeries {
        std::size_t config = 0;
        std::size_t first = 0;
        std::size_t count = 0;
        SharedText name;
        // A benchmark whose first series is about to be made at `first_series`; the name is made
        // in place, not moved from a temporary.
        BenchmarkSeries(std::size_t config_id, std::size_t first_series, std::string_view name_text)
            : config(config_id), first(first_series), name(name_text) {}
    };
    std::vector<BenchmarkSeries> benchmarks;
    FlatIndex benchmark_index;  // positions in `benchmarks`
    // The name is read eight bytes at a time (the last word ends with it, and may overlap the one
    // before), each word mixed in by a multiplication whose high half is folded down, as the
    // index takes its slot from the low bits. Cheaper than std::hash, which is called out of line
    // and reads the name's tail a byte at a time, on one call for every benchmark a file has.
    static std::size_t benchmark_hash(std::size_t config, std::string_view name) noexcept {
        constexpr std::uint64_t k_mix = 0x9e3779b97f4a7c15u;
        std::uint64_t h = (config + 1) * k_mix ^ name.size();
        const auto mix = [&h](std::uint64_t word) {
            h = (h ^ word) * k_mix;
            h ^= h >> 32;
        };
        constexpr std::size_t k_word = sizeof(std::uint64_t);
        if (name.size() < k_word) {
            std::uint64_t word = 0;
            std::memcpy(&word, name.data(), name.size());
            mix(word);
        } else {
            for (std::size_t i = 0; i + k_word < name.size(); i += k_word) mix(load_word(name.data() + i));
            mix(load_word(name.data() + name.size() - k_word));
        }
        // A word's last bytes reach only the high half of its product, and the fold puts them in
        // bits 24 to 31: one more round spreads them over the low bits too.
        mix(0);
        return static_cast<std::size_t>(h);
    }
    std::unordered_map<std::string, std::size_t> later_units;
    std::unordered_map<std::string, std::pair<SharedText, double>> tidy_cache;  // series share the tidied unit
    std::unordered_map<std::string, std::size_t> unit_ids;
    // What Unit lines stated (a file has a handful), each with the tidied unit it is about. The
    // first statement of a key for a unit holds, as in benchfmt, which reports one that
    // contradicts it.
    struct StatementOf {
        std::string tidied;
        UnitStatement statement;
    };
    std::vector<StatementOf> statements;
    const UnitStatement* find_statement(std::string_view tidied, std::string_view key) const {
        for (const StatementOf& s : statements) {
            if (s.tidied == tidied && s.statement.key == key) return &s.statement;
        }
        return nullptr;
    }

    void warn(std::size_t line, std::string message) { result.warnings.push_back({file, line, std::move(message)}); }

    std::size_t current_config() {
        if (!config_dirty) return config_index;
        auto [it, inserted] = config_ids.emplace(config_key(config), result.configs.size());
        if (inserted) result.configs.push_back(config);
        config_index = it->second;
        config_dirty = false;
        return config_index;
    }

    // Units repeat on every line; a handful of recent ones are found without hashing or allocating.
    // The entries live in tidy_cache, whose nodes never move, so the pointers and the views of
    // their keys stay valid for the parser's lifetime.
    using TidyEntry = std::pair<const std::string, std::pair<SharedText, double>>;  // as written -> tidied, factor
    std::vector<const TidyEntry*> recent_units;

    const TidyEntry& tidy_entry(std::string_view unit) {
        for (const TidyEntry* e : recent_units) {
            if (e->first == unit) return *e;
        }
        auto it = tidy_cache.find(std::string(unit));
        if (it == tidy_cache.end()) {
            const auto [tidied, factor] = tidy_unit(unit);
            it = tidy_cache.emplace(std::string(unit), std::pair{SharedText(tidied), factor}).first;
        }
        if (recent_units.size() < 16) recent_units.push_back(&*it);
        return *it;
    }
    const std::pair<SharedText, double>& tidy(std::string_view unit) { return tidy_entry(unit).second; }

    // `go test -count=N` prints a benchmark's N runs one after another: the previous line's series
    // are reused while the name, configuration and units stay the same.
    std::string_view last_name;  // the benchmark's shared name, whose text lives as long as the parser
    std::size_t last_config = static_cast<std::size_t>(-1);
    struct LastSeries {
        std::string_view unit;  // as written
        const SharedText* tidied;  // the tidy cache's, as long-lived as `unit`
        std::size_t series;
        double factor;          // to base units
        // A unit of one to sixteen bytes as the word that ends with it, with the mask of its
        // bytes there, and (past eight bytes) the word that starts it: the next line's unit is
        // compared with one or two loads, also where it ends the line (the last unit nearly
        // always does). Other units are compared byte by byte.
        std::uint64_t tail_word = 0;
        std::uint64_t tail_mask = 0;
        std::uint64_t head_word = 0;
        static constexpr std::size_t k_word = sizeof(std::uint64_t);
        LastSeries(const TidyEntry& entry, std::size_t index)
            : unit(entry.first), tidied(&entry.second.first), series(index), factor(entry.second.second) {
            if (unit.empty() || unit.size() > 2 * k_word) return;
            const std::size_t in_tail = std::min(unit.size(), k_word);
            std::array<char, k_word> tail{};
            std::memcpy(tail.data() + k_word - in_tail, unit.data() + unit.size() - in_tail, in_tail);
            tail_word = load_word(tail.data());
            tail_mask = word_mask(k_word - in_tail, k_word);
            if (unit.size() > k_word) head_word = load_word(unit.data());
        }
        // Whether the line's text at `p` (before `end`) starts with this unit. At least eight
        // bytes of the line come before `p` (the name, the count and a measurement do).
        bool unit_at(const char* p, const char* end) const {
            const std::size_t size = unit.size();
            if (static_cast<std::size_t>(end - p) < size) return false;
            if (tail_mask == 0) return std::memcmp(p, unit.data(), size) == 0;
            const bool tail_equal = ((load_word(p + size - k_word) ^ tail_word) & tail_mask) == 0;
            return size <= k_word ? tail_equal : tail_equal && load_word(p) == head_word;
        }
    };
    std::vector<LastSeries> last_series;
    // Whether last_series' units tidy to different units, each its own series: lines in these
    // units keep it, as it depends on the units alone.
    bool last_units_distinct = false;
    std::size_t reserve_hint = 0;  // sample count of the previous benchmark

    // The units in result.units, by the address of their tidied text, which every series of the
    // unit shares (the tidy cache's entries live as long as the parser): a new series finds its
    // unit here without building and hashing a string. A suite has a handful of units.
    std::vector<const char*> registered_units;
    void register_unit(const SharedText& tidied) {
        if (std::find(registered_units.begin(), registered_units.end(), tidied.data()) != registered_units.end()) {
            return;
        }
        unit_info(tidied.str());
        if (registered_units.size() < 16) registered_units.push_back(tidied.data());
    }

    UnitInfo& unit_info(const std::string& unit) {
        // Looked up before inserting: emplace would build a node (and copy the unit) every time.
        if (auto it = unit_ids.find(unit); it != unit_ids.end()) return result.units[it->second];
        unit_ids.emplace(unit, result.units.size());
        UnitInfo info;
        info.unit = unit;
        info.better = default_better(unit);
        result.units.push_back(info);
        return result.units.back();
    }

    void set_config(std::string_view key, std::string_view value) {
        for (auto it = config.begin(); it != config.end(); ++it) {
            if (it->first == key) {
                if (value.empty()) {
                    config.erase(it);
                } else if (it->second != value) {
                    it->second = std::string(value);
                } else {
                    return;
                }
                config_changed();
                return;
            }
        }
        if (value.empty()) return;
        config.emplace_back(std::string(key), std::string(value));
        config_changed();
    }

    // The configuration's index is found again when next needed; the layout, learned under the
    // old configuration, is dropped, so that a line of its shape is known to be under it.
    void config_changed() {
        config_dirty = true;
        layout.size = 0;
    }

    // Whether a value was appended that the reader's last check may drop (negative, or not finite
    // in base units); without one, that check has nothing to do.
    bool odd_values = false;

    // Appends a measurement, converted to base units by `factor`, to series `index`.
    void append_value(std::size_t index, double value, double factor) {
        const double in_base_units = factor == 1.0 ? value : value * factor;
        if (!(in_base_units >= 0 && in_base_units <= std::numeric_limits<double>::max())) odd_values = true;
        result.series[index].values.push_back(in_base_units);
    }

    // The shape of the last benchmark line read, when add_repeated_line would read a repeat of it:
    // `go test` pads its numbers to fixed widths, so the benchmark's next run is nearly always the
    // same line with other digits.
    // Such a line is compared with this shape sixteen bytes at a time, and its numbers are read
    // where the shape says they are, without looking for the ends of fields.
    static constexpr std::size_t k_layout_min = 16;   // shorter lines are left to add_repeated_line
    static constexpr std::size_t k_layout_max = 256;  // and so are longer ones
    struct LineLayout {
        std::size_t size = 0;  // of the line; 0 when there is no shape to compare with
        // The line's bytes with '0' for each digit of its numbers; and for each byte the largest
        // XOR of it with the byte a line of this shape has there: 0 (the same byte) but for a
        // digit, where it is 9 ('0' to '9' are 0x30 to 0x39, the bytes whose XOR with '0' is 9
        // at most).
        std::array<char, k_layout_max> text{};
        std::array<char, k_layout_max> slack{};
        // The count's value does not matter, only that it is not zero: the words that end 0, 8
        // and 16 bytes before its end, and in each the bytes that are its digits.
        std::size_t iterations_end = 0;
        std::size_t count_words = 0;
        std::array<std::uint64_t, 3> count_masks{};
        // Where each measurement's digits are, and how to read them (see number_value): a number
        // of at most eight bytes (digits and '.') is read from the word of the eight bytes of the
        // line that end with it, a longer one (sixteen bytes at most) from that word and the one
        // before it. In each word, the bytes of the digits before the '.' (all of them when the
        // word has no '.'), of those after it, and by how much the first are moved up to close
        // up the '.': 8 bits when it is in that word, else 0.
        struct DigitBytes {
            std::uint64_t before_dot = 0;
            std::uint64_t after_dot = 0;
            unsigned dot_shift = 0;
        };
        struct Number {
            std::size_t begin = 0;
            std::size_t dot = 0;  // the offset of its '.', or `end` when there is none
            std::size_t end = 0;
            std::size_t decimals = 0;  // digits after the '.'
            DigitBytes last_word;
            DigitBytes first_word;  // of a number longer than eight bytes
            bool two_words = false;
            std::uint64_t last_word_scale = 1;  // ten to the power of the digits in last_word
            // Where its values go, and their factor to base units, as in last_series. Series are
            // only added or moved after the layout is dropped (see add_benchmark, expect_bytes).
            Samples* samples = nullptr;
            double factor = 1;
        };
        std::size_t count = 0;  // of measurements, as in last_series
        std::array<Number, 16> values{};
    };
    LineLayout layout;

    // Whether the `layout.size` bytes at `line` fit the layout: each byte XOR the layout's byte is
    // at most the byte's slack. The differences of all blocks are ORed together and tested once:
    // a line that does not fit is rare, and a test for each block would cost more than it saves.
    bool fits_layout(const char* line) const {
        const std::size_t size = layout.size;
        const char* const text = layout.text.data();
        const char* const slack = layout.slack.data();
#if defined(__SSE2__)
        // A saturating subtraction of the slack leaves a byte that is too far off, and only such
        // a byte, not zero.
        __m128i misfit = _mm_setzero_si128();
        const auto add_block = [&](std::size_t at) {
            const auto load = [at](const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)); };
            misfit = _mm_or_si128(misfit, _mm_subs_epu8(_mm_xor_si128(load(line), load(text)), load(slack)));
        };
        // Two blocks a step, which halves the loop's own instructions; then the block left, if
        // any, and the last sixteen bytes, which may overlap the block before.
        std::size_t at = 0;
        for (; at + 32 < size; at += 32) {
            add_block(at);
            add_block(at + 16);
        }
        if (at + 16 < size) add_block(at);
        add_block(size - 16);
        return _mm_movemask_epi8(_mm_cmpeq_epi8(misfit, _mm_setzero_si128())) == 0xFFFF;
#else
        std::uint64_t misfit = 0;
        const auto add_word = [&](std::size_t at) {
            misfit |= bytes_above(load_word(line + at) ^ load_word(text + at), load_word(slack + at));
        };
        std::size_t at = 0;
        for (; at + sizeof misfit < size; at += sizeof misfit) add_word(at);
        add_word(size - sizeof misfit);
        return misfit == 0;
#endif
    }

    // The value of the digits of a number that `bytes` says are in the word of `line` that ends at
    // `end`: the digits as values 0 to 9, the bytes that are not the number's cleared (they read
    // as leading zeros), and those before the '.' moved up one byte over it (its place then
    // holds a digit, and the first byte is cleared).
    static std::uint64_t word_digits_value(const char* line, std::size_t end, const LineLayout::DigitBytes& bytes) {
        const std::uint64_t word = load_word(line + end - sizeof(std::uint64_t)) ^ (k_byte_ones * '0');
        return eight_digits_value(((word & bytes.before_dot) << bytes.dot_shift) | (word & bytes.after_dot));
    }

    // The mantissa of a measurement of the layout in `line`, whose digits fits_layout found to be
    // digits: its digits before and after the '.', as one integer.
    static std::uint64_t number_value(const char* line, const LineLayout::Number& number) {
        if constexpr (std::endian::native == std::endian::little) {
            const std::uint64_t last = word_digits_value(line, number.end, number.last_word);
            if (!number.two_words) return last;
            const std::uint64_t first = word_digits_value(line, number.end - sizeof(std::uint64_t), number.first_word);
            return first * number.last_word_scale + last;
        }
        std::uint64_t mantissa = 0;
        for (std::size_t k = number.begin; k < number.dot; ++k) mantissa = mantissa * 10 + digit_value(line[k]);
        for (std::size_t k = number.dot + 1; k < number.end; ++k) mantissa = mantissa * 10 + digit_value(line[k]);
        return mantissa;
    }

    // A line of the layout's shape is the previous line's benchmark under the same configuration
    // with the same units, and add_repeated_line would read it: the bytes it tests are the same,
    // and its numbers have as many digits, in the same places. Its values are appended as there.
    // Anything else returns false having changed nothing.
    bool add_line_in_layout(std::string_view line) {
        // The layout's configuration is the line's: a change drops the layout (config_changed).
        if (line.size() != layout.size) return false;
        const char* const text = line.data();
        if (!fits_layout(text)) return false;
        std::uint64_t nonzero_digits = 0;
        for (std::size_t i = 0; i < layout.count_words; ++i) {
            const std::uint64_t word = load_word(text + layout.iterations_end - (i + 1) * sizeof(std::uint64_t));
            nonzero_digits |= (word ^ (k_byte_ones * '0')) & layout.count_masks[i];
        }
        if (nonzero_digits == 0) return false;  // no iterations: refused by the general path, which says why
        for (std::size_t i = 0; i < layout.count; ++i) {
            const LineLayout::Number& number = layout.values[i];
            // A mantissa of at most 15 digits converts as a signed integer, which takes fewer
            // instructions than an unsigned one, to the same double.
            const auto mantissa = static_cast<std::int64_t>(number_value(text, number));
            const double value = static_cast<double>(mantissa) / k_exact_powers_of_ten[number.decimals];
            // Neither negative nor too large, with the layout's factors: no odd value to note. A
            // factor of 1 leaves the value as it is (a product with 1 is exact).
            number.samples->push_back(value * number.factor);
        }
        return true;
    }

    // Makes the layout from a line just read, whose numbers are all plain, which ends in a unit
    // and whose units and name are now last_series' and last_name: add_repeated_line would read
    // a repeat of it. `numbers` holds the offsets of the iteration count and of each measurement,
    // begin and end in turn. A line with a signed measurement, too short or too long, leaves no
    // layout.
    void learn_layout(std::string_view line, const std::array<std::size_t, 34>& numbers) {
        layout.size = 0;
        if (line.size() > k_layout_max || line.size() < k_layout_min) return;
        std::memcpy(layout.text.data(), line.data(), line.size());
        std::memset(layout.slack.data(), 0, line.size());
        // Marks the bytes `digits` of the word that ends at `end` as digits: '0' in the text, 9 in
        // the slack. Each number's digits lie in the one or two words that end with it.
        constexpr std::size_t k_word = sizeof(std::uint64_t);
        const auto mark_digits = [this](std::size_t end, std::uint64_t digits) {
            char* const text = layout.text.data() + end - k_word;
            char* const slack = layout.slack.data() + end - k_word;
            const std::uint64_t text_word = (load_word(text) & ~digits) | (digits & (k_byte_ones * '0'));
            const std::uint64_t slack_word = load_word(slack) | (digits & (k_byte_ones * 9));
            std::memcpy(text, &text_word, k_word);
            std::memcpy(slack, &slack_word, k_word);
        };
        // The count has at most 18 digits, which start at least ten bytes into the line
        // ("Benchmark", a separator): the words stay on the line.
        layout.iterations_end = numbers[1];
        const std::size_t digits = numbers[1] - numbers[0];
        layout.count_words = (digits + k_word - 1) / k_word;
        for (std::size_t i = 0; i < layout.count_words; ++i) {
            // The word's last bytes, as many as the digits it holds.
            const std::size_t in_word = std::min(digits - i * k_word, k_word);
            layout.count_masks[i] = word_mask(k_word - in_word, k_word);
            mark_digits(numbers[1] - i * k_word, layout.count_masks[i]);
        }
        layout.count = last_series.size();
        for (std::size_t i = 0; i < layout.count; ++i) {
            LineLayout::Number& number = layout.values[i];
            number.samples = &result.series[last_series[i].series].values;
            number.factor = last_series[i].factor;
            // A layout's values have at most 15 digits and no sign, so they are below 1e15 and
            // not negative; times a factor of at most 1e290 they stay finite and not negative, and
            // add_line_in_layout leaves out append_value's check for odd values.
            constexpr double k_largest_factor = 1e290;
            if (!(number.factor >= 0 && number.factor <= k_largest_factor)) return;
            number.begin = numbers[2 + 2 * i];
            number.end = numbers[3 + 2 * i];
            // A plain decimal is digits with at most one '.' among them, signed or not: a sign leaves
            // no layout.
            if (line[number.begin] == '-' || line[number.begin] == '+') return;
            number.dot = static_cast<std::size_t>(std::find(line.data() + number.begin, line.data() + number.end, '.') - line.data());
            number.decimals = number.dot == number.end ? 0 : number.end - number.dot - 1;
            // The number's bytes in the word that ends with it, and in the word before that one.
            // A number starts at least twelve bytes into the line ("Benchmark", a separator, a
            // count, a separator) and is sixteen bytes long at most, so both words are on the line.
            const auto digit_bytes = [&number](std::size_t word_begin) {
                const auto in_word = [word_begin](std::size_t at) {
                    return std::clamp(at, word_begin, word_begin + k_word) - word_begin;
                };
                LineLayout::DigitBytes bytes;
                bytes.before_dot = word_mask(in_word(number.begin), in_word(number.dot));
                if (number.dot < number.end) bytes.after_dot = word_mask(in_word(number.dot + 1), in_word(number.end));
                const bool dot_in_word = number.dot >= word_begin && number.dot < word_begin + k_word && number.dot < number.end;
                bytes.dot_shift = dot_in_word ? 8 : 0;
                return bytes;
            };
            number.last_word = digit_bytes(number.end - k_word);
            mark_digits(number.end, number.last_word.before_dot | number.last_word.after_dot);
            number.two_words = number.end - number.begin > k_word;
            if (number.two_words) {
                number.first_word = digit_bytes(number.end - 2 * k_word);
                mark_digits(number.end - k_word, number.first_word.before_dot | number.first_word.after_dot);
                const bool dot_in_last_word = number.last_word.dot_shift != 0;
                number.last_word_scale = dot_in_last_word ? 10'000'000 : 100'000'000;
            }
        }
        layout.size = line.size();
    }

    // Whether a line ending in `last` may be read by add_repeated_line (see there).
    static bool ends_in_unit(char last) {
        return !(is_space(last) || is_digit(last) || last == '.' || last == '+' || last == '-');
    }

    // The usual line of `go test -count=N` output: the previous line's benchmark again, under the
    // same configuration, with a plain iteration count and plain decimals in the previous line's
    // units, in the same order. Such a line is read in one pass from `p` (just after the name)
    // to `end`, its units compared as text with the previous line's, and its values appended to
    // that line's series. Anything else returns false having changed nothing, and the general
    // path reads the line from its start.
    bool add_repeated_line(const char* const line, const char* p, const char* end) {
        const std::size_t count = last_series.size();
        // A changed configuration is left to the general path: current_config() would register it
        // here even when the line then turns out malformed, which the general path does not do.
        if (count == 0 || config_dirty || config_index != last_config) return false;
        std::array<std::size_t, 34> numbers;
        double values[16];  // last_series has at most 16 entries (it is cleared on overflow)
        if (!read_in_last_units(line, p, end, values, numbers)) return false;
        for (std::size_t i = 0; i < count; ++i) append_value(last_series[i].series, values[i], last_series[i].factor);
        learn_layout(std::string_view(line, static_cast<std::size_t>(end - line)), numbers);
        return true;
    }

    // Reads a line of plain numbers in last_series' units, in its order, from `p` (at the
    // separator after the name, or at the iteration count) to `end`, in one pass: the
    // measurements into `values`, and where the numbers are into `numbers`, for learn_layout.
    // last_series is not empty. Anything else returns false.
    bool read_in_last_units(const char* const line, const char* p, const char* end, double* values,
                            std::array<std::size_t, 34>& numbers) const {
        const std::size_t count = last_series.size();
        // The line's last byte (a unit's, normally) must be neither a separator nor a digit nor a
        // '.' nor a sign: every run of separators or digits below then stops on the line, a sign
        // that plain_decimal_end steps over has a byte after it, and the loops need no test for
        // the line's end. `p` is at the separator after the name, so the line is not empty.
        if (!ends_in_unit(end[-1])) return false;
        p = skip_spaces_unbounded(p);
        // The iteration count: only its being a positive number of at most 18 digits matters. The
        // digits stop before `end`, so the byte after them is on the line.
        // (Unsigned, so that a count too long to be read, which is refused, wraps harmlessly.)
        std::uint64_t iterations = 0;
        const char* digits_end = p;
        while (is_digit(*digits_end)) iterations = iterations * 10 + digit_value(*digits_end++);
        const auto digits = static_cast<std::size_t>(digits_end - p);
        if (digits == 0 || digits > 18 || iterations == 0 || !is_space(*digits_end)) return false;
        // Where the numbers are, for the layout of the lines that follow.
        const auto offset = [line](const char* q) { return static_cast<std::size_t>(q - line); };
        numbers[0] = offset(p);
        p += digits;
        numbers[1] = offset(p);
        for (std::size_t i = 0; i < count; ++i) {
            if (p == end) return false;  // fewer measurements than the previous line
            const char* const value_begin = skip_spaces_unbounded(p);
            p = plain_decimal_end<false>(value_begin, end, values[i]);
            // A value must be followed by a separator and then its unit.
            if (p == nullptr || !is_space(*p)) return false;
            numbers[2 + 2 * i] = offset(value_begin);
            numbers[3 + 2 * i] = offset(p);
            p = skip_spaces_unbounded(p);
            if (!last_series[i].unit_at(p, end)) return false;
            p += last_series[i].unit.size();
            if (p != end && !is_space(*p)) return false;  // a longer unit that starts the same
        }
        // Short of the end, p is at a separator, and something other than one follows it: another
        // measurement, which the previous line did not have.
        return p == end;
    }

    // The place in `benchmarks` of `name` under `config_id` (whose benchmark_hash is `hash`), and
    // whether it was added now: a new benchmark's series will start at the next series.
    std::pair<std::size_t, bool> find_benchmark(std::size_t config_id, std::string_view name, std::size_t hash) {
        const auto [known, is_new] = benchmark_index.find_or_insert(
            hash, [&](std::uint32_t at) { return benchmarks[at].config == config_id && benchmarks[at].name == name; },
            benchmarks.size());
        if (is_new) benchmarks.emplace_back(config_id, result.series.size(), name);
        return {known, is_new};
    }

    // A new series of benchmark `bench`, read under `config_id`, for the tidied unit, which the
    // caller registers (see register_unit) unless it knows it is.
    std::size_t new_series(const BenchmarkSeries& bench, std::size_t config_id, const SharedText& tidied,
                           std::size_t line_no) {
        // The name is shared by all of the benchmark's series, not copied.
        Series& s = result.series.emplace_back(config_id, bench.name, tidied, Samples(), line_no);
        // Most benchmarks of a file have the same count: reserving the last finished
        // series' size avoids regrowing every sample vector.
        s.values.reserve(reserve_hint);
        return result.series.size() - 1;
    }

    // The series of benchmark `bench` (`name` under `config_id`) for the tidied unit: one of the
    // series its first line created, which sit next to each other, or one it gained later, or a
    // new one.
    std::size_t series_for(BenchmarkSeries& bench, std::size_t config_id, std::string_view name,
                           const SharedText& tidied, std::size_t line_no) {
        for (std::size_t i = bench.first; i < bench.first + bench.count; ++i) {
            if (result.series[i].unit == tidied) return i;
        }
        const std::size_t index = bench.first + bench.count;
        if (index == result.series.size()) {
            // Still the newest series: the benchmark's block grows.
            new_series(bench, config_id, tidied, line_no);
            register_unit(tidied);
            ++bench.count;
            return index;
        }
        // A unit the benchmark gains after other benchmarks were read: looked up whole.
        std::string key(reinterpret_cast<const char*>(&config_id), sizeof config_id);
        key.append(name);
        key.push_back('\0');
        key.append(tidied);
        auto [it, inserted] = later_units.try_emplace(std::move(key), 0);
        if (inserted) {
            it->second = new_series(bench, config_id, tidied, line_no);
            register_unit(tidied);
        }
        return it->second;
    }

    // `go test -count=N` prints a benchmark's N runs, then the next benchmark's, nearly always in
    // the units of the one before, in the same order. A line that starts another benchmark in
    // last_series' units, with plain numbers, is read in one pass as add_repeated_line reads a
    // repeat, and takes the units' tidied texts and factors from last_series, whose entries stay
    // but for their series: no unit is split off as a field and looked up. `p` is at the
    // iteration count (after the name and its separators); the hash is the benchmark's when
    // `config_known`. Anything else returns false having changed nothing, and the general path
    // reads the line.
    bool add_line_in_last_units(std::string_view line, std::string_view name, const char* p, bool config_known,
                                std::size_t hash, std::size_t line_no) {
        const std::size_t count = last_series.size();
        if (count == 0) return false;
        std::array<std::size_t, 34> numbers;
        double values[16];  // last_series has at most 16 entries (it is cleared on overflow)
        if (!read_in_last_units(line.data(), p, line.data() + line.size(), values, numbers)) return false;
        // From here on, as the general path does with such a line.
        const std::size_t config_id = current_config();
        reserve_hint = result.series[last_series.front().series].values.size();
        layout.size = 0;  // series are added below
        const auto [known, is_new] =
            find_benchmark(config_id, name, config_known ? hash : benchmark_hash(config_id, name));
        BenchmarkSeries& bench = benchmarks[known];
        // A new benchmark's series are its units' in turn, one for each tidied unit, as
        // series_for would add them, unless two units tidy to the same one: only then is a unit
        // matched among those before it. The units were registered with the previous line's series.
        const bool distinct = is_new && last_units_distinct;
        for (std::size_t i = 0; i < count; ++i) {
            LastSeries& last = last_series[i];
            last.series = distinct ? new_series(bench, config_id, *last.tidied, line_no)
                                   : series_for(bench, config_id, name, *last.tidied, line_no);
            append_value(last.series, values[i], last.factor);
        }
        if (distinct) bench.count = count;
        last_name = bench.name.view();
        last_config = config_id;
        learn_layout(line, numbers);
        return true;
    }

    void add_benchmark(std::string_view line, std::size_t line_no) {
        if (add_line_in_layout(line)) return;
        std::string_view rest = line;
        std::string_view name;
        // Whether the name is the previous line's: only then does the line start with that name
        // and a separator, so one comparison answers both questions.
        bool repeat = false;
        if (!last_name.empty() && line.size() > last_name.size() && is_space(line[last_name.size()]) &&
            line.compare(0, last_name.size(), last_name) == 0) {
            repeat = true;
            if (add_repeated_line(line.data(), line.data() + last_name.size(), line.data() + line.size())) return;
            // The previous line's benchmark again (-count=N): its name is known, skip to the numbers.
            name = line.substr(0, last_name.size());
            rest.remove_prefix(last_name.size());
            while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
        } else {
            name = next_field(rest);
        }
        if (rest.empty()) {
            // A bare name: `go test -v` and test2json print one before the result line.
            return;
        }
        // The benchmark is looked up once the line is read; the slot of its name in the index (a
        // new name's slot is seldom in the cache) is fetched meanwhile. The hash needs the
        // configuration, known here unless the line follows a configuration line.
        const bool config_known = !config_dirty;
        std::size_t hash = 0;
        if (config_known) {
            hash = benchmark_hash(config_index, name);
            benchmark_index.prefetch(hash);
        }
        if (!repeat && add_line_in_last_units(line, name, rest.data(), config_known, hash, line_no)) return;
        // Where the numbers are, and whether all of them are plain, for the layout of the lines
        // that follow (see learn_layout).
        std::array<std::size_t, 34> numbers;
        bool plain = true;
        const auto offset = [&line](std::string_view field) { return static_cast<std::size_t>(field.data() - line.data()); };
        std::string_view iterations_text;
        long long iterations = 0;
        if (take_field(rest, plain_count_prefix(rest, iterations), iterations_text)) {
            numbers[0] = offset(iterations_text);
            numbers[1] = numbers[0] + iterations_text.size();
        } else {
            plain = false;
            iterations_text = next_field(rest);
            if (const std::errc error = parse_iterations(iterations_text, iterations); error != std::errc()) {
                warn(line_no, fmt::format("{}: parsing iteration count: {}", name, number_error(error)));
                return;
            }
        }
        if (iterations <= 0) {
            warn(line_no, fmt::format("{}: iteration count must be positive, got {}", name, iterations_text));
            return;
        }
        if (rest.empty()) {
            // Unlike a bare name, a count without measurements is not a line go test prints.
            warn(line_no, fmt::format("{}: missing measurements", name));
            return;
        }
        struct Measurement {
            std::string_view unit;
            double value;
        };
        Measurement measurements[16];
        std::size_t count = 0;
        std::vector<Measurement> overflow;
        while (!rest.empty()) {
            std::string_view value_text;
            double value = 0;
            if (take_field(rest, plain_decimal_prefix(rest, value), value_text)) {
                if (count < 16) {
                    numbers[2 + 2 * count] = offset(value_text);
                    numbers[3 + 2 * count] = numbers[2 + 2 * count] + value_text.size();
                }
            } else {
                plain = false;
                value_text = next_field(rest);
                if (const std::errc error = parse_measurement(value_text, value); error != std::errc()) {
                    warn(line_no,
                         fmt::format("{}: parsing measurement {:?}: {}", name, value_text, number_error(error)));
                    return;
                }
            }
            std::string_view unit = next_field(rest);
            if (unit.empty()) {
                warn(line_no, fmt::format("{}: missing unit after {}", name, value_text));
                return;
            }
            if (!std::isfinite(value)) {
                // Go prints a b.ReportMetric that divided by zero as NaN or +Inf; the line's other
                // measurements are sound.
                warn(line_no,
                     fmt::format("{}: measurement {} {} dropped: not a finite number", name, value_text, unit));
                continue;
            }
            if (count < 16) {
                measurements[count++] = {unit, value};
            } else {
                overflow.push_back({unit, value});
            }
        }
        if (count == 0) return;  // every measurement was dropped
        std::size_t config_id = current_config();
        if (overflow.empty() && config_id == last_config && repeat && count == last_series.size()) {
            bool same = true;
            for (std::size_t i = 0; i < count && same; ++i) same = measurements[i].unit == last_series[i].unit;
            if (same) {
                for (std::size_t i = 0; i < count; ++i) {
                    append_value(last_series[i].series, measurements[i].value, last_series[i].factor);
                }
                return;
            }
        }
        if (!last_series.empty()) reserve_hint = result.series[last_series.front().series].values.size();
        last_series.clear();
        // The layout was the shape of a line of the previous series; and series may be added
        // below, which moves the samples its numbers point to.
        layout.size = 0;
        // One lookup per line finds the benchmark; its units are then matched among the few
        // series its first line created, which sit next to each other.
        const auto [known, is_new] =
            find_benchmark(config_id, name, config_known ? hash : benchmark_hash(config_id, name));
        // Nothing is added to `benchmarks` while this reference is in use.
        BenchmarkSeries& bench = benchmarks[known];
        auto record = [&](const Measurement& m, const TidyEntry& entry) {
            const auto& [tidied, factor] = entry.second;
            const std::size_t index = series_for(bench, config_id, name, tidied, line_no);
            append_value(index, m.value, factor);
            return index;
        };
        for (std::size_t i = 0; i < count; ++i) {
            // The unit's text is the tidy cache's key, so the view outlives this line.
            const TidyEntry& entry = tidy_entry(measurements[i].unit);
            const std::size_t series = record(measurements[i], entry);
            last_series.emplace_back(entry, series);
        }
        for (const auto& m : overflow) record(m, tidy_entry(m.unit));
        // Two units share a series exactly when they tidy to the same unit.
        last_units_distinct = true;
        for (std::size_t i = 1; i < last_series.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (last_series[j].series == last_series[i].series) last_units_distinct = false;
            }
        }
        last_name = bench.name.view();
        last_config = config_id;
        if (!overflow.empty()) last_series.clear();
        // A line that add_repeated_line would read, were it a repeat, gives the next line's layout.
        if (plain && overflow.empty() && !last_series.empty() && ends_in_unit(line.back())) learn_layout(line, numbers);
    }

    void add_unit_line(std::string_view rest, std::size_t line_no) {
        std::string_view unit = next_field(rest);
        if (unit.empty()) {
            warn(line_no, "Unit line: missing unit");
            return;
        }
        std::string tidied = tidy(unit).first.str();
        while (!rest.empty()) {
            std::string_view pair = next_field(rest);
            auto eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0) {
                warn(line_no, fmt::format("Unit {}: expected key=value, got {:?}", unit, pair));
                continue;
            }
            std::string_view key = pair.substr(0, eq);
            std::string_view value = pair.substr(eq + 1);
            UnitInfo& info = unit_info(tidied);
            if (key == "better") {
                if (value != "higher" && value != "lower") {
                    warn(line_no, fmt::format("Unit {}: better must be higher or lower, got {:?}", unit, value));
                } else if (first_statement(tidied, unit, key, value, line_no)) {
                    info.has_better = true;
                    info.better = value == "higher" ? Better::higher : Better::lower;
                }
            } else if (key == "assume") {
                if (value != "exact" && value != "nothing") {
                    warn(line_no, fmt::format("Unit {}: unknown assumption {:?}", unit, value));
                } else if (first_statement(tidied, unit, key, value, line_no)) {
                    info.assume_exact = value == "exact";
                }
            }
            // Other metadata keys are allowed by the format and carry nothing we use.
        }
    }

    // Records that the Unit line at `line_no` states `key`=`value` for the tidied unit and says
    // whether it is the first to: a repeated statement changes nothing, and one that contradicts an
    // earlier statement is reported (naming both lines) and ignored.
    bool first_statement(const std::string& tidied, std::string_view unit, std::string_view key, std::string_view value,
                         std::size_t line_no) {
        UnitStatement statement{std::string(unit), std::string(key), std::string(value), line_no};
        const UnitStatement* first = find_statement(tidied, key);
        if (first == nullptr) {
            statements.push_back({tidied, std::move(statement)});
            return true;
        }
        if (first->value != value) warn(line_no, contradiction_message(statement, *first));
        return false;
    }

    // Whether `s` starts with `literal`. The literal's length is a constant, so the comparison
    // compiles to a few word comparisons in place, whatever else the compiler chooses to inline
    // (it runs on every line).
    template <std::size_t N>
    static bool starts_with(std::string_view s, const char (&literal)[N]) {
        constexpr std::size_t length = N - 1;  // without the terminating NUL
        return s.size() >= length && std::memcmp(s.data(), literal, length) == 0;
    }

    std::size_t add_lines(std::string_view text, std::size_t& line_no, bool ascii) {
        std::size_t pos = 0;
        for (;;) {
            // A line of the layout's shape is found to be one without looking for its end: the
            // layout's bytes hold no newline and its digits are digits, so the newline after it is
            // the line's end. Such a line needs none of add_line's tests either: it starts with
            // "Benchmark", does not end in '\r', and is valid UTF-8 (its line was, and only digits
            // differ).
            const std::size_t size = layout.size;
            if (size != 0 && size < text.size() - pos && text[pos + size] == '\n' &&
                add_line_in_layout(text.substr(pos, size))) {
                ++line_no;
                pos += size + 1;
                continue;
            }
            const std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) return pos;
            add_line(text.substr(pos, end - pos), ++line_no, ascii);
            pos = end + 1;
        }
    }

    void add_line(std::string_view line, std::size_t line_no, bool ascii) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (starts_with(line, "Benchmark")) {
            if (!ascii && !valid_utf8(line)) {
                throw InputError(located(file, line_no, "invalid UTF-8 in benchmark line"));
            }
            add_benchmark(line, line_no);
            return;
        }
        if (!line.empty() && line[0] == 'U') {
            std::string_view rest = line;
            if (next_field(rest) == "Unit") {
                if (!ascii && !valid_utf8(line)) {
                    throw InputError(located(file, line_no, "invalid UTF-8 in Unit line"));
                }
                add_unit_line(rest, line_no);
                return;
            }
        }
        std::string_view key;
        std::string_view value;
        if (parse_config_line(line, key, value)) {
            if (!ascii && !valid_utf8(line)) {
                throw InputError(located(file, line_no, "invalid UTF-8 in configuration line"));
            }
            set_config(key, value);
            return;
        }
        // go test reports a failed benchmark or package this way; its numbers cannot be trusted
        // and a missing benchmark must not pass for a removed one.
        if (starts_with(line, "--- FAIL: ") || starts_with(line, "FAIL\t") || line == "FAIL") {
            std::string_view shown = line.substr(0, std::min<std::size_t>(line.size(), 200));
            std::string text(shown);
            for (char& c : text) {
                if (c == '\t') c = ' ';
            }
            throw InputError(located(file, line_no,
                                     fmt::format("the input records a failed benchmark run ({}); fix the failure "
                                                 "and rerun the benchmarks",
                                                 text)));
        }
    }
};

GoTextParser::GoTextParser(std::string_view file) : m_impl(new Impl) {
    m_impl->file = std::string(file);
    m_impl->result.format = InputFormat::go_text;
}

GoTextParser::~GoTextParser() { delete m_impl; }

void GoTextParser::add_line(std::string_view text, std::size_t line, bool ascii) {
    m_impl->add_line(text, line, ascii);
}

void GoTextParser::reset_config() {
    if (!m_impl->config.empty()) {
        m_impl->config.clear();
        m_impl->config_changed();
    }
}

void GoTextParser::expect_bytes(std::size_t bytes) {
    // `go test -count=10` prints a benchmark's three or four metrics ten times, about 330 bytes of
    // text per series; fewer repetitions only mean the array grows as usual, more leave reserved
    // room that is never touched and so costs no memory.
    constexpr std::size_t k_bytes_per_series = 300;
    // Reserving may move the series, to whose samples the layout of the last line points.
    m_impl->layout.size = 0;
    m_impl->result.series.reserve(m_impl->result.series.size() + bytes / k_bytes_per_series);
    // The benchmark index is rehashed as it grows, which on a large file costs more than looking
    // names up: its slots are made once for the benchmarks the size suggests (three or four
    // series each; a slot is eight bytes).
    constexpr std::size_t k_bytes_per_benchmark = 1000;
    m_impl->benchmark_index.reserve(m_impl->benchmark_index.size() + bytes / k_bytes_per_benchmark);
    m_impl->benchmarks.reserve(m_impl->benchmarks.size() + bytes / k_bytes_per_benchmark);
}

std::size_t GoTextParser::add_lines(std::string_view text, std::size_t& line, bool ascii) {
    return m_impl->add_lines(text, line, ascii);
}

bool GoTextParser::may_need_value_checks() const { return m_impl->odd_values; }

ParsedInput GoTextParser::finish() { return std::move(m_impl->result); }

const UnitStatement* GoTextParser::stated(std::string_view unit, std::string_view key) const {
    return m_impl->find_statement(unit, key);
}

std::string contradiction_message(const UnitStatement& later, const UnitStatement& first) {
    return fmt::format("Unit {}: {}={} contradicts {}={} at line {}; keeping {}={}", later.unit, later.key, later.value,
                       first.key, first.value, first.line, first.key, first.value);
}

ParsedInput parse_go_text(std::string_view text, std::string_view file) {
    GoTextParser parser(file);
    std::size_t line_no = 0;
    const std::size_t read = parser.add_lines(text, line_no);
    if (read < text.size()) parser.add_line(text.substr(read), ++line_no);  // the last, without a newline
    return parser.finish();
}

}  // namespace ksail_benchstat
