// The command line: options, reading inputs, the one catch site, writing the output.
#include "ksail_benchstat/cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/gate_config.hpp"
#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

constexpr const char* k_program = "ksail-benchstat";

// Every message is one line on standard error, even when it quotes a benchmark name or an error
// text from the input (Google Benchmark JSON may hold line breaks in both): they become spaces.
std::string one_line(std::string_view text) {
    std::string out(text);
    std::replace_if(out.begin(), out.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
    return out;
}

struct CliOptions {
    std::vector<std::string> files;
    std::string format = "text";
    std::string output;
    std::string color = "auto";
    std::string summary;
    double alpha = 0.05;
    double confidence = 0.95;
    bool fail_on_regression = false;
    std::string gate_rule = "interval";
    std::vector<std::string> thresholds;
    std::string gate_config;
    std::vector<std::string> requirements;
    std::vector<std::string> excludes;
    std::string min_time;
    bool allow_cpu_mismatch = false;
    std::vector<std::string> compare_names;
    std::string correction = "none";
    std::string sort = "none";
    bool ignore_procs = false;
    std::vector<std::string> higher_better;
    std::vector<std::string> lower_better;
    std::string filter = "*";
    std::string table = ".config";
    std::string row = ".fullname";
    std::string col = ".file";
    std::string ignore;
    std::string equivalence;
    bool fail_on_inconclusive = false;
    std::string center = "median";
};

// The whole of `text` as a finite decimal number ("0.05", "5e-2", "+0.05"): one sign at most, no
// blanks around it, no hexadecimal, no "inf" or "nan".
std::optional<double> whole_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
        if (!text.empty() && text.front() == '-') return std::nullopt;  // one sign only
    }
    double v = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

// Parses --equivalence: a positive percentage such as "5%" or "2.5".
double parse_equivalence(const std::string& text) {
    std::string_view number = text;
    if (!number.empty() && number.back() == '%') number.remove_suffix(1);
    const std::optional<double> read = whole_number(number);
    const double v = read.value_or(0);
    if (!read || v <= 0 || v >= 100) {
        throw UsageError(fmt::format("--equivalence must be a percentage above 0 and below 100, such as 5%, got {:?}", text));
    }
    return v;
}

// Splits "LEFT=RIGHT" of --compare-names; each side is a glob with exactly one '*'.
std::pair<std::string, std::string> parse_name_pair(const std::string& text) {
    auto eq = text.find('=');
    if (eq == std::string::npos) {
        throw UsageError(fmt::format("--compare-names expects BASELINE_GLOB=CONTENDER_GLOB, got {:?}", text));
    }
    std::string left = text.substr(0, eq);
    std::string right = text.substr(eq + 1);
    for (const auto& side : {left, right}) {
        if (std::count(side.begin(), side.end(), '*') != 1) {
            throw UsageError(fmt::format(
                "--compare-names: each side needs exactly one '*' standing for the shared part, got {:?}", text));
        }
    }
    return {left, right};
}

// Matches `name` against a glob with one '*'; on success stores what the '*' stood for.
bool match_one_star(const std::string& glob, std::string_view name, std::string& captured) {
    auto star = glob.find('*');
    std::string prefix = glob.substr(0, star);
    std::string suffix = glob.substr(star + 1);
    if (name.size() < prefix.size() + suffix.size()) return false;
    if (name.compare(0, prefix.size(), prefix) != 0) return false;
    if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
    captured = std::string(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
    return true;
}

// Turns one input into two: the baseline benchmarks (matching the left glob) and their contenders
// (the right glob with the same '*' part), each renamed "LEFT vs RIGHT" so they share a row.
// This compares two implementations measured in one run, the fairest comparison there is.
std::vector<InputFile> split_by_names(const InputFile& file, const std::vector<std::pair<std::string, std::string>>& pairs) {
    InputFile base;
    InputFile contender;
    base.label = pairs.size() == 1 ? pairs[0].first : "baseline";
    contender.label = pairs.size() == 1 ? pairs[0].second : "contender";
    base.path = contender.path = file.path;
    for (InputFile* f : {&base, &contender}) {
        f->parsed.format = file.parsed.format;
        f->parsed.configs = file.parsed.configs;
        f->parsed.units = file.parsed.units;
        f->parsed.aggregates_only = file.parsed.aggregates_only;
    }
    base.parsed.warnings = file.parsed.warnings;
    // The series of each (name, configuration, unit), in file order: a counterpart is looked up
    // rather than searched for among every series, of which a large file has hundreds of thousands.
    const auto key_of = [](std::string_view name, std::size_t config, std::string_view unit) {
        const std::size_t name_size = name.size();
        std::string key(reinterpret_cast<const char*>(&config), sizeof config);
        key.append(reinterpret_cast<const char*>(&name_size), sizeof name_size);
        key.append(name);
        key.append(unit);
        return key;
    };
    std::unordered_map<std::string, std::vector<std::size_t>> series_by_key;
    for (std::size_t i = 0; i < file.parsed.series.size(); ++i) {
        const Series& s = file.parsed.series[i];
        series_by_key[key_of(s.name.view(), s.config, s.unit.view())].push_back(i);
    }
    std::size_t matched = 0;
    for (const auto& series : file.parsed.series) {
        for (const auto& [left, right] : pairs) {
            std::string captured;
            if (!match_one_star(left, series.name, captured)) continue;
            std::string other = right;
            other.replace(other.find('*'), 1, captured);
            const auto counterparts = series_by_key.find(key_of(other, series.config, series.unit.view()));
            if (counterparts != series_by_key.end()) {
                for (const std::size_t at : counterparts->second) {
                    Series a = series;
                    Series b = file.parsed.series[at];
                    a.name = b.name = series.name + " vs " + other;
                    base.parsed.series.push_back(std::move(a));
                    contender.parsed.series.push_back(std::move(b));
                    ++matched;
                }
            }
            break;
        }
    }
    if (matched == 0) {
        throw UsageError(fmt::format("--compare-names: no benchmark of {} has a counterpart matching the patterns",
                                     file.path));
    }
    std::vector<InputFile> out;
    out.push_back(std::move(base));
    out.push_back(std::move(contender));
    return out;
}

// Parses a duration such as "100ns", "1.5us", "2µs", "0.001s" or a bare number of nanoseconds.
// The same reading as a gate file's min_time, with the command line's own message.
double parse_duration(const std::string& text) {
    try {
        return parse_absolute_limit(text, "ns/op", "--min-time");
    } catch (const InputError&) {
        throw UsageError(fmt::format("--min-time must be a duration such as 100ns, 2us or 0.5ms, got {:?}", text));
    }
}

// benchstat spells long options with one dash (-alpha 0.01); accept that spelling for every long
// option so existing scripts only change the command name.
std::vector<std::string> normalize_dashes(const std::vector<std::string>& args, const std::set<std::string>& longs) {
    std::vector<std::string> out;
    bool positional_only = false;
    for (const auto& a : args) {
        if (positional_only) {
            out.push_back(a);
            continue;
        }
        if (a == "--") positional_only = true;
        if (a.size() > 2 && a[0] == '-' && a[1] != '-') {
            std::string name = a.substr(1, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 1);
            if (longs.count(name) != 0) {
                out.push_back("-" + a);
                continue;
            }
        }
        out.push_back(a);
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(located(path, 0, "is a directory, not a file"));
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw InputError(located(path, 0, fmt::format("cannot open: {}", std::strerror(errno))));
    std::string data;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
    bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw InputError(located(path, 0, "read error"));
    return data;
}

// Reads and parses one input, streaming it from the file or standard input.
ParsedInput read_input(const std::string& path) {
    if (path == "-") {
        std::streambuf* in = std::cin.rdbuf();
        return parse_input_stream(
            [in](char* buffer, std::size_t size) {
                return static_cast<std::size_t>(in->sgetn(buffer, static_cast<std::streamsize>(size)));
            },
            "<stdin>");
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(located(path, 0, "is a directory, not a file"));
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw InputError(located(path, 0, fmt::format("cannot open: {}", std::strerror(errno))));
    std::FILE* stream = f.get();
    // A hint only: a size that cannot be read, or is implausible, just means no reservation.
    const std::uintmax_t file_bytes = std::filesystem::file_size(path, ec);
    const std::size_t size_hint = !ec && file_bytes < (std::uintmax_t{1} << 40) ? static_cast<std::size_t>(file_bytes) : 0;
    return parse_input_stream(
        [stream, &path](char* buffer, std::size_t size) {
            const std::size_t n = std::fread(buffer, 1, size, stream);
            if (n == 0 && std::ferror(stream) != 0) throw InputError(located(path, 0, "read error"));
            return n;
        },
        path, size_hint);
}

// Where -o and --summary write, once PATH's symbolic links are followed.
struct OutputTarget {
    std::string path;                     // the file to replace or create; PATH itself when in place
    bool in_place = false;                // a device, FIFO, socket or open descriptor: written straight
    std::optional<struct stat> replaced;  // the regular file there now, whose mode and owner are kept
};

// As many links as the kernel follows in one path before it gives up with ELOOP.
constexpr int k_max_link_hops = 40;

// Follows PATH's symbolic links, so that a link stays and its target is written (a dangling link's
// target is created). Links in /proc, where /dev/stdout and /dev/fd/N lead, name an open descriptor
// rather than a file, so such a PATH is written in place. Throws OutputError when PATH is a folder
// or its links go round in circles.
OutputTarget output_target(const std::string& path) {
    namespace fs = std::filesystem;
    std::string at = path;
    for (int hops = 0; hops <= k_max_link_hops; ++hops) {
        struct stat st {};
        // Nothing there yet: the rename creates it (and a missing folder fails there, with its reason).
        if (::lstat(at.c_str(), &st) != 0) return {at, false, std::nullopt};
        if (S_ISDIR(st.st_mode)) throw OutputError(fmt::format("cannot write {}: is a directory", path));
        if (S_ISREG(st.st_mode)) return {at, false, st};
        if (!S_ISLNK(st.st_mode)) return {at, true, std::nullopt};
        const fs::path link = fs::absolute(at);
        std::error_code ec;
        if (fs::canonical(link.parent_path(), ec).string().starts_with("/proc/")) return {path, true, std::nullopt};
        const fs::path next = fs::read_symlink(link, ec);
        if (ec) throw OutputError(fmt::format("cannot write {}: {}", path, ec.message()));
        at = (next.is_relative() ? fs::path(at).parent_path() / next : next).string();
    }
    throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(ELOOP)));
}

// A file written for -o or --summary, piece by piece, as a renderer's sink. A regular file (or one
// that does not exist yet) is written to a temporary file in the same folder and renamed over it,
// so that readers never see a partial file and a failure leaves any previous file untouched; the
// new file keeps the old one's permission bits, owner and group. Anything else (/dev/null, a FIFO,
// a terminal, /dev/stdout) is written in place, since a rename would replace it rather than write
// to it. It is opened for appending: the same as writing for a device or FIFO, and a file that
// /dev/stdout leads to is continued as the shell left it (after `>` or `>>`), not overwritten.
// commit() finishes the file; without a commit the temporary file is removed. A renderer may write
// from several threads in turn and must not be interrupted, so a failed write is remembered (later
// writes are dropped) and reported by commit().
class OutputFile final : public TextSink {
public:
    explicit OutputFile(std::string path) : m_path(std::move(path)), m_target(output_target(m_path)) {
        if (m_target.in_place) {
            m_fd = ::open(m_target.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
            if (m_fd < 0) fail(errno);
            return;
        }
        const std::filesystem::path target(m_target.path);
        std::filesystem::path dir = target.parent_path();
        if (dir.empty()) dir = ".";
        std::string tmpl = (dir / ("." + target.filename().string() + ".tmpXXXXXX")).string();
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        m_fd = ::mkstemp(name.data());
        if (m_fd < 0) fail(errno);
        m_temp = name.data();
    }
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile() override {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_committed && !m_temp.empty()) ::unlink(m_temp.c_str());
    }

    // Whether the output is written in place, so that appending needs no copy of what is there.
    bool in_place() const { return m_target.in_place; }
    // The file that is replaced or written: PATH, or the end of its symbolic links.
    const std::string& target() const { return m_target.path; }

    void write(std::string_view text) override {
        std::size_t written = 0;
        while (m_error == 0 && written < text.size()) {
            const ssize_t n = ::write(m_fd, text.data() + written, text.size() - written);
            if (n < 0) {
                if (errno != EINTR) m_error = errno;
                continue;
            }
            written += static_cast<std::size_t>(n);
        }
    }

    void commit() {
        // Devices, FIFOs and terminals have nothing to sync (fsync fails on them with EINVAL).
        if (!m_target.in_place) {
            keep_mode();
            if (m_error == 0 && ::fsync(m_fd) != 0) m_error = errno;
        }
        const int closed = ::close(m_fd);
        m_fd = -1;
        if (m_error == 0 && closed != 0) m_error = errno;
        if (m_error != 0) fail(m_error);
        if (!m_target.in_place && std::rename(m_temp.c_str(), m_target.path.c_str()) != 0) fail(errno);
        m_committed = true;
    }

private:
    // mkstemp creates 0600: give the file the replaced file's mode, or the mode an ordinary create
    // would (0666 less umask).
    void keep_mode() const {
        if (!m_target.replaced) {
            const mode_t mask = ::umask(0);
            ::umask(mask);
            ::fchmod(m_fd, 0666 & ~mask);
            return;
        }
        const struct stat& old = *m_target.replaced;
        // Owner and group first, since a change of owner clears the set-user-ID bit. Only root may
        // give a file away (anyone may pick a group of their own); where it is refused, the new
        // file is the writer's, with the old file's mode.
        [[maybe_unused]] const int refused = ::fchown(m_fd, old.st_uid, old.st_gid);
        ::fchmod(m_fd, old.st_mode & 07777);
    }

    [[noreturn]] void fail(int error) const {
        throw OutputError(fmt::format("cannot write {}: {}", m_path, std::strerror(error)));
    }

    std::string m_path;
    OutputTarget m_target;
    std::string m_temp;
    int m_fd = -1;
    int m_error = 0;
    bool m_committed = false;
};

void write_output(const std::string& path, std::string_view content) {
    OutputFile file(path);
    file.write(content);
    file.commit();
}

// Appends to `path` (creating it). A file is replaced by its old content plus the addition, so an
// interrupted run never leaves a half-written summary; a device or FIFO is appended to in place.
void append_output(const std::string& path, const std::string& addition) {
    OutputFile file(path);
    if (!file.in_place()) {
        std::string previous;
        std::error_code ec;
        if (std::filesystem::exists(file.target(), ec)) previous = read_file(file.target());
        if (!previous.empty() && previous.back() != '\n') previous += '\n';
        file.write(previous);
    }
    file.write(addition);
    file.commit();
}

// Go appends "-N" (GOMAXPROCS) to benchmark names; the same benchmark run with another GOMAXPROCS
// is another name. Strip it when asked; otherwise say when stripping would pair up benchmarks.
std::string_view without_procs(std::string_view name) {
    auto dash = name.find_last_of('-');
    if (dash == std::string_view::npos || dash + 1 == name.size()) return name;
    for (std::size_t i = dash + 1; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return name;
    }
    return name.substr(0, dash);
}

void apply_procs_policy(std::vector<InputFile>& files, bool ignore_procs) {
    if (ignore_procs) {
        for (auto& f : files) {
            if (f.parsed.format == InputFormat::gbench_json) continue;
            // A benchmark's series share one name, and their renamed copies share one too.
            SharedText before;
            SharedText after;
            for (auto& series : f.parsed.series) {
                if (!series.name.same_block(before)) {
                    before = series.name;
                    const std::string_view stripped = without_procs(before);
                    after = stripped.size() == before.size() ? before : SharedText(stripped);
                }
                series.name = after;
            }
        }
        return;
    }
    if (files.size() < 2) return;
    // Views into the parsed names, which outlive this function; large inputs have hundreds of
    // thousands of series, so nothing is copied unless a name is missing from the baseline. A
    // benchmark's metrics are consecutive series of one name, so a repeat of the previous name
    // is skipped before anything else (a shared name compares equal without reading its text).
    auto for_each_name = [](const InputFile& f, const auto& visit) {
        const SharedText* previous = nullptr;
        for (const auto& series : f.parsed.series) {
            if (previous != nullptr && series.name == *previous) continue;
            previous = &series.name;
            visit(series.name.view());
        }
    };
    std::vector<std::string_view> base_order;
    for_each_name(files[0], [&](std::string_view n) { base_order.push_back(n); });
    // Later inputs usually list the baseline's benchmarks in its order: a name where the baseline
    // has it needs no lookup, and the set of baseline names is made only for the others.
    std::optional<std::unordered_set<std::string_view>> base;
    const auto in_base = [&](std::string_view n, std::size_t at) {
        if (at < base_order.size() && base_order[at] == n) return true;
        if (!base) base.emplace(base_order.begin(), base_order.end());
        return base->count(n) != 0;
    };
    std::optional<std::unordered_set<std::string>> base_stripped;
    for (std::size_t in = 1; in < files.size(); ++in) {
        std::size_t would_pair = 0;
        std::size_t at = 0;
        std::unordered_set<std::string_view> missing;  // each name missing from the baseline, once
        for_each_name(files[in], [&](std::string_view n) {
            if (in_base(n, at++) || !missing.insert(n).second) return;
            const std::string name(n);
            const std::string stripped(without_procs(name));
            if (stripped == name) return;
            if (!base_stripped) {
                base_stripped.emplace();
                for (const auto b : base_order) base_stripped->insert(std::string(without_procs(b)));
            }
            if (base_stripped->count(stripped) != 0) ++would_pair;
        });
        if (would_pair > 0) {
            files[in].parsed.warnings.push_back(
                {files[in].path, 0,
                 fmt::format("{} benchmark{} differ from the baseline only in the -N GOMAXPROCS suffix; "
                             "--ignore-procs would compare them",
                             would_pair, would_pair == 1 ? "" : "s")});
        }
    }
}

// Reorders each table's rows (before the gate runs, which refers to rows by position).
void sort_rows(Report& report, const std::string& order) {
    for (auto& table : report.tables) {
        auto delta_of = [&](const Row& row) -> std::optional<double> {
            for (std::size_t k = 1; k < table.columns.size(); ++k) {
                const auto& c = row.comparisons[table.columns[k]];
                if (c && c->delta_pct) return c->delta_pct;
            }
            return std::nullopt;
        };
        std::stable_sort(table.rows.begin(), table.rows.end(), [&](const Row& a, const Row& b) {
            if (order == "name") return a.display() < b.display();
            auto da = delta_of(a);
            auto db = delta_of(b);
            if (!da || !db) return da.has_value() && !db.has_value();  // rows without a delta last
            return order == "delta" ? *da < *db : *da > *db;
        });
    }
}

double parse_probability(const std::string& name, const std::string& text, bool allow_zero) {
    const std::optional<double> read = whole_number(text);
    if (!read) throw UsageError(fmt::format("--{} must be a number, got {:?}", name, text));
    const double v = *read;
    if (v >= 1 || v < 0 || (!allow_zero && v == 0)) {
        throw UsageError(fmt::format("--{} must be greater than 0 and less than 1, got {}", name, text));
    }
    return v;
}

struct Input {
    std::string label;
    std::string path;
};

std::vector<Input> split_inputs(const std::vector<std::string>& files) {
    std::vector<Input> inputs;
    std::set<std::string> labels;
    bool stdin_used = false;
    for (const auto& f : files) {
        Input in;
        auto eq = f.find('=');
        // LABEL=PATH, unless the whole argument names an existing file (paths may contain '=').
        std::error_code ec;
        if (eq != std::string::npos && eq > 0 && !std::filesystem::exists(f, ec)) {
            in.label = f.substr(0, eq);
            in.path = f.substr(eq + 1);
        } else {
            in.label = f;
            in.path = f;
        }
        if (in.path.empty()) throw UsageError(fmt::format("input {:?} has an empty path", f));
        if (in.path == "-") {
            if (stdin_used) throw UsageError("standard input (-) given more than once");
            stdin_used = true;
        }
        if (!labels.insert(in.label).second) {
            throw UsageError(fmt::format("two inputs are labelled {:?}; name them apart with LABEL=PATH", in.label));
        }
        inputs.push_back(in);
    }
    return inputs;
}

// Reads and parses every input, several at once when the machine has the cores: parsing is most
// of the work for large files. Errors are reported for the first failing input in command-line
// order, whatever order the threads finished in, so the output stays deterministic.
std::vector<InputFile> read_inputs(const std::vector<Input>& inputs) {
    std::vector<InputFile> files(inputs.size());
    std::vector<std::exception_ptr> errors(inputs.size());
    // A thread costs more than parsing a small file; only inputs of a few megabytes get their own.
    std::uintmax_t total = 0;
    for (const auto& in : inputs) {
        std::error_code ec;
        const auto size = in.path == "-" ? std::uintmax_t{0} : std::filesystem::file_size(in.path, ec);
        if (!ec) total += size;
    }
    constexpr std::uintmax_t k_parallel_bytes = 4u << 20;
    parallel_for(inputs.size(), total >= k_parallel_bytes ? 1 : inputs.size() + 1, 1, [&](std::size_t i) {
        try {
            files[i].label = inputs[i].label;
            files[i].path = inputs[i].path;
            files[i].parsed = read_input(inputs[i].path);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    return files;
}

// A threshold for a unit that no compared row has changes nothing, and is most likely a misspelt
// unit: say so. `texts` are the options as given, `thresholds` what they were read as.
void warn_unmatched_thresholds(Report& report, const std::vector<std::string>& texts,
                               const std::vector<Threshold>& thresholds) {
    std::set<std::string_view> compared_units;
    for (const auto& table : report.tables) {
        const bool compared = std::any_of(table.rows.begin(), table.rows.end(),
                                          [](const Row& row) { return !row.comparisons.all().empty(); });
        if (compared) compared_units.insert(table.unit);
    }
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
        const std::string& unit = thresholds[i].unit;
        if (unit.empty() || compared_units.count(unit) != 0) continue;
        report.warnings.push_back(fmt::format("--threshold {}: no compared row has unit {}", texts[i], unit));
    }
}

bool want_color(const std::string& mode, std::ostream& out) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') return false;
    // Colour only a real terminal on our own standard output.
    return &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
}

// Set by run_and_exit(): the report outlives run() and is never freed.
bool keep_report_at_exit = false;
const Report* kept_report = nullptr;

int run_checked(const std::vector<std::string>& raw_args, std::ostream& out, std::ostream& err) {
    CliOptions opt;
    std::string alpha_text;
    std::string confidence_text;
    CLI::App app{"Compares benchmark results with honest statistics: medians with confidence intervals,\n"
                 "Mann-Whitney U tests, and a CI gate that fails only on real regressions.",
                 k_program};
    app.set_version_flag("--version", std::string(k_program) + " " + KSAIL_BENCHSTAT_VERSION);
    app.add_option("files", opt.files,
                   "Result files: Go benchmark text, go test -json, or Google Benchmark JSON. "
                   "PATH, - for standard input, or LABEL=PATH. The first is the baseline.")
        ->required();
    app.add_option("--format", opt.format, "Output format: text, markdown, csv, json, html (default text; html when -o ends in .html)")
        ->check(CLI::IsMember({"text", "markdown", "csv", "json", "html"}));
    app.add_option("-o,--output", opt.output, "Write the output to PATH (atomically) instead of standard output");
    app.add_option("--alpha", alpha_text, "Significance level of the U test (default 0.05)");
    app.add_option("--confidence", confidence_text, "Confidence level of the intervals (default 0.95)");
    app.add_option("--summary", opt.summary,
                   "Also append the markdown report to PATH (e.g. $GITHUB_STEP_SUMMARY)");
    app.add_flag("--fail-on-regression", opt.fail_on_regression,
                 "Turn the CI gate on: exit 1 when a regression fails it or a goal is unmet");
    app.add_option("--gate-rule", opt.gate_rule,
                   "interval (default): fail when the whole interval of the change lies beyond the threshold; "
                   "point: fail when p <= alpha and the estimate is beyond it")
        ->check(CLI::IsMember({"interval", "point"}));
    app.add_option("--threshold", opt.thresholds,
                   "[UNIT=]PCT: smallest relative change that can fail the gate (default 10%; repeatable)")
        ->allow_extra_args(false);
    app.add_option("--gate-config", opt.gate_config,
                   "JSON FILE of gate rules: per-benchmark / per-unit thresholds and absolute limits, "
                   "ignores, goals (command-line options override its defaults)");
    app.add_option("--require", opt.requirements,
                   "GLOB:UNIT:PCT goal, e.g. 'BenchmarkCreate*:sec/op:-20%' (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--exclude", opt.excludes, "GLOB of benchmark names the gate ignores (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--min-time", opt.min_time,
                   "Time rows fail only when the larger median is at least this (default 100ns)");
    app.add_flag("--allow-cpu-mismatch", opt.allow_cpu_mismatch,
                 "Gate time metrics even when the inputs ran on different CPUs");
    app.add_option("--compare-names", opt.compare_names,
                   "BASELINE_GLOB=CONTENDER_GLOB, e.g. 'BM_Old*=BM_New*': compare two benchmarks of one file "
                   "(one '*' on each side stands for the shared part; repeatable)")
        ->allow_extra_args(false);
    app.add_option("--higher-is-better", opt.higher_better,
                   "UNIT whose higher values are better (e.g. a Google Benchmark counter; repeatable)")
        ->allow_extra_args(false);
    app.add_option("--lower-is-better", opt.lower_better, "UNIT whose lower values are better (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--correction", opt.correction,
                   "Multiple-comparison correction of the p-values the gate uses: none (default), holm, bh")
        ->check(CLI::IsMember({"none", "holm", "bh"}));
    app.add_option("--sort", opt.sort, "Row order within tables: none (input order, default), name, delta, -delta")
        ->check(CLI::IsMember({"none", "name", "delta", "-delta"}));
    app.add_flag("--ignore-procs", opt.ignore_procs,
                 "Drop Go's -N GOMAXPROCS suffix from names, so runs with different GOMAXPROCS compare");
    app.add_option("--filter", opt.filter,
                   "Compare only what matches EXPR (benchstat syntax: key:value, key:/regexp/, "
                   "key:(a OR b), AND, OR, -, parentheses; keys .name .fullname .file .unit /SUBKEY CONFIGKEY)");
    app.add_option("--table", opt.table, "Split results into tables by these KEYS (default .config; .unit always splits)");
    app.add_option("--row", opt.row, "Split tables into rows by these KEYS (default .fullname)");
    app.add_option("--col", opt.col,
                   "Compare across columns by these KEYS (default .file); KEY@alpha, KEY@num or KEY@(V1 V2) set the order");
    app.add_option("--ignore", opt.ignore, "KEYS left out of .config and .fullname, so they split nothing");
    app.add_option("--equivalence", opt.equivalence,
                   "PCT: a change whose whole interval lies within ±PCT is equivalent (default 5%); giving it also "
                   "adds what each ~ row could have detected to the text output");
    app.add_flag("--fail-on-inconclusive", opt.fail_on_inconclusive,
                 "Turn the CI gate on and also fail when a compared row is neither a significant change nor "
                 "equivalent");
    app.add_option("--center", opt.center,
                   "Center shown and used for deltas and geomeans: median (default), mean, min")
        ->check(CLI::IsMember({"median", "mean", "min"}));
    app.add_option("--color", opt.color, "Colour text output: auto, always, never (default auto; NO_COLOR is honoured)")
        ->check(CLI::IsMember({"auto", "always", "never"}));

    std::set<std::string> longs;
    for (const CLI::Option* o : app.get_options()) {
        for (const auto& n : o->get_lnames()) longs.insert(n);
    }
    std::vector<std::string> args = normalize_dashes(raw_args, longs);
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return static_cast<int>(ExitCode::ok);
    } catch (const CLI::CallForVersion&) {
        out << app.version() << "\n";
        return static_cast<int>(ExitCode::ok);
    } catch (const CLI::ParseError& e) {
        // CLI11 checks for missing arguments before it complains about unknown ones, so `--bogus`
        // alone would say "files is required"; what it did not understand is the better message.
        const std::vector<std::string> unknown = app.remaining();
        if (!unknown.empty()) throw UsageError(CLI::ExtrasError(unknown).what());
        throw UsageError(e.what());
    }
    // Nobody wants text in report.html: without --format, an .html output is HTML.
    if (app.count("--format") == 0 && (opt.output.ends_with(".html") || opt.output.ends_with(".htm"))) {
        opt.format = "html";
    }
    // An option given is read even when its value is empty ("--min-time ''" is a mistake, not the default).
    if (app.count("--alpha") > 0) opt.alpha = parse_probability("alpha", alpha_text, false);
    if (app.count("--confidence") > 0) opt.confidence = parse_probability("confidence", confidence_text, false);
    Filter filter = Filter::parse(opt.filter);
    ProjectionSet projections = ProjectionSet::parse(opt.table, opt.row, opt.col, opt.ignore);

    std::vector<Input> inputs = split_inputs(opt.files);
    std::vector<InputFile> files = read_inputs(inputs);

    if (!opt.compare_names.empty()) {
        if (files.size() != 1) throw UsageError("--compare-names compares benchmarks within one input: give one file");
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto& text : opt.compare_names) pairs.push_back(parse_name_pair(text));
        files = split_by_names(files.front(), pairs);
    }
    // A stated direction overrides what the input says or implies.
    for (auto& f : files) {
        for (const auto& [list, better] : {std::pair{&opt.higher_better, Better::higher}, std::pair{&opt.lower_better, Better::lower}}) {
            for (const auto& unit : *list) {
                bool found = false;
                for (auto& info : f.parsed.units) {
                    if (info.unit == unit) {
                        info.has_better = true;
                        info.better = better;
                        found = true;
                    }
                }
                if (!found) f.parsed.units.push_back(UnitInfo{unit, true, better, false});
            }
        }
    }

    apply_procs_policy(files, opt.ignore_procs);

    CompareOptions copt;
    copt.alpha = opt.alpha;
    copt.confidence = opt.confidence;
    copt.filter = std::move(filter);
    copt.projections = std::move(projections);
    if (app.count("--equivalence") > 0) copt.equivalence_pct = parse_equivalence(opt.equivalence);
    copt.center = opt.center == "mean" ? Center::mean : opt.center == "min" ? Center::min : Center::median;
    // Only the HTML report draws the samples; without it, each row's samples go once its statistics
    // are made, which keeps a large comparison's peak memory down (docs/performance.md).
    copt.keep_samples = opt.format == "html";
    GateOptions gopt;
    gopt.enabled = opt.fail_on_regression;
    if (!opt.gate_config.empty()) read_gate_config(read_file(opt.gate_config), opt.gate_config, gopt);
    if (app.count("--gate-rule") > 0 || opt.gate_config.empty()) {
        gopt.rule = opt.gate_rule == "point" ? GateRule::point : GateRule::interval;
    }
    std::vector<Threshold> thresholds;  // the command line's, in its order, for warn_unmatched_thresholds
    for (const auto& t : opt.thresholds) thresholds.push_back(parse_threshold(t));
    gopt.thresholds.insert(gopt.thresholds.end(), thresholds.begin(), thresholds.end());
    for (const auto& r : opt.requirements) gopt.requirements.push_back(parse_requirement(r));
    gopt.excludes.insert(gopt.excludes.end(), opt.excludes.begin(), opt.excludes.end());
    if (app.count("--min-time") > 0) gopt.min_time = parse_duration(opt.min_time);
    gopt.allow_cpu_mismatch = opt.allow_cpu_mismatch;
    // Goals are a gate: asking for them turns it on.
    if (!gopt.requirements.empty()) gopt.enabled = true;
    // So is asking for certainty: inconclusive rows fail in addition to regressions.
    gopt.fail_on_inconclusive = opt.fail_on_inconclusive;
    if (gopt.fail_on_inconclusive) gopt.enabled = true;

    gopt.correction = opt.correction == "holm" ? Correction::holm
                      : opt.correction == "bh" ? Correction::bh
                                               : Correction::none;

    // JSON, CSV, markdown, HTML and a summary list every row's gate verdict and detectability.
    // Plain text shows the detectability only with --equivalence or --fail-on-inconclusive (whose
    // gate findings say how many samples would settle a row), and no verdict of a gate that is off:
    // what no output shows is not worked out.
    const bool lists_everything = opt.format != "text" || !opt.summary.empty();
    const bool text_shows_detectability = !opt.equivalence.empty() || opt.fail_on_inconclusive;
    copt.detectability = lists_everything || text_shows_detectability;
    // The change's interval is what the gate decides on; text without a gate shows none of it.
    copt.change_interval = lists_everything || text_shows_detectability || gopt.enabled;
    Report report = compare(std::move(files), copt);
    warn_unmatched_thresholds(report, opt.thresholds, thresholds);
    if (opt.sort != "none") sort_rows(report, opt.sort);
    if (gopt.enabled || lists_everything) apply_gate(report, gopt);

    RenderOptions ropt;
    ropt.color = opt.format == "text" && opt.output.empty() && want_color(opt.color, out);
    ropt.detectability = text_shows_detectability;
    // Text, JSON and CSV are written out as they are made, to standard output or to the output
    // file's temporary copy: a large report's JSON is hundreds of megabytes that need not exist in
    // memory at once.
    const bool streamed = opt.format == "text" || opt.format == "json" || opt.format == "csv";
    const auto render_to = [&](TextSink& sink) {
        if (opt.format == "json") {
            render_json(report, sink);
        } else if (opt.format == "csv") {
            render_csv(report, sink);
        } else {
            render_text(report, ropt, sink);
        }
    };
    std::string rendered;  // markdown (capped in size) and HTML are made whole
    if (opt.format == "markdown") {
        rendered = render_markdown(report);
    } else if (opt.format == "html") {
        rendered = render_html(report);
    }
    for (const auto& w : report.warnings) err << k_program << ": warning: " << one_line(w) << "\n";
    if (report.gate.enabled) {
        for (const auto& alert : report.gate.alerts) err << k_program << ": gate: " << one_line(alert) << "\n";
    }
    if (!opt.summary.empty()) {
        std::string md = opt.format == "markdown" ? rendered : render_markdown(report);
        append_output(opt.summary, md);
    }
    if (streamed && !opt.output.empty()) {
        OutputFile file(opt.output);
        render_to(file);
        file.commit();
    } else if (streamed) {
        StreamSink sink(out);
        render_to(sink);
        out.flush();
    } else if (opt.output.empty()) {
        out << rendered;
        out.flush();
    } else {
        write_output(opt.output, rendered);
    }
    if (keep_report_at_exit) {
        // The process ends right after: a large report is millions of allocations, and handing
        // them back one by one only to exit costs a tenth of a large run. A global still points
        // at it, so leak checkers see it as reachable.
        kept_report = new Report(std::move(report));
    }
    const Report& done = keep_report_at_exit ? *kept_report : report;
    if (done.gate.enabled && !done.gate.passed) {
        for (const auto& f : done.gate.findings) {
            if (f.status == GateStatus::failed || f.status == GateStatus::goal_unmet ||
                f.status == GateStatus::inconclusive) {
                err << k_program << ": gate: " << one_line(f.benchmark + " " + f.unit + ": " + f.reason) << "\n";
            }
        }
        return static_cast<int>(ExitCode::gate_failed);
    }
    return static_cast<int>(ExitCode::ok);
}

}  // namespace

int run_and_exit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    keep_report_at_exit = true;
    return run(args, out, err);
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        return run_checked(args, out, err);
    } catch (const UsageError& e) {
        err << k_program << ": error: " << one_line(e.what()) << "\n";
        err << "Run '" << k_program << " --help' for usage.\n";
        return static_cast<int>(ExitCode::usage_or_input);
    } catch (const InputError& e) {
        err << k_program << ": error: " << one_line(e.what()) << "\n";
        return static_cast<int>(ExitCode::usage_or_input);
    } catch (const OutputError& e) {
        err << k_program << ": error: " << one_line(e.what()) << "\n";
        return static_cast<int>(ExitCode::usage_or_input);
    } catch (const std::bad_alloc&) {
        err << k_program << ": error: out of memory\n";
        return static_cast<int>(ExitCode::internal);
    } catch (const std::exception& e) {
        err << k_program << ": internal error: " << one_line(e.what()) << "\n";
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace ksail_benchstat
