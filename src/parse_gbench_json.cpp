// Parser for Google Benchmark JSON: an event-driven reader that turns repetitions into samples.
#include "ksail_benchstat/parse_gbench_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/flat_index.hpp"
#include "ksail_benchstat/byte_words.hpp"
#include "ksail_benchstat/json_scan.hpp"

namespace ksail_benchstat {
namespace {

using Json = nlohmann::json;

// Google Benchmark's JSON reporter writes a double that is not finite as a bare NaN, Infinity or
// -Infinity (json_reporter.cc, FormatKV), words JSON does not have; a kIsRate | kInvert counter
// of 0 comes out as Infinity. Both readers take exactly these words for a number wherever a
// value may stand inside an object or array, when the value ends right after them (at
// whitespace, ',', ']', '}' or the end of the text).
struct NonFiniteLiteral {
    std::string_view text;
    double value;
};

constexpr NonFiniteLiteral k_non_finite_literals[] = {
    {"NaN", std::numeric_limits<double>::quiet_NaN()},
    {"Infinity", std::numeric_limits<double>::infinity()},
    {"-Infinity", -std::numeric_limits<double>::infinity()},
};

// The literal `rest` begins with, or null.
const NonFiniteLiteral* non_finite_literal_at(std::string_view rest) {
    for (const NonFiniteLiteral& literal : k_non_finite_literals) {
        if (rest.substr(0, literal.text.size()) != literal.text) {
            continue;
        }
        if (rest.size() == literal.text.size()) {
            return &literal;
        }
        switch (rest[literal.text.size()]) {
        case ' ': case '\t': case '\n': case '\r': case ',': case ']': case '}': return &literal;
        default: return nullptr;
        }
    }
    return nullptr;
}

// nlohmann's parser knows none of these literals (and has no event for a number that is not
// finite), so it reads a copy of the text in which each one is a number of the same length
// ("0.0", "0.000000"): lines and positions stay where they were. Its iterator counts the
// literals it has begun to read, and the SAX adapter passes on each literal's value with the
// number event that follows. No other number event comes between: a number before a literal
// is reported before the iterator reaches the literal, since a ':', '[' or ',' lies between.
class NonFiniteLiterals {
public:
    // Finds the literals of `text`, which must outlive this object.
    explicit NonFiniteLiterals(std::string_view text);
    NonFiniteLiterals(const NonFiniteLiterals&) = delete;
    NonFiniteLiterals& operator=(const NonFiniteLiterals&) = delete;

    // The text nlohmann's parser reads: the text itself, or the copy with literals replaced.
    std::string_view parser_text() const {
        return m_starts.empty() ? m_text : std::string_view(m_replaced);
    }

    // The parser's iterator is about to read the character at `at`.
    void reading(const char* at) {
        if (at == m_next) {
            ++m_begun;
            m_next = m_begun < m_starts.size() ? m_replaced.data() + m_starts[m_begun] : nullptr;
        }
    }

    // The value of the literal a number event stands for, or nothing for an ordinary number.
    std::optional<double> take() {
        if (m_taken == m_begun) {
            return std::nullopt;
        }
        return m_values[m_taken++];
    }

    // nlohmann's message for a parse error after `position` characters, which quotes
    // `last_read`, the text read since the last string or number began (literals replaced),
    // with the literals as written.
    std::string restore(std::string message, std::string_view last_read, std::size_t position) const;

private:
    std::string_view m_text;
    std::string m_replaced;
    std::vector<std::size_t> m_starts;  // positions of the literals, in order
    std::vector<double> m_values;       // and their values
    std::size_t m_begun = 0;            // literals the iterator has begun to read
    std::size_t m_taken = 0;            // literals whose number event has come
    const char* m_next = nullptr;       // in m_replaced: the next literal to begin, if any
};

NonFiniteLiterals::NonFiniteLiterals(std::string_view text) : m_text(text) {
    // Most inputs have none; a search for the words keeps those cheap.
    if (text.find("NaN") == std::string_view::npos && text.find("Infinity") == std::string_view::npos) {
        return;
    }
    // Where a value may stand follows from the brackets and the last character outside strings.
    // Up to the first syntax error this is what the parser sees; after one it reads no further.
    std::vector<bool> open;  // the open containers, innermost last; true: an object
    char before = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; i += text[i] == '\\' ? 2 : 1) {
            }
            if (i >= text.size()) {
                break;  // an unterminated string, where the parser stops
            }
            before = c;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        const bool value_expected =
            !open.empty() && (before == ':' || before == '[' || (before == ',' && !open.back()));
        if (value_expected) {
            if (const NonFiniteLiteral* literal = non_finite_literal_at(text.substr(i))) {
                m_starts.push_back(i);
                m_values.push_back(literal->value);
                i += literal->text.size() - 1;
                before = '0';
                continue;
            }
        }
        if (c == '{' || c == '[') {
            open.push_back(c == '{');
        } else if ((c == '}' || c == ']') && !open.empty()) {
            open.pop_back();
        }
        before = c;
    }
    if (m_starts.empty()) {
        return;
    }
    m_replaced.assign(text);
    for (const std::size_t start : m_starts) {
        const std::size_t length = non_finite_literal_at(text.substr(start))->text.size();
        m_replaced.replace(start, length, "0." + std::string(length - 2, '0'));
    }
    m_next = m_replaced.data() + m_starts.front();
}

// A character as nlohmann quotes it in a message: control characters as <U+XXXX>.
std::string quoted_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x1F ? fmt::format("<U+{:04X}>", byte) : std::string(1, c);
}

std::string NonFiniteLiterals::restore(std::string message, std::string_view last_read,
                                       std::size_t position) const {
    if (m_starts.empty() || last_read.empty()) {
        return message;
    }
    // The quote is the end of what the parser read; find where it begins.
    const std::string_view read = parser_text().substr(0, std::min(position, m_text.size()));
    std::size_t begin = read.size();
    std::size_t rest = last_read.size();
    while (rest > 0 && begin > 0) {
        const std::string shown = quoted_char(read[begin - 1]);
        if (rest < shown.size() || last_read.substr(rest - shown.size(), shown.size()) != shown) {
            return message;
        }
        rest -= shown.size();
        --begin;
    }
    std::string written;
    for (std::size_t i = begin; i < read.size(); ++i) {
        written += quoted_char(m_text[i]);
    }
    const std::string quote = fmt::format("last read: '{}'", last_read);
    const std::size_t at = message.rfind(quote);
    if (rest > 0 || written == last_read || at == std::string::npos) {
        return message;
    }
    return message.replace(at, quote.size(), fmt::format("last read: '{}'", written));
}

// nlohmann's SAX events carry no position, so the input iterator counts the newlines the lexer
// has consumed. Single-character tokens ('{', keys) are reported before any look-ahead, which
// makes the count exact for the places we report (object starts and keys). It also tells
// `literals` what the lexer reads.
class LineCountingIterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    LineCountingIterator() = default;
    LineCountingIterator(const char* position, std::size_t* newlines, NonFiniteLiterals* literals)
        : m_position(position), m_newlines(newlines), m_literals(literals) {}

    reference operator*() const { return *m_position; }
    LineCountingIterator& operator++() {
        if (*m_position == '\n') {
            ++*m_newlines;
        }
        m_literals->reading(m_position);
        ++m_position;
        return *this;
    }
    LineCountingIterator operator++(int) {
        LineCountingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const LineCountingIterator& other) const {
        return m_position == other.m_position;
    }

private:
    const char* m_position = nullptr;
    std::size_t* m_newlines = nullptr;
    NonFiniteLiterals* m_literals = nullptr;
};

// What a key of a benchmark entry is. Everything that is not a field Google Benchmark writes
// (versions 1.5 to 1.9) is a user counter.
enum class EntryField {
    name, run_name, run_type, aggregate_name, time_unit,
    message,  // error_message or skip_message
    error_occurred, skipped, real_time, cpu_time, iterations,
    other,    // a known field we do not use
    counter,
};

EntryField entry_field(std::string_view key) {
    struct Known {
        std::string_view key;
        EntryField field;
    };
    static constexpr Known k_known[] = {
        {"name", EntryField::name},
        {"family_index", EntryField::other},
        {"per_family_instance_index", EntryField::other},
        {"run_name", EntryField::run_name},
        {"run_type", EntryField::run_type},
        {"repetitions", EntryField::other},
        {"repetition_index", EntryField::other},
        {"threads", EntryField::other},
        {"iterations", EntryField::iterations},
        {"real_time", EntryField::real_time},
        {"cpu_time", EntryField::cpu_time},
        {"time_unit", EntryField::time_unit},
        {"label", EntryField::other},  // free text, often run-specific: not part of a comparison
        {"error_occurred", EntryField::error_occurred},
        {"error_message", EntryField::message},
        {"skipped", EntryField::skipped},
        {"skip_message", EntryField::message},
        {"aggregate_name", EntryField::aggregate_name},
        {"aggregate_unit", EntryField::other},
        {"big_o", EntryField::other},
        {"rms", EntryField::other},
        {"complexity_n", EntryField::other},
        {"cpu_coefficient", EntryField::other},
        {"real_coefficient", EntryField::other},
    };
    for (const Known& known : k_known) {
        // The first character settles most mismatches without a call to memcmp.
        if (known.key.size() == key.size() && known.key[0] == key[0] &&
            std::memcmp(known.key.data(), key.data(), key.size()) == 0) {
            return known.field;
        }
    }
    return EntryField::counter;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// User counters carry no unit in the JSON; a name that reads like a rate is taken as one.
bool is_rate_name(std::string_view name) {
    return ends_with(name, "/s") || ends_with(name, "_per_second");
}

// One entry of the `benchmarks` array, as far as we need it.
struct Entry {
    std::size_t line = 0;
    std::string name;
    std::string run_name;
    std::string run_type;
    std::string aggregate_name;
    std::string time_unit;
    bool has_time_unit = false;  // an empty time_unit written as such is not a missing one
    std::string message;  // error_message or skip_message
    bool error_occurred = false;
    bool skipped = false;
    std::optional<double> real_time;
    std::optional<double> cpu_time;
    std::optional<double> iterations;
    std::vector<std::pair<std::string, double>> counters;  // in file order, one per key

    // Back to an empty entry, keeping the strings' storage for the next one.
    void reset(std::size_t at_line) {
        line = at_line;
        name.clear();
        run_name.clear();
        run_type.clear();
        aggregate_name.clear();
        time_unit.clear();
        has_time_unit = false;
        message.clear();
        error_occurred = false;
        skipped = false;
        real_time.reset();
        cpu_time.reset();
        iterations.reset();
        counters.clear();
    }
};

// Complexity fits (BigO, RMS) describe a whole family, not a repetition. Google Benchmark writes
// them as aggregates with that aggregate_name; files from before run_type existed tell them only
// by the name's suffix. An iteration entry is a repetition whatever its name (BM_Signal_RMS).
bool is_complexity_fit(const Entry& entry) {
    if (entry.aggregate_name == "BigO" || entry.aggregate_name == "RMS") {
        return true;
    }
    if (!entry.run_type.empty() && entry.run_type != "aggregate") {
        return false;
    }
    const std::string& name = entry.name.empty() ? entry.run_name : entry.name;
    return ends_with(name, "_BigO") || ends_with(name, "_RMS");
}

// The metric a user counter becomes: its name, unless that is a unit this reader gives a field
// of its own (a counter "B/s" would merge with bytes_per_second, one "sec/op" with real_time).
// Such a counter is kept apart as "counter NAME"; so is a name that already begins that way,
// which keeps the metrics of different counters different.
constexpr std::string_view k_counter_prefix = "counter ";

bool needs_counter_prefix(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    switch (name[0]) {  // the first character settles most names
    case 's': return name == "sec/op";
    case 'c': return name == "cpu-sec/op" || name.substr(0, k_counter_prefix.size()) == k_counter_prefix;
    case 'B': return name == "B/s";
    case 'i': return name == "items/s";
    default: return false;
    }
}

// A metric of one benchmark, as (unit, value) pairs taken from one entry.
using Measurements = std::vector<std::pair<std::string, double>>;

struct MetricSamples {
    std::string unit;
    Samples values;
    std::size_t line = 0;
};

// What we know about one benchmark (one run_name) while reading.
struct BenchmarkState {
    std::string name;
    std::size_t iteration_entries = 0;  // including errored / skipped ones
    std::vector<MetricSamples> metrics; // from usable iteration entries, in first-seen order
    std::optional<std::pair<Measurements, std::size_t>> median;  // aggregate and its line
    std::optional<std::pair<Measurements, std::size_t>> mean;
    bool has_other_aggregates = false;
};

// Why a repetition is left out.
enum class Exclusion {
    error,          // error_occurred
    skipped,        // skipped (SkipWithMessage)
    no_iterations,  // "iterations" of 0: its times measure nothing
};

// An excluded repetition, reported once per (benchmark, kind, message).
struct ExclusionReport {
    std::size_t benchmark = 0;
    Exclusion kind = Exclusion::error;
    std::string message;
    std::size_t line = 0;
    std::size_t count = 0;
};

// Values of one metric of a benchmark that are not finite (NaN, Infinity or -Infinity in the
// file), reported once: like an impossible value of any input they are dropped.
struct NonFiniteReport {
    enum Kind : unsigned { nan = 1, infinity = 2, minus_infinity = 4 };
    std::size_t benchmark = 0;
    std::string unit;
    std::size_t line = 0;  // of the first
    std::size_t count = 0;
    unsigned kinds = 0;    // the Kinds seen
};

struct CacheInfo {
    std::string type;
    long long level = 0;
    long long size = 0;
    long long num_sharing = 0;
};

std::string format_number(double value) { return fmt::format("{}", value); }

// A context count (cache size, CPUs) as an integer. JSON allows any number, and converting one
// outside long long's range (1e87, NaN) is undefined behaviour; such a count is treated as
// unknown (0), which the cache summary already handles.
long long count_of(double number) {
    constexpr double k_limit = 9.0e18;  // below LLONG_MAX, exactly representable
    return number > -k_limit && number < k_limit ? static_cast<long long>(number) : 0;
}

// "L1 Data 32 KiB (x2), ...", the way Google Benchmark's console reporter lists caches; the
// count is how many such caches the machine has (CPUs divided by CPUs sharing one).
std::string summarise_caches(const std::vector<CacheInfo>& caches, long long num_cpus) {
    std::string out;
    for (const CacheInfo& cache : caches) {
        if (!out.empty()) {
            out += ", ";
        }
        out += fmt::format("L{} {}", cache.level, cache.type);
        if (cache.size % 1024 == 0) {
            out += fmt::format(" {} KiB", cache.size / 1024);
        } else {
            out += fmt::format(" {} B", cache.size);
        }
        if (num_cpus > 0 && cache.num_sharing > 0) {
            out += fmt::format(" (x{})", num_cpus / cache.num_sharing);
        }
    }
    return out;
}

// A JSON number as nlohmann's parser classifies it: an integer that fits a long long (negative)
// or an unsigned long long, and otherwise a double. The form decides how a context value is
// written back as text; the value as a double is what benchmark entries use.
struct NumberValue {
    enum class Form { integer, unsigned_integer, floating } form = Form::floating;
    long long integer = 0;
    unsigned long long unsigned_integer = 0;
    double floating = 0;

    double as_double() const {
        switch (form) {
        case Form::integer: return static_cast<double>(integer);
        case Form::unsigned_integer: return static_cast<double>(unsigned_integer);
        case Form::floating: break;
        }
        return floating;
    }
    std::string text() const {
        switch (form) {
        case Form::integer: return fmt::format("{}", integer);
        case Form::unsigned_integer: return fmt::format("{}", unsigned_integer);
        case Form::floating: break;
        }
        if (!std::isfinite(floating)) {
            return std::string(std::isnan(floating) ? "NaN" : floating < 0 ? "-Infinity" : "Infinity");
        }
        return format_number(floating);
    }
};

// Turns the events of a JSON reader into benchmark results. Two readers drive it: the fast one
// below for ordinary files, and nlohmann's SAX parser for everything else. Both report the same
// events in the same order and keep the newline count in step with what each event has read,
// so results, warnings and errors do not depend on which reader ran.
class GbenchHandler {
public:
    GbenchHandler(std::string_view text, std::string_view file) : m_text(text), m_file(file) {}

    // Newlines read so far; the reader keeps it current.
    std::size_t* newline_counter() { return &m_newlines; }

    // For nlohmann's parser when it takes over part way through a streamed input: it reads
    // `prefix` characters that are not in the input before `text`, which starts after
    // `newlines` newlines of the input. Parse errors are located in the input all the same.
    void set_error_origin(std::string_view text, std::size_t prefix, std::size_t newlines) {
        m_text = text;
        m_error_prefix = prefix;
        m_error_newlines = newlines;
    }

    // The current key is a view into the reader's text; the streamed reader calls this before
    // the text it views is dropped or moved.
    void own_key() {
        if (m_key.data() != m_key_storage.data()) {
            m_key_storage.assign(m_key);
            m_key = m_key_storage;
        }
    }

    ParsedInput finish();

    // --- events ----------------------------------------------------------------------------
    void null_value() { scalar(Scalar{}); }
    void boolean(bool value) {
        Scalar s;
        s.kind = Scalar::Kind::boolean;
        s.boolean = value;
        scalar(s);
    }
    void number(const NumberValue& value) {
        Scalar s;
        s.kind = Scalar::Kind::number;
        s.number = value.as_double();
        s.number_value = value;
        scalar(s);
    }
    void string(std::string_view value) {
        Scalar s;
        s.kind = Scalar::Kind::string;
        s.text = value;
        scalar(s);
    }
    void start_object();
    void end_object();
    void start_array();
    void end_array();
    // `value` must stay valid until the next key: values are read in its light.
    void key(std::string_view value) {
        m_key = value;
        m_key_line = line();
    }
    // nlohmann's parser found an error after reading `position` characters; `what` is its message.
    [[noreturn]] void parse_error(std::size_t position, std::string_view what);

private:
    // Where the parser is; anything not listed is skipped wholesale.
    enum class Frame {
        root,          // the top-level object
        context,       // "context" object
        caches,        // "context"."caches" array
        cache,         // one cache object
        benchmarks,    // "benchmarks" array
        entry,         // one benchmark object
        skip,          // a value we ignore (load_avg, unknown nested values)
    };

    struct Scalar {
        enum class Kind { null, boolean, number, string } kind = Kind::null;
        bool boolean = false;
        double number = 0;
        NumberValue number_value;  // how the number was written, for context values
        std::string_view text;     // the string; valid only during the event
    };

    std::size_t line() const { return m_newlines + 1; }
    Frame top() const { return m_frames.back(); }

    void scalar(const Scalar& value);
    void context_value(const Scalar& value);
    void entry_value(const Scalar& value);
    void entry_container();
    void set_counter(std::string_view key, std::optional<double> number);  // nothing: not a number
    void finish_entry();
    void add_measurements(std::size_t index, const Measurements& values, std::size_t line);
    void note_non_finite(std::size_t benchmark, const std::string& unit, double value, std::size_t line);
    void measurements_of(const Entry& entry, Measurements& out) const;
    std::size_t benchmark_index(const std::string& name);
    void note_exclusion(std::size_t benchmark, Exclusion kind, const std::string& message,
                        std::size_t line);
    void note_unit(const std::string& unit);
    [[noreturn]] void fail(std::size_t at_line, std::string_view message) const {
        throw InputError(located(m_file, at_line, message));
    }

    std::string_view m_text;
    std::size_t m_error_prefix = 0;    // see set_error_origin()
    std::size_t m_error_newlines = 0;
    std::string m_file;
    std::size_t m_newlines = 0;

    std::vector<Frame> m_frames;
    std::size_t m_skip_depth = 0;
    std::string_view m_key;  // the reader keeps it valid until the next key
    std::string m_key_storage;  // see own_key()
    std::size_t m_key_line = 0;
    bool m_seen_root = false;
    bool m_seen_benchmarks = false;

    Config m_config;
    std::vector<CacheInfo> m_caches;
    std::optional<std::size_t> m_caches_slot;  // position of "caches" in m_config
    long long m_num_cpus = 0;
    std::vector<Diagnostic> m_context_warnings;

    Entry m_entry;
    std::string m_identity;          // scratch: the benchmark an entry belongs to
    Measurements m_measurements;     // scratch: the values of one entry
    std::vector<BenchmarkState> m_benchmarks;
    FlatIndex m_benchmark_index;  // positions in m_benchmarks, by name
    std::size_t m_last_benchmark = SIZE_MAX;  // repetitions of a benchmark usually come together
    std::vector<ExclusionReport> m_exclusions;
    std::vector<NonFiniteReport> m_non_finite;
    std::vector<std::string> m_units;  // in first-use order
};

void GbenchHandler::start_object() {
    if (m_skip_depth > 0) {
        ++m_skip_depth;
        return;
    }
    if (m_frames.empty()) {
        if (m_seen_root) {
            fail(line(), "unexpected second JSON document");
        }
        m_seen_root = true;
        m_frames.push_back(Frame::root);
        return;
    }
    switch (top()) {
    case Frame::root:
        if (m_key == "context") {
            m_frames.push_back(Frame::context);
            return;
        }
        if (m_key == "benchmarks") {
            fail(m_key_line, "\"benchmarks\" is not an array");
        }
        break;
    case Frame::caches:
        m_caches.emplace_back();
        m_frames.push_back(Frame::cache);
        return;
    case Frame::benchmarks:
        m_entry.reset(line());
        m_frames.push_back(Frame::entry);
        return;
    case Frame::entry:
        entry_container();
        break;
    default:
        break;
    }
    m_skip_depth = 1;
}

void GbenchHandler::end_object() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return;
    }
    const Frame frame = top();
    m_frames.pop_back();
    if (frame == Frame::entry) {
        finish_entry();
    } else if (frame == Frame::root && !m_seen_benchmarks) {
        fail(0, "no \"benchmarks\" array; not Google Benchmark JSON output");
    }
}

void GbenchHandler::start_array() {
    if (m_skip_depth > 0) {
        ++m_skip_depth;
        return;
    }
    if (m_frames.empty()) {
        fail(line(), "expected a JSON object with a \"benchmarks\" array, found an array");
    }
    if (top() == Frame::root && m_key == "benchmarks") {
        // Its entries would be merged with the first array's, where a JSON object keeps only the
        // last value of a key.
        if (m_seen_benchmarks) fail(m_key_line, "a second \"benchmarks\" array");
        m_seen_benchmarks = true;
        m_frames.push_back(Frame::benchmarks);
        return;
    }
    if (top() == Frame::context && m_key == "caches") {
        m_caches_slot = m_config.size();
        m_config.emplace_back("caches", "");
        m_frames.push_back(Frame::caches);
        return;
    }
    if (top() == Frame::benchmarks) {
        fail(line(), "entry of \"benchmarks\" is not an object");
    }
    if (top() == Frame::root && m_key == "context") {
        fail(m_key_line, "\"context\" is not an object");
    }
    if (top() == Frame::entry) {
        entry_container();
    }
    m_skip_depth = 1;
}

void GbenchHandler::end_array() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return;
    }
    if (top() == Frame::caches && m_caches_slot) {
        m_config[*m_caches_slot].second = summarise_caches(m_caches, m_num_cpus);
    }
    m_frames.pop_back();
}

void GbenchHandler::scalar(const Scalar& value) {
    if (m_skip_depth > 0) {
        return;
    }
    if (m_frames.empty()) {
        fail(line(), "expected a JSON object with a \"benchmarks\" array");
    }
    switch (top()) {
    case Frame::root:
        if (m_key == "benchmarks") {
            fail(m_key_line, "\"benchmarks\" is not an array");
        }
        if (m_key == "context") {
            fail(m_key_line, "\"context\" is not an object");
        }
        break;
    case Frame::context:
        context_value(value);
        break;
    case Frame::cache: {
        CacheInfo& cache = m_caches.back();
        if (m_key == "type") {
            cache.type.assign(value.text);
        } else if (value.kind == Scalar::Kind::number) {
            const auto number = count_of(value.number);
            if (m_key == "level") {
                cache.level = number;
            } else if (m_key == "size") {
                cache.size = number;
            } else if (m_key == "num_sharing") {
                cache.num_sharing = number;
            }
        }
        break;
    }
    case Frame::benchmarks:
        fail(line(), "entry of \"benchmarks\" is not an object");
    case Frame::entry:
        entry_value(value);
        break;
    default:
        break;
    }
}

void GbenchHandler::context_value(const Scalar& value) {
    // The date and load average differ on every run; keeping them would make every pair of
    // files look like different configurations. The schema version describes the file, not
    // the machine.
    if (m_key == "date" || m_key == "load_avg" || m_key == "json_schema_version") {
        return;
    }
    std::string text;
    switch (value.kind) {
    case Scalar::Kind::null:
        return;
    case Scalar::Kind::boolean:
        text = value.boolean ? "true" : "false";
        break;
    case Scalar::Kind::number:
        text = value.number_value.text();
        break;
    case Scalar::Kind::string:
        text = value.text;
        break;
    }
    if (m_key == "num_cpus" && value.kind == Scalar::Kind::number) {
        m_num_cpus = count_of(value.number);
    }
    if (m_key == "library_build_type" && text == "debug") {
        m_context_warnings.push_back(
            {m_file, m_key_line,
             "Google Benchmark library was built as debug; timings may be affected"});
    }
    if (m_key == "cpu_scaling_enabled" && value.kind == Scalar::Kind::boolean && value.boolean) {
        m_context_warnings.push_back(
            {m_file, m_key_line,
             "CPU frequency scaling was enabled; timings will be noisy"});
    }
    m_config.emplace_back(m_key == "host_name" ? std::string("host") : std::string(m_key),
                          std::move(text));
}

void GbenchHandler::entry_value(const Scalar& value) {
    const std::string_view key = m_key;
    Entry& entry = m_entry;
    const EntryField field = entry_field(key);
    if (field == EntryField::real_time || field == EntryField::cpu_time) {
        if (value.kind != Scalar::Kind::number) {
            fail(m_key_line, fmt::format("\"{}\" is not a number", key));
        }
        (field == EntryField::real_time ? entry.real_time : entry.cpu_time) = value.number;
        return;
    }
    if (field == EntryField::iterations) {
        // Any other kind of value is left alone, as before this field was read.
        if (value.kind == Scalar::Kind::number) entry.iterations = value.number;
        return;
    }
    if (field == EntryField::counter) {
        set_counter(key, value.kind == Scalar::Kind::number ? std::optional<double>(value.number)
                                                            : std::nullopt);
        return;
    }
    if (value.kind == Scalar::Kind::string) {
        switch (field) {
        case EntryField::name: entry.name.assign(value.text); break;
        case EntryField::run_name: entry.run_name.assign(value.text); break;
        case EntryField::run_type: entry.run_type.assign(value.text); break;
        case EntryField::aggregate_name: entry.aggregate_name.assign(value.text); break;
        case EntryField::time_unit:
            entry.time_unit.assign(value.text);
            entry.has_time_unit = true;
            break;
        case EntryField::error_occurred:
        case EntryField::skipped: fail(m_key_line, fmt::format("\"{}\" is not a boolean", key));
        case EntryField::message: entry.message.assign(value.text); break;
        default: break;
        }
        return;
    }
    if (field == EntryField::time_unit) {
        fail(m_key_line, "\"time_unit\" is not a string");
    }
    if (field == EntryField::error_occurred) {
        entry.error_occurred = value.kind == Scalar::Kind::boolean ? value.boolean
                                                                   : value.number != 0;
        return;
    }
    if (field == EntryField::skipped) {
        entry.skipped = value.kind == Scalar::Kind::boolean ? value.boolean : value.number != 0;
    }
}

// An object or array as a value of an entry (rare: Google Benchmark writes none). Where a time,
// its unit or an error flag should be, it is as wrong as a value of the wrong kind: reading past
// it would drop a repetition's time, or take it in nanoseconds, without a word.
void GbenchHandler::entry_container() {
    switch (entry_field(m_key)) {
    case EntryField::real_time:
    case EntryField::cpu_time: fail(m_key_line, fmt::format("\"{}\" is not a number", m_key));
    case EntryField::time_unit: fail(m_key_line, "\"time_unit\" is not a string");
    case EntryField::error_occurred:
    case EntryField::skipped: fail(m_key_line, fmt::format("\"{}\" is not a boolean", m_key));
    default: set_counter(m_key, std::nullopt);  // a counter of this key, if any, is no counter now
    }
}

void GbenchHandler::set_counter(std::string_view key, std::optional<double> number) {
    // A key written twice has one value, the last, as in a JSON object (and as real_time has):
    // a counter that is not a number the second time is no counter.
    std::vector<std::pair<std::string, double>>& counters = m_entry.counters;
    const auto known = std::find_if(counters.begin(), counters.end(), [&](const auto& counter) {
        // Most keys differ in length, which settles them without a call to memcmp.
        return counter.first.size() == key.size() &&
               std::memcmp(counter.first.data(), key.data(), key.size()) == 0;
    });
    if (known == counters.end()) {
        if (number) counters.emplace_back(std::string(key), *number);
    } else if (number) {
        known->second = *number;
    } else {
        counters.erase(known);
    }
}

std::size_t GbenchHandler::benchmark_index(const std::string& name) {
    if (m_last_benchmark < m_benchmarks.size() && m_benchmarks[m_last_benchmark].name == name) {
        return m_last_benchmark;
    }
    const std::size_t hash = std::hash<std::string_view>{}(name);
    const auto [at, is_new] = m_benchmark_index.find_or_insert(
        hash, [&](std::uint32_t known) { return m_benchmarks[known].name == name; }, m_benchmarks.size());
    if (is_new) {
        m_benchmarks.emplace_back();
        m_benchmarks.back().name = name;
    }
    m_last_benchmark = at;
    return at;
}

void GbenchHandler::measurements_of(const Entry& entry, Measurements& out) const {
    // Dividing by an exactly representable power of ten rounds once; multiplying by 1e-9 (not
    // representable) would make 3 ns come out as 3.0000000000000004e-09.
    double divisor = 1e9;  // Google Benchmark's default time unit is ns
    if ((entry.time_unit.empty() && !entry.has_time_unit) || entry.time_unit == "ns") {
        divisor = 1e9;
    } else if (entry.time_unit == "us") {
        divisor = 1e6;
    } else if (entry.time_unit == "ms") {
        divisor = 1e3;
    } else if (entry.time_unit == "s") {
        divisor = 1;
    } else {
        fail(entry.line, fmt::format("benchmark {}: unknown time_unit \"{}\"", entry.name,
                                     entry.time_unit));
    }
    out.clear();
    if (entry.real_time) {
        out.emplace_back("sec/op", *entry.real_time / divisor);
    }
    if (entry.cpu_time) {
        out.emplace_back("cpu-sec/op", *entry.cpu_time / divisor);
    }
    for (const auto& [counter, value] : entry.counters) {
        if (counter == "bytes_per_second") {
            out.emplace_back("B/s", value);
        } else if (counter == "items_per_second") {
            out.emplace_back("items/s", value);
        } else if (counter.empty()) {
            // A key "" (no Google Benchmark writes one) still names a metric that can be shown.
            out.emplace_back(std::string(k_counter_prefix) + "\"\"", value);
        } else if (needs_counter_prefix(counter)) {
            out.emplace_back(std::string(k_counter_prefix) + counter, value);
        } else {
            out.emplace_back(counter, value);
        }
    }
}

void GbenchHandler::add_measurements(std::size_t index, const Measurements& values,
                                     std::size_t at_line) {
    BenchmarkState& benchmark = m_benchmarks[index];
    for (std::size_t i = 0; i < values.size(); ++i) {
        // Not a structured binding: clang 14 cannot capture one in a lambda.
        const auto& unit = values[i].first;
        const double value = values[i].second;
        // Every repetition usually lists the same metrics in the same order.
        MetricSamples* metric = nullptr;
        if (i < benchmark.metrics.size() && benchmark.metrics[i].unit == unit) {
            metric = &benchmark.metrics[i];
        } else {
            auto it = std::find_if(benchmark.metrics.begin(), benchmark.metrics.end(),
                                   [&](const MetricSamples& m) { return m.unit == unit; });
            if (it == benchmark.metrics.end()) {
                benchmark.metrics.push_back({unit, {}, at_line});
                it = std::prev(benchmark.metrics.end());
            }
            metric = &*it;
        }
        if (std::isfinite(value)) {
            metric->values.push_back(value);
        } else {
            note_non_finite(index, unit, value, at_line);
        }
    }
}

void GbenchHandler::note_non_finite(std::size_t benchmark, const std::string& unit, double value,
                                    std::size_t at_line) {
    const auto kind = std::isnan(value) ? NonFiniteReport::nan
                      : value > 0       ? NonFiniteReport::infinity
                                        : NonFiniteReport::minus_infinity;
    for (NonFiniteReport& report : m_non_finite) {
        if (report.benchmark == benchmark && report.unit == unit) {
            ++report.count;
            report.kinds |= kind;
            return;
        }
    }
    m_non_finite.push_back({benchmark, unit, at_line, 1, kind});
}

void GbenchHandler::note_exclusion(std::size_t benchmark, Exclusion kind, const std::string& message,
                                   std::size_t at_line) {
    for (ExclusionReport& report : m_exclusions) {
        if (report.benchmark == benchmark && report.kind == kind && report.message == message) {
            ++report.count;
            return;
        }
    }
    m_exclusions.push_back({benchmark, kind, message, at_line, 1});
}

void GbenchHandler::finish_entry() {
    Entry& entry = m_entry;
    if (entry.name.empty() && entry.run_name.empty()) {
        fail(entry.line, "benchmark entry has no \"name\"");
    }
    const bool is_aggregate =
        entry.run_type == "aggregate" || (entry.run_type.empty() && !entry.aggregate_name.empty());
    std::string& identity = m_identity;
    identity = entry.run_name;
    if (identity.empty()) {
        // Files without run_name name aggregates "BM_X_mean"; group them with BM_X.
        identity = entry.name;
        const std::string suffix = "_" + entry.aggregate_name;
        if (is_aggregate && !entry.aggregate_name.empty() && ends_with(identity, suffix)) {
            identity.resize(identity.size() - suffix.size());
        }
    }
    if (is_complexity_fit(entry)) {
        return;
    }
    const std::size_t index = benchmark_index(identity);
    BenchmarkState& benchmark = m_benchmarks[index];
    if (is_aggregate) {
        if (entry.error_occurred || entry.skipped) {
            return;
        }
        if (entry.aggregate_name == "median") {
            measurements_of(entry, m_measurements);
            benchmark.median.emplace(m_measurements, entry.line);
        } else if (entry.aggregate_name == "mean") {
            measurements_of(entry, m_measurements);
            benchmark.mean.emplace(m_measurements, entry.line);
        } else {
            benchmark.has_other_aggregates = true;
        }
        return;
    }
    ++benchmark.iteration_entries;
    if (entry.error_occurred || entry.skipped) {
        note_exclusion(index, entry.error_occurred ? Exclusion::error : Exclusion::skipped, entry.message,
                       entry.line);
        return;
    }
    if (entry.iterations && !(*entry.iterations > 0)) {
        // Google Benchmark divides by the iteration count; a run of none has no time to compare.
        note_exclusion(index, Exclusion::no_iterations, "", entry.line);
        return;
    }
    measurements_of(entry, m_measurements);
    add_measurements(index, m_measurements, entry.line);
}

void GbenchHandler::note_unit(const std::string& unit) {
    if (std::find(m_units.begin(), m_units.end(), unit) == m_units.end()) {
        m_units.push_back(unit);
    }
}

void GbenchHandler::parse_error(std::size_t position, std::string_view what) {
    // position counts the characters read, the offending one included (and any prefix, see
    // set_error_origin()).
    const std::size_t end = std::min(position > m_error_prefix ? position - m_error_prefix - 1 : 0, m_text.size());
    const auto newlines = m_error_newlines +
        static_cast<std::size_t>(std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line L, column C: why"
    // or "[json.exception.out_of_range.406] why"; we print our own location, so keep only the why.
    if (what.substr(0, 16) == "[json.exception.") {
        if (const auto tag_end = what.find("] "); tag_end != std::string_view::npos) {
            what.remove_prefix(tag_end + 2);
        }
    }
    if (what.substr(0, 20) == "parse error at line ") {
        if (const auto column = what.find("column "); column != std::string_view::npos) {
            if (const auto colon = what.find(": ", column); colon != std::string_view::npos) {
                what.remove_prefix(colon + 2);
            }
        }
    }
    // nlohmann says "invalid literal" for a comment; say what it is.
    const std::string_view at = m_text.substr(end);
    if (at.substr(0, 2) == "//" || at.substr(0, 2) == "/*") {
        fail(newlines + 1, "malformed JSON: a comment, but JSON has no comments");
    }
    fail(newlines + 1, fmt::format("malformed JSON: {}", what));
}

ParsedInput GbenchHandler::finish() {
    if (!m_seen_root) {
        fail(1, "empty input; expected Google Benchmark JSON");
    }
    ParsedInput out;
    out.format = InputFormat::gbench_json;
    out.configs.push_back(std::move(m_config));
    out.warnings = std::move(m_context_warnings);

    for (const ExclusionReport& report : m_exclusions) {
        const BenchmarkState& benchmark = m_benchmarks[report.benchmark];
        const char* what = report.kind == Exclusion::skipped ? "was skipped"
                           : report.kind == Exclusion::error ? "reported an error"
                                                             : "ran no iterations";
        std::string message = fmt::format("benchmark {} {} in {} of {} repetitions; excluded", benchmark.name,
                                          what, report.count, benchmark.iteration_entries);
        if (!report.message.empty()) {
            message += fmt::format(": {}", report.message);
        }
        out.warnings.push_back({m_file, report.line, std::move(message)});
        if (report.kind == Exclusion::error && report.count == benchmark.iteration_entries) {
            out.failed_benchmarks.push_back({benchmark.name, report.line, report.message});
        }
    }

    std::size_t from_iterations = 0;
    std::size_t from_aggregates = 0;
    std::vector<std::string> no_center;
    // A file has a handful of units: each is held once, by every series of that unit.
    std::vector<SharedText> units;
    const auto shared_unit = [&units](const std::string& unit) -> const SharedText& {
        for (const SharedText& known : units) {
            if (known == unit) return known;
        }
        return units.emplace_back(unit);
    };
    for (std::size_t index = 0; index < m_benchmarks.size(); ++index) {
        BenchmarkState& benchmark = m_benchmarks[index];
        if (!benchmark.metrics.empty()) {
            ++from_iterations;
            const SharedText name(benchmark.name);  // held once for all of the benchmark's metrics
            for (MetricSamples& metric : benchmark.metrics) {
                if (metric.values.empty()) {
                    continue;  // every value was dropped as not finite
                }
                note_unit(metric.unit);
                out.series.push_back(Series{0, name, shared_unit(metric.unit),
                                            std::move(metric.values), metric.line});
            }
            continue;
        }
        if (benchmark.iteration_entries > 0) {
            continue;  // every repetition errored or was skipped, already reported
        }
        // Only aggregates: the median is the more robust single value, the mean the fallback.
        const auto& center = benchmark.median ? benchmark.median : benchmark.mean;
        if (!center) {
            if (benchmark.has_other_aggregates) {
                no_center.push_back(benchmark.name);
            }
            continue;
        }
        ++from_aggregates;
        const SharedText name(benchmark.name);
        for (const auto& [unit, value] : center->first) {
            if (!std::isfinite(value)) {
                note_non_finite(index, unit, value, center->second);
                continue;
            }
            note_unit(unit);
            out.series.push_back(Series{0, name, shared_unit(unit), {value}, center->second});
        }
    }

    for (const NonFiniteReport& report : m_non_finite) {
        std::string kinds;
        for (const auto& [kind, text] : {std::pair{NonFiniteReport::nan, "NaN"},
                                         std::pair{NonFiniteReport::infinity, "Infinity"},
                                         std::pair{NonFiniteReport::minus_infinity, "-Infinity"}}) {
            if ((report.kinds & kind) != 0) {
                kinds += kinds.empty() ? text : fmt::format(", {}", text);
            }
        }
        out.warnings.push_back(
            {m_file, report.line,
             fmt::format("{}: {} {} value{} dropped: not finite ({})", m_benchmarks[report.benchmark].name,
                         report.count, report.unit, report.count == 1 ? "" : "s", kinds)});
    }

    for (const std::string& name : no_center) {
        out.warnings.push_back(
            {m_file, 0,
             fmt::format("benchmark {} has aggregates but no median or mean; skipped", name)});
    }
    if (from_aggregates > 0) {
        out.aggregates_only = from_iterations == 0;
        out.warnings.push_back(
            {m_file, 0,
             fmt::format("only aggregate results (--benchmark_report_aggregates_only) for {} of "
                         "{} benchmarks: their median (or mean) is used as a single value, and "
                         "significance needs per-repetition results; run without "
                         "--benchmark_report_aggregates_only, e.g. with "
                         "--benchmark_repetitions=10 "
                         "--benchmark_enable_random_interleaving=true",
                         from_aggregates, from_aggregates + from_iterations)});
    }

    for (const std::string& unit : m_units) {
        UnitInfo info;
        info.unit = unit;
        if (unit == "sec/op" || unit == "cpu-sec/op") {
            info.has_better = true;
            info.better = Better::lower;
        } else if (unit == "B/s" || unit == "items/s" || is_rate_name(unit)) {
            info.has_better = true;
            info.better = Better::higher;
        } else {
            // A counter's direction is unknown (nodes, per_thread, ...): lower is the guess for
            // display, and the gate leaves it alone unless the user states it.
            info.has_better = false;
            info.better = Better::lower;
            info.direction_unknown = true;
        }
        out.units.push_back(std::move(info));
    }
    return out;
}

// Forwards nlohmann's SAX events to the handler. This reader handles any input and words
// every syntax error; the fast reader leaves it whatever it does not handle itself. When it
// takes over part way through a streamed input, the first `mute` events are ones the handler
// has already had from the fast reader, and are dropped.
class SaxAdapter : public nlohmann::json_sax<Json> {
public:
    SaxAdapter(GbenchHandler& handler, NonFiniteLiterals& literals, std::size_t mute = 0)
        : m_handler(handler), m_literals(literals), m_mute(mute) {}

    bool null() override { return muted() || (m_handler.null_value(), true); }
    bool boolean(bool value) override { return muted() || (m_handler.boolean(value), true); }
    bool number_integer(number_integer_t value) override {
        NumberValue number;
        number.form = NumberValue::Form::integer;
        number.integer = value;
        return muted() || (m_handler.number(number), true);
    }
    bool number_unsigned(number_unsigned_t value) override {
        NumberValue number;
        number.form = NumberValue::Form::unsigned_integer;
        number.unsigned_integer = value;
        return muted() || (m_handler.number(number), true);
    }
    bool number_float(number_float_t value, const string_t& /*raw*/) override {
        NumberValue number;
        number.form = NumberValue::Form::floating;
        number.floating = m_literals.take().value_or(value);  // also for a muted event
        return muted() || (m_handler.number(number), true);
    }
    bool string(string_t& value) override { return muted() || (m_handler.string(value), true); }
    bool binary(binary_t& /*value*/) override { return muted() || (m_handler.null_value(), true); }
    bool start_object(std::size_t /*elements*/) override {
        return muted() || (m_handler.start_object(), true);
    }
    bool end_object() override { return muted() || (m_handler.end_object(), true); }
    bool start_array(std::size_t /*elements*/) override {
        return muted() || (m_handler.start_array(), true);
    }
    bool end_array() override { return muted() || (m_handler.end_array(), true); }
    bool key(string_t& value) override {
        if (muted()) {
            return true;
        }
        // The lexer reuses its string for the next token; the handler needs the key longer.
        m_key = std::move(value);
        return m_handler.key(m_key), true;
    }
    bool parse_error(std::size_t position, const std::string& last_token,
                     const nlohmann::detail::exception& error) override {
        m_handler.parse_error(position, m_literals.restore(error.what(), last_token, position));
    }

private:
    // True for an event to drop (and counts it).
    bool muted() {
        if (m_mute == 0) {
            return false;
        }
        --m_mute;
        return true;
    }

    GbenchHandler& m_handler;
    NonFiniteLiterals& m_literals;
    std::size_t m_mute;
    std::string m_key;
};

// A reader for the JSON that Google Benchmark writes, several times faster than nlohmann's
// lexer: it works on the text in memory, hands strings over as views into it (decoding only
// those with escapes) and converts numbers with std::from_chars. It accepts only what
// nlohmann's parser accepts (with NonFiniteLiterals) and reports the same events at the same
// newline counts. Anything
// it does not handle (a syntax error, a number out of range, invalid UTF-8, a top level that
// is not an object) makes it give up, and nlohmann's parser, which words the error, reads the
// text again: all of it (parse_gbench_json), or from a point shortly before the one where it
// gave up (GbenchJsonParser, see resume_point()). Errors the handler raises are final:
// nlohmann's parser would have met the same event with nothing wrong before it.
//
// The reader can be fed its text in pieces: run() reads as far as the text goes and says
// whether it needs more. Each piece must end at a newline (or be the last): a newline can only
// be whitespace between tokens in JSON, so no token this reader accepts is cut in two, and every
// check it makes sees the same characters as it would in the whole text.
class FastReader {
public:
    enum class Result { done, need_more, give_up };

    explicit FastReader(GbenchHandler& handler)
        : m_handler(handler), m_newlines(*handler.newline_counter()) {}

    // Reads on from position() in `text`, which holds what earlier calls were given from
    // first_needed() on; `last` when no more text follows. On give_up, position() and the
    // newline count are back at the start of the step that failed.
    Result run(std::string_view text, bool last) {
        m_text = text;
        for (;;) {
            m_step_start = m_pos;
            m_step_newlines = m_newlines;
            skip_space();
            if (m_pos >= m_text.size()) {
                if (!last) {
                    return Result::need_more;
                }
                return m_step == Step::after_value && m_open.empty() ? Result::done : give_up();
            }
            if (!step()) {
                return give_up();
            }
        }
    }

    std::size_t position() const { return m_pos; }

    // The first position of the text that a later run() or resume_point() still needs.
    std::size_t first_needed() const { return m_reset ? m_reset->begin : 0; }

    // The text before first_needed() has been dropped: positions move back by `count`.
    void drop_front(std::size_t count) {
        m_pos -= count;
        m_step_start -= count;
        if (m_reset) {
            m_reset->begin -= count;
            m_reset->end -= count;
        }
    }

    // Where nlohmann's parser can take over after run() gave up, without the text before it:
    // it reads `prefix` and then the text from `from` (a position of the text), drops the
    // first `mute` events, which the handler has had already, and starts with the newline
    // count at `newlines`.
    //
    // nlohmann words an error with the text its lexer read since the last string or number
    // began ("last read: ..."), so it has to start at that token: the last one this reader
    // read. The prefix puts its parser in the state it had there: in the same nest of objects
    // and arrays, at the same point of the innermost one.
    struct Resume {
        std::string prefix;
        std::size_t from = 0;
        std::size_t newlines = 0;
        std::size_t mute = 0;
    };
    Resume resume_point() const {
        Resume resume;
        if (!m_reset) {
            resume.mute = m_events;  // from the very beginning, as parse_gbench_json does
            return resume;
        }
        // The containers open at the token: those open now, unwound through the text from the
        // token to the failed step, which holds no strings (the token was the last), so every
        // bracket in it is structure.
        std::vector<bool> open = m_open;  // true: an object
        for (std::size_t i = m_step_start; i > m_reset->end; --i) {
            const char c = m_text[i - 1];
            if (c == '}' || c == ']') {
                open.push_back(c == '}');
            } else if (c == '{' || c == '[') {
                open.pop_back();
            }
        }
        std::size_t events = 0;
        for (std::size_t i = 0; i + 1 < open.size(); ++i) {
            resume.prefix += open[i] ? "{\"\":" : "[";  // then the next container is a value
            events += open[i] ? 2 : 1;
        }
        switch (m_reset->step) {
        case Step::first_member: resume.prefix += "{"; events += 1; break;
        case Step::member: resume.prefix += "{\"\":null,"; events += 3; break;
        case Step::first_element: resume.prefix += "["; events += 1; break;
        case Step::value:
            resume.prefix += open.back() ? "{\"\":" : "[null,";
            events += 2;
            break;
        default: break;  // no string or number starts at any other step
        }
        resume.from = m_reset->begin;
        resume.newlines = m_reset->newlines;
        resume.mute = events + (m_events - m_reset->events);
        return resume;
    }

private:
    // What comes next. A container's first member or element is a step of its own, because
    // only there may the container close at once.
    enum class Step {
        document,       // the top-level object
        first_member,   // after '{': a key or '}'
        member,         // after ',' in an object: a key
        colon,          // after a key
        value,          // after ':' or after ',' in an array
        first_element,  // after '[': a value or ']'
        after_value,    // ',' or the end of the container (or of the text)
    };

    // The string or number nlohmann's lexer would have begun last, see resume_point().
    struct Reset {
        std::size_t begin = 0;     // its first character
        std::size_t end = 0;       // just past its last one
        Step step = Step::value;   // the step it was read in
        std::size_t newlines = 0;  // newlines before it
        std::size_t events = 0;    // events before it
    };

    Result give_up() {
        m_pos = m_step_start;
        m_newlines = m_step_newlines;
        return Result::give_up;
    }

    // One step at m_pos, which is in the text; false to give up.
    bool step() {
        switch (m_step) {
        case Step::document:
            return at('{') && open_container();
        case Step::first_member:
            if (at('}')) {
                return close_container();
            }
            [[fallthrough]];
        case Step::member: {
            if (!at('"')) {
                return false;
            }
            const Reset reset = begin_token();
            std::string_view key;
            if (!string(key, m_unescaped_key)) {
                return false;
            }
            ++m_events;
            m_handler.key(key);
            end_token(reset, m_pos);
            m_step = Step::colon;
            return true;
        }
        case Step::colon:
            if (!at(':')) {
                return false;
            }
            ++m_pos;
            m_step = Step::value;
            return true;
        case Step::first_element:
            if (at(']')) {
                return close_container();
            }
            [[fallthrough]];
        case Step::value:
            if (at('{') || at('[')) {
                return open_container();
            }
            if (!scalar()) {
                return false;
            }
            m_step = Step::after_value;
            return true;
        case Step::after_value:
            if (m_open.empty()) {
                return false;  // something after the top-level object
            }
            if (at(',')) {
                ++m_pos;
                m_step = m_open.back() ? Step::member : Step::value;
                return true;
            }
            return at(m_open.back() ? '}' : ']') && close_container();
        }
        return false;
    }

    // The '{' or '[' at m_pos.
    bool open_container() {
        const bool object = m_text[m_pos] == '{';
        ++m_pos;
        ++m_events;
        object ? m_handler.start_object() : m_handler.start_array();
        m_open.push_back(object);
        m_step = object ? Step::first_member : Step::first_element;
        return true;
    }

    // The '}' or ']' at m_pos, which closes the innermost container.
    bool close_container() {
        ++m_pos;
        const bool object = m_open.back();
        m_open.pop_back();
        ++m_events;
        object ? m_handler.end_object() : m_handler.end_array();
        m_step = Step::after_value;
        return true;
    }

    // A string or number begins at m_pos in the current step: what m_reset becomes once it
    // has been read.
    Reset begin_token() const { return Reset{m_pos, 0, m_step, m_newlines, m_events}; }
    void end_token(Reset reset, std::size_t end) {
        reset.end = end;
        m_reset = reset;
    }

    bool at(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }

    // JSON whitespace; newlines can occur nowhere else in JSON this reader accepts.
    void skip_space() {
        // Most tokens follow one another directly; every whitespace byte is <= ' '.
        if (m_pos < m_text.size() && static_cast<unsigned char>(m_text[m_pos]) > ' ') {
            return;
        }
        skip_space_run();
    }

    void skip_space_run() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\n') {
                ++m_newlines;
                // Pretty-printed files indent every line; skip the indentation in bulk.
                constexpr std::uint64_t k_spaces = k_byte_ones * ' ';
                while (m_pos + 1 + sizeof(std::uint64_t) <= m_text.size() &&
                       load_word(m_text.data() + m_pos + 1) == k_spaces) {
                    m_pos += sizeof(std::uint64_t);
                }
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            ++m_pos;
        }
    }

    // A string, number or literal at m_pos, reported to the handler.
    bool scalar() {
        const char c = m_text[m_pos];
        if (c == '"') {
            const Reset reset = begin_token();
            std::string_view value;
            if (!string(value, m_unescaped)) {
                return false;
            }
            ++m_events;
            m_handler.string(value);
            end_token(reset, m_pos);
            return true;
        }
        const bool digit = c >= '0' && c <= '9';
        if (digit || c == '-' || c == 'N' || c == 'I') {
            // nlohmann's parser reads a non-finite literal as a number (see NonFiniteLiterals).
            const Reset reset = begin_token();
            NumberValue value;
            const NonFiniteLiteral* literal = digit ? nullptr : non_finite_literal_at(m_text.substr(m_pos));
            if (literal != nullptr) {
                value.floating = literal->value;
                m_pos += literal->text.size();
            } else if (!number(value)) {
                return false;
            }
            const std::size_t end = m_pos;
            // nlohmann's lexer reads one character past a number before the number is
            // reported, and counts it when it is a newline.
            if (at('\n')) {
                ++m_pos;
                ++m_newlines;
            }
            ++m_events;
            m_handler.number(value);
            end_token(reset, end);
            return true;
        }
        const std::string_view rest = m_text.substr(m_pos);
        if (rest.substr(0, 4) == "true") {
            m_pos += 4;
            ++m_events;
            m_handler.boolean(true);
            return true;
        }
        if (rest.substr(0, 5) == "false") {
            m_pos += 5;
            ++m_events;
            m_handler.boolean(false);
            return true;
        }
        if (rest.substr(0, 4) == "null") {
            m_pos += 4;
            ++m_events;
            m_handler.null_value();
            return true;
        }
        return false;
    }

    // A number, classified as nlohmann does: an integer that fits long long (with a minus
    // sign) or unsigned long long (without), otherwise a double.
    bool number(NumberValue& value) {
        const std::size_t begin = m_pos;
        if (at('-')) {
            ++m_pos;
        }
        if (at('0')) {
            ++m_pos;
        } else if (!digits()) {
            return false;
        }
        bool integer = true;
        if (at('.')) {
            ++m_pos;
            integer = false;
            if (!digits()) {
                return false;
            }
        }
        if (at('e') || at('E')) {
            ++m_pos;
            integer = false;
            if (at('+') || at('-')) {
                ++m_pos;
            }
            if (!digits()) {
                return false;
            }
        }
        const char* first = m_text.data() + begin;
        const char* last = m_text.data() + m_pos;
        if (integer) {
            if (*first == '-') {
                const auto [end, error] = std::from_chars(first, last, value.integer);
                if (error == std::errc{} && end == last) {
                    value.form = NumberValue::Form::integer;
                    return true;
                }
            } else {
                const auto [end, error] = std::from_chars(first, last, value.unsigned_integer);
                if (error == std::errc{} && end == last) {
                    value.form = NumberValue::Form::unsigned_integer;
                    return true;
                }
            }
        }
        // Out of range (1e999) would differ from strtod's infinity; leave such numbers to
        // nlohmann.
        const auto [end, error] = std::from_chars(first, last, value.floating);
        value.form = NumberValue::Form::floating;
        return error == std::errc{} && end == last;
    }

    // One or more decimal digits.
    bool digits() {
        const std::size_t begin = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
            ++m_pos;
        }
        return m_pos > begin;
    }

    // The string starting at the quote at m_pos. The result views the text, or `unescaped`
    // when the string has escapes; keys and values have separate buffers, so that a key stays
    // valid while its value is read.
    bool string(std::string_view& out, std::string& unescaped) {
        ++m_pos;  // the opening quote
        const std::size_t begin = m_pos;
        bool escaped = false;
        for (;;) {
            const std::size_t run = m_pos;
            m_pos = json_scan::plain_run_end(m_text, m_pos, /*stop_at_non_ascii=*/true);
            if (escaped) {
                unescaped.append(m_text.data() + run, m_pos - run);
            }
            if (m_pos >= m_text.size()) {
                return false;
            }
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (c == '"') {
                out = escaped ? std::string_view(unescaped)
                              : m_text.substr(begin, m_pos - begin);
                ++m_pos;
                return true;
            }
            if (c >= 0x80) {
                const std::size_t from = m_pos;
                if (!utf8_sequence()) {
                    return false;
                }
                if (escaped) {
                    unescaped.append(m_text.data() + from, m_pos - from);
                }
                continue;
            }
            if (c != '\\') {
                return false;  // a control character
            }
            if (!escaped) {
                escaped = true;
                unescaped.assign(m_text.data() + begin, m_pos - begin);
            }
            if (!escape(unescaped)) {
                return false;
            }
        }
    }

    // One well-formed UTF-8 sequence of two to four bytes at m_pos (RFC 3629, as nlohmann
    // checks it).
    bool utf8_sequence() {
        const auto byte = [&](std::size_t i) {
            return m_pos + i < m_text.size() ? static_cast<unsigned char>(m_text[m_pos + i]) : 0;
        };
        const auto in = [](unsigned c, unsigned low, unsigned high) { return c >= low && c <= high; };
        const unsigned lead = byte(0);
        std::size_t length = 0;
        unsigned second_low = 0x80;
        unsigned second_high = 0xBF;
        if (in(lead, 0xC2, 0xDF)) {
            length = 2;
        } else if (lead == 0xE0) {
            length = 3, second_low = 0xA0;
        } else if (in(lead, 0xE1, 0xEC) || in(lead, 0xEE, 0xEF)) {
            length = 3;
        } else if (lead == 0xED) {
            length = 3, second_high = 0x9F;
        } else if (lead == 0xF0) {
            length = 4, second_low = 0x90;
        } else if (in(lead, 0xF1, 0xF3)) {
            length = 4;
        } else if (lead == 0xF4) {
            length = 4, second_high = 0x8F;
        } else {
            return false;
        }
        if (!in(byte(1), second_low, second_high)) {
            return false;
        }
        for (std::size_t i = 2; i < length; ++i) {
            if (!in(byte(i), 0x80, 0xBF)) {
                return false;
            }
        }
        m_pos += length;
        return true;
    }

    // The escape at m_pos (at its backslash), decoded onto `out`.
    bool escape(std::string& out) {
        if (m_pos + 1 >= m_text.size()) {
            return false;
        }
        const char kind = m_text[m_pos + 1];
        m_pos += 2;
        switch (kind) {
        case '"': out += '"'; return true;
        case '\\': out += '\\'; return true;
        case '/': out += '/'; return true;
        case 'b': out += '\b'; return true;
        case 'f': out += '\f'; return true;
        case 'n': out += '\n'; return true;
        case 'r': out += '\r'; return true;
        case 't': out += '\t'; return true;
        case 'u': break;
        default: return false;
        }
        std::uint32_t code = 0;
        if (!hex4(code)) {
            return false;
        }
        if (code >= 0xDC00 && code <= 0xDFFF) {
            return false;  // a low surrogate without a high one
        }
        if (code >= 0xD800 && code <= 0xDBFF) {
            // A character outside the BMP, as a UTF-16 surrogate pair.
            std::uint32_t low = 0;
            if (m_text.substr(m_pos, 2) != "\\u") {
                return false;
            }
            m_pos += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                return false;
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        json_scan::append_utf8(out, code);
        return true;
    }

    bool hex4(std::uint32_t& value) {
        if (m_pos + 4 > m_text.size()) {
            return false;
        }
        for (int i = 0; i < 4; ++i) {
            const int digit = json_scan::hex_value(m_text[m_pos++]);
            if (digit < 0) {
                return false;
            }
            value = (value << 4) | static_cast<std::uint32_t>(digit);
        }
        return true;
    }

    std::string_view m_text;
    GbenchHandler& m_handler;
    std::size_t& m_newlines;
    std::size_t m_pos = 0;
    Step m_step = Step::document;
    std::vector<bool> m_open;          // the open containers, innermost last; true: an object
    std::size_t m_step_start = 0;      // where the current step began
    std::size_t m_step_newlines = 0;   // and the newline count there
    std::size_t m_events = 0;          // events reported so far
    std::optional<Reset> m_reset;      // the last string or number read
    std::string m_unescaped;      // a string value with escapes, decoded
    std::string m_unescaped_key;  // a key with escapes, decoded
};

}  // namespace

ParsedInput parse_gbench_json(std::string_view text, std::string_view file) {
    {
        GbenchHandler handler(text, file);
        if (FastReader(handler).run(text, /*last=*/true) == FastReader::Result::done) {
            return handler.finish();
        }
    }
    // Start over with nlohmann's parser, whose messages name what is wrong.
    GbenchHandler handler(text, file);
    NonFiniteLiterals literals(text);
    SaxAdapter adapter(handler, literals);
    const std::string_view parser_text = literals.parser_text();
    LineCountingIterator first(parser_text.data(), handler.newline_counter(), &literals);
    LineCountingIterator last(parser_text.data() + parser_text.size(), handler.newline_counter(), &literals);
    Json::sax_parse(first, last, &adapter);
    return handler.finish();
}

// The fast reader runs on the complete lines received so far; the text before the last
// string or number it read is dropped after each run, so memory holds about one block. When
// the fast reader gives up, the rest of the input is gathered behind the prefix of its resume
// point, and nlohmann's parser reads that at the end.
struct GbenchJsonParser::State {
    explicit State(std::string_view file) : handler({}, file), reader(handler) {}

    GbenchHandler handler;
    FastReader reader;
    std::string text;       // the fast reader's text: from its first_needed() on
    bool fallback = false;  // the fast reader gave up; `text` is nlohmann's
    std::size_t prefix = 0;     // for nlohmann: the length of the prefix at the start of `text`
    std::size_t newlines = 0;   // the newline count where the input part of `text` starts
    std::size_t mute = 0;       // events to drop

    void run(std::string_view upto, bool last) {
        const FastReader::Result result = reader.run(upto, last);
        if (result == FastReader::Result::give_up) {
            start_fallback();
        } else if (result == FastReader::Result::need_more) {
            // The handler's key may view the text that is about to move.
            handler.own_key();
            const std::size_t drop = reader.first_needed();
            text.erase(0, drop);
            reader.drop_front(drop);
        }
    }

    void start_fallback() {
        handler.own_key();
        FastReader::Resume resume = reader.resume_point();
        prefix = resume.prefix.size();
        resume.prefix.append(text, resume.from);
        text = std::move(resume.prefix);
        fallback = true;
        newlines = resume.newlines;
        mute = resume.mute;
    }
};

GbenchJsonParser::GbenchJsonParser(std::string_view file) : m_state(std::make_unique<State>(file)) {}

GbenchJsonParser::~GbenchJsonParser() = default;

void GbenchJsonParser::add(std::string_view block) {
    State& state = *m_state;
    const std::size_t old_size = state.text.size();
    state.text.append(block);
    if (state.fallback) {
        return;
    }
    // Only complete lines: the last newline of the block ends what the fast reader may read.
    const std::size_t newline = block.rfind('\n');
    if (newline == std::string_view::npos) {
        return;
    }
    state.run(std::string_view(state.text).substr(0, old_size + newline + 1), /*last=*/false);
}

ParsedInput GbenchJsonParser::finish() {
    State& state = *m_state;
    if (!state.fallback) {
        state.run(state.text, /*last=*/true);
        if (!state.fallback) {
            return state.handler.finish();
        }
    }
    const std::string_view text = state.text;
    state.handler.set_error_origin(text.substr(state.prefix), state.prefix, state.newlines);
    *state.handler.newline_counter() = state.newlines;
    NonFiniteLiterals literals(text);
    SaxAdapter adapter(state.handler, literals, state.mute);
    const std::string_view parser_text = literals.parser_text();
    LineCountingIterator first(parser_text.data(), state.handler.newline_counter(), &literals);
    LineCountingIterator last(parser_text.data() + parser_text.size(), state.handler.newline_counter(), &literals);
    Json::sax_parse(first, last, &adapter);
    return state.handler.finish();
}

}  // namespace ksail_benchstat
