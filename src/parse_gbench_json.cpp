// Parser for Google Benchmark JSON: a streaming (SAX) reader that turns repetitions into samples.
#include "ksail_benchstat/parse_gbench_json.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ksail_benchstat/errors.hpp"

namespace ksail_benchstat {
namespace {

using Json = nlohmann::json;

// nlohmann's SAX events carry no position, so the input iterator counts the newlines the lexer
// has consumed. Single-character tokens ('{', keys) are reported before any look-ahead, which
// makes the count exact for the places we report (object starts and keys).
class LineCountingIterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    LineCountingIterator() = default;
    LineCountingIterator(const char* position, std::size_t* newlines)
        : m_position(position), m_newlines(newlines) {}

    reference operator*() const { return *m_position; }
    LineCountingIterator& operator++() {
        if (*m_position == '\n') {
            ++*m_newlines;
        }
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
};

// Fields of a benchmark entry that are not user counters (Google Benchmark 1.5 to 1.9).
bool is_known_field(std::string_view key) {
    static constexpr std::string_view k_known[] = {
        "name",         "family_index",     "per_family_instance_index",
        "run_name",     "run_type",         "repetitions",
        "repetition_index", "threads",      "iterations",
        "real_time",    "cpu_time",         "time_unit",
        "label",        "error_occurred",   "error_message",
        "skipped",      "skip_message",     "aggregate_name",
        "aggregate_unit", "big_o",          "rms",
        "complexity_n", "cpu_coefficient",  "real_coefficient",
    };
    return std::find(std::begin(k_known), std::end(k_known), key) != std::end(k_known);
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
    std::string label;
    std::string message;  // error_message or skip_message
    bool error_occurred = false;
    bool skipped = false;
    std::optional<double> real_time;
    std::optional<double> cpu_time;
    std::vector<std::pair<std::string, double>> counters;  // in file order
};

// A metric of one benchmark, as (unit, value) pairs taken from one entry.
using Measurements = std::vector<std::pair<std::string, double>>;

struct MetricSamples {
    std::string unit;
    std::vector<double> values;
    std::size_t line = 0;
};

// What we know about one benchmark (one run_name) while reading.
struct BenchmarkState {
    std::string name;
    std::string label;
    std::size_t iteration_entries = 0;  // including errored / skipped ones
    std::vector<MetricSamples> metrics; // from usable iteration entries, in first-seen order
    std::optional<std::pair<Measurements, std::size_t>> median;  // aggregate and its line
    std::optional<std::pair<Measurements, std::size_t>> mean;
    bool has_other_aggregates = false;
};

// An errored or skipped benchmark, reported once per (benchmark, kind, message).
struct ExclusionReport {
    std::size_t benchmark = 0;
    bool skipped = false;
    std::string message;
    std::size_t line = 0;
    std::size_t count = 0;
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

class GbenchHandler : public nlohmann::json_sax<Json> {
public:
    GbenchHandler(std::string_view text, std::string_view file) : m_text(text), m_file(file) {}

    std::size_t* newline_counter() { return &m_newlines; }

    ParsedInput finish();

    // --- SAX callbacks -------------------------------------------------------------------
    bool null() override { return scalar(Scalar{}); }
    bool boolean(bool value) override {
        Scalar s;
        s.kind = Scalar::Kind::boolean;
        s.boolean = value;
        return scalar(s);
    }
    // Only context values are kept as text; formatting every number would dominate the run time.
    bool number_integer(number_integer_t value) override {
        return number(static_cast<double>(value),
                      in_context() ? fmt::format("{}", value) : std::string());
    }
    bool number_unsigned(number_unsigned_t value) override {
        return number(static_cast<double>(value),
                      in_context() ? fmt::format("{}", value) : std::string());
    }
    bool number_float(number_float_t value, const string_t& /*raw*/) override {
        return number(value, in_context() ? format_number(value) : std::string());
    }
    bool string(string_t& value) override {
        Scalar s;
        s.kind = Scalar::Kind::string;
        s.text = std::move(value);
        return scalar(s);
    }
    bool binary(binary_t& /*value*/) override { return scalar(Scalar{}); }
    bool start_object(std::size_t /*elements*/) override;
    bool end_object() override;
    bool start_array(std::size_t /*elements*/) override;
    bool end_array() override;
    bool key(string_t& value) override {
        m_key = std::move(value);
        m_key_line = line();
        return true;
    }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& error) override;

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
        std::string text;  // the string, or the number as written back
    };

    std::size_t line() const { return m_newlines + 1; }
    bool in_context() const {
        return m_skip_depth == 0 && !m_frames.empty() && m_frames.back() == Frame::context;
    }
    Frame top() const { return m_frames.back(); }

    bool number(double value, std::string text) {
        Scalar s;
        s.kind = Scalar::Kind::number;
        s.number = value;
        s.text = std::move(text);
        return scalar(s);
    }
    bool scalar(Scalar& value);
    bool scalar(Scalar&& value) { return scalar(value); }
    void context_value(Scalar& value);
    void entry_value(Scalar& value);
    void finish_entry();
    void add_measurements(BenchmarkState& benchmark, const Measurements& values, std::size_t line);
    Measurements measurements_of(const Entry& entry) const;
    std::size_t benchmark_index(const std::string& name);
    void note_exclusion(std::size_t benchmark, bool skipped, const std::string& message,
                        std::size_t line);
    void note_unit(const std::string& unit);
    [[noreturn]] void fail(std::size_t at_line, std::string_view message) const {
        throw InputError(located(m_file, at_line, message));
    }

    std::string_view m_text;
    std::string m_file;
    std::size_t m_newlines = 0;

    std::vector<Frame> m_frames;
    std::size_t m_skip_depth = 0;
    std::string m_key;
    std::size_t m_key_line = 0;
    bool m_seen_root = false;
    bool m_seen_benchmarks = false;

    Config m_config;
    std::vector<CacheInfo> m_caches;
    std::optional<std::size_t> m_caches_slot;  // position of "caches" in m_config
    long long m_num_cpus = 0;
    std::vector<Diagnostic> m_context_warnings;

    Entry m_entry;
    std::vector<BenchmarkState> m_benchmarks;
    std::unordered_map<std::string, std::size_t> m_benchmark_index;
    std::vector<ExclusionReport> m_exclusions;
    std::vector<std::string> m_units;  // in first-use order
};

bool GbenchHandler::start_object(std::size_t /*elements*/) {
    if (m_skip_depth > 0) {
        ++m_skip_depth;
        return true;
    }
    if (m_frames.empty()) {
        if (m_seen_root) {
            fail(line(), "unexpected second JSON document");
        }
        m_seen_root = true;
        m_frames.push_back(Frame::root);
        return true;
    }
    switch (top()) {
    case Frame::root:
        if (m_key == "context") {
            m_frames.push_back(Frame::context);
            return true;
        }
        if (m_key == "benchmarks") {
            fail(m_key_line, "\"benchmarks\" is not an array");
        }
        break;
    case Frame::caches:
        m_caches.emplace_back();
        m_frames.push_back(Frame::cache);
        return true;
    case Frame::benchmarks:
        m_entry = Entry{};
        m_entry.line = line();
        m_frames.push_back(Frame::entry);
        return true;
    default:
        break;
    }
    m_skip_depth = 1;
    return true;
}

bool GbenchHandler::end_object() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return true;
    }
    const Frame frame = top();
    m_frames.pop_back();
    if (frame == Frame::entry) {
        finish_entry();
    } else if (frame == Frame::root && !m_seen_benchmarks) {
        fail(0, "no \"benchmarks\" array; not Google Benchmark JSON output");
    }
    return true;
}

bool GbenchHandler::start_array(std::size_t /*elements*/) {
    if (m_skip_depth > 0) {
        ++m_skip_depth;
        return true;
    }
    if (m_frames.empty()) {
        fail(line(), "expected a JSON object with a \"benchmarks\" array, found an array");
    }
    if (top() == Frame::root && m_key == "benchmarks") {
        m_seen_benchmarks = true;
        m_frames.push_back(Frame::benchmarks);
        return true;
    }
    if (top() == Frame::context && m_key == "caches") {
        m_caches_slot = m_config.size();
        m_config.emplace_back("caches", "");
        m_frames.push_back(Frame::caches);
        return true;
    }
    if (top() == Frame::benchmarks) {
        fail(line(), "entry of \"benchmarks\" is not an object");
    }
    if (top() == Frame::root && m_key == "context") {
        fail(m_key_line, "\"context\" is not an object");
    }
    m_skip_depth = 1;
    return true;
}

bool GbenchHandler::end_array() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return true;
    }
    if (top() == Frame::caches && m_caches_slot) {
        m_config[*m_caches_slot].second = summarise_caches(m_caches, m_num_cpus);
    }
    m_frames.pop_back();
    return true;
}

bool GbenchHandler::scalar(Scalar& value) {
    if (m_skip_depth > 0) {
        return true;
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
            cache.type = value.text;
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
    return true;
}

void GbenchHandler::context_value(Scalar& value) {
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
    m_config.emplace_back(m_key == "host_name" ? std::string("host") : m_key, std::move(text));
}

void GbenchHandler::entry_value(Scalar& value) {
    const std::string& key = m_key;
    Entry& entry = m_entry;
    if (key == "real_time" || key == "cpu_time") {
        if (value.kind != Scalar::Kind::number) {
            fail(m_key_line, fmt::format("\"{}\" is not a number", key));
        }
        (key == "real_time" ? entry.real_time : entry.cpu_time) = value.number;
        return;
    }
    if (value.kind == Scalar::Kind::string) {
        if (key == "name") {
            entry.name = std::move(value.text);
        } else if (key == "run_name") {
            entry.run_name = std::move(value.text);
        } else if (key == "run_type") {
            entry.run_type = std::move(value.text);
        } else if (key == "aggregate_name") {
            entry.aggregate_name = std::move(value.text);
        } else if (key == "time_unit") {
            entry.time_unit = std::move(value.text);
        } else if (key == "label") {
            entry.label = std::move(value.text);
        } else if (key == "error_message" || key == "skip_message") {
            entry.message = std::move(value.text);
        }
        return;
    }
    if (key == "error_occurred") {
        entry.error_occurred = value.kind == Scalar::Kind::boolean ? value.boolean
                                                                   : value.number != 0;
        return;
    }
    if (key == "skipped") {
        entry.skipped = value.kind == Scalar::Kind::boolean ? value.boolean : value.number != 0;
        return;
    }
    if (value.kind == Scalar::Kind::number && !is_known_field(key)) {
        entry.counters.emplace_back(key, value.number);
    }
}

std::size_t GbenchHandler::benchmark_index(const std::string& name) {
    auto [it, inserted] = m_benchmark_index.try_emplace(name, m_benchmarks.size());
    if (inserted) {
        m_benchmarks.emplace_back();
        m_benchmarks.back().name = name;
    }
    return it->second;
}

Measurements GbenchHandler::measurements_of(const Entry& entry) const {
    // Dividing by an exactly representable power of ten rounds once; multiplying by 1e-9 (not
    // representable) would make 3 ns come out as 3.0000000000000004e-09.
    double divisor = 1e9;  // Google Benchmark's default time unit is ns
    if (entry.time_unit.empty() || entry.time_unit == "ns") {
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
    Measurements out;
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
        } else {
            out.emplace_back(counter, value);
        }
    }
    return out;
}

void GbenchHandler::add_measurements(BenchmarkState& benchmark, const Measurements& values,
                                     std::size_t at_line) {
    for (const auto& measurement : values) {
        // Not a structured binding: clang 14 cannot capture one in a lambda.
        const auto& unit = measurement.first;
        const double value = measurement.second;
        auto it = std::find_if(benchmark.metrics.begin(), benchmark.metrics.end(),
                               [&](const MetricSamples& m) { return m.unit == unit; });
        if (it == benchmark.metrics.end()) {
            benchmark.metrics.push_back({unit, {}, at_line});
            it = std::prev(benchmark.metrics.end());
        }
        it->values.push_back(value);
    }
}

void GbenchHandler::note_exclusion(std::size_t benchmark, bool skipped, const std::string& message,
                                   std::size_t at_line) {
    for (ExclusionReport& report : m_exclusions) {
        if (report.benchmark == benchmark && report.skipped == skipped &&
            report.message == message) {
            ++report.count;
            return;
        }
    }
    m_exclusions.push_back({benchmark, skipped, message, at_line, 1});
}

void GbenchHandler::finish_entry() {
    Entry& entry = m_entry;
    if (entry.name.empty() && entry.run_name.empty()) {
        fail(entry.line, "benchmark entry has no \"name\"");
    }
    const bool is_aggregate =
        entry.run_type == "aggregate" || (entry.run_type.empty() && !entry.aggregate_name.empty());
    std::string identity = entry.run_name;
    if (identity.empty()) {
        // Files without run_name name aggregates "BM_X_mean"; group them with BM_X.
        identity = entry.name;
        const std::string suffix = "_" + entry.aggregate_name;
        if (is_aggregate && !entry.aggregate_name.empty() && ends_with(identity, suffix)) {
            identity.resize(identity.size() - suffix.size());
        }
    }
    // Complexity fits describe a whole family, not a repetition.
    if (entry.aggregate_name == "BigO" || entry.aggregate_name == "RMS" ||
        ends_with(entry.name, "_BigO") || ends_with(entry.name, "_RMS") ||
        ends_with(identity, "_BigO") || ends_with(identity, "_RMS")) {
        return;
    }
    const std::size_t index = benchmark_index(identity);
    BenchmarkState& benchmark = m_benchmarks[index];
    if (is_aggregate) {
        if (entry.error_occurred || entry.skipped) {
            return;
        }
        if (entry.aggregate_name == "median") {
            benchmark.median.emplace(measurements_of(entry), entry.line);
        } else if (entry.aggregate_name == "mean") {
            benchmark.mean.emplace(measurements_of(entry), entry.line);
        } else {
            benchmark.has_other_aggregates = true;
        }
        return;
    }
    ++benchmark.iteration_entries;
    if (entry.error_occurred || entry.skipped) {
        note_exclusion(index, !entry.error_occurred, entry.message, entry.line);
        return;
    }
    if (benchmark.label.empty()) {
        benchmark.label = entry.label;
    }
    add_measurements(benchmark, measurements_of(entry), entry.line);
}

void GbenchHandler::note_unit(const std::string& unit) {
    if (std::find(m_units.begin(), m_units.end(), unit) == m_units.end()) {
        m_units.push_back(unit);
    }
}

bool GbenchHandler::parse_error(std::size_t position, const std::string& /*last_token*/,
                                const nlohmann::detail::exception& error) {
    // position counts the characters read, the offending one included.
    const std::size_t end = std::min(position > 0 ? position - 1 : 0, m_text.size());
    const auto newlines = std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
    std::string_view what = error.what();
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line L, column C: why";
    // we print our own location, so keep only the why.
    if (const auto column = what.find("column "); column != std::string_view::npos) {
        if (const auto colon = what.find(": ", column); colon != std::string_view::npos) {
            what.remove_prefix(colon + 2);
        }
    }
    fail(static_cast<std::size_t>(newlines) + 1, fmt::format("malformed JSON: {}", what));
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
        std::string message = fmt::format(
            "benchmark {} {} in {} of {} repetitions; excluded", benchmark.name,
            report.skipped ? "was skipped" : "reported an error", report.count,
            benchmark.iteration_entries);
        if (!report.message.empty()) {
            message += fmt::format(": {}", report.message);
        }
        out.warnings.push_back({m_file, report.line, std::move(message)});
    }

    std::size_t from_iterations = 0;
    std::size_t from_aggregates = 0;
    std::vector<std::string> no_center;
    for (BenchmarkState& benchmark : m_benchmarks) {
        if (!benchmark.metrics.empty()) {
            ++from_iterations;
            for (MetricSamples& metric : benchmark.metrics) {
                note_unit(metric.unit);
                out.series.push_back(Series{0, benchmark.name, metric.unit,
                                            std::move(metric.values), metric.line,
                                            benchmark.label});
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
        for (const auto& [unit, value] : center->first) {
            note_unit(unit);
            out.series.push_back(Series{0, benchmark.name, unit, {value}, center->second, ""});
        }
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
            // A counter's direction is unknown (nodes, per_thread, ...); lower is the guess.
            info.has_better = false;
            info.better = Better::lower;
        }
        out.units.push_back(std::move(info));
    }
    return out;
}

}  // namespace

ParsedInput parse_gbench_json(std::string_view text, std::string_view file) {
    GbenchHandler handler(text, file);
    LineCountingIterator first(text.data(), handler.newline_counter());
    LineCountingIterator last(text.data() + text.size(), handler.newline_counter());
    Json::sax_parse(first, last, &handler);
    return handler.finish();
}

}  // namespace ksail_benchstat
