// Small helpers of the sample model and the error channel.
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/model.hpp"

#include <fmt/format.h>

namespace ksail_benchstat {

std::string_view format_name(InputFormat format) {
    switch (format) {
    case InputFormat::go_text: return "go-text";
    case InputFormat::go_test_json: return "go-test-json";
    case InputFormat::gbench_json: return "gbench-json";
    }
    return "unknown";
}

std::string_view config_value(const Config& config, std::string_view key) {
    for (const auto& [k, v] : config) {
        if (k == key) return v;
    }
    return {};
}

std::string config_key(const Config& config) {
    std::string id;
    for (const auto& [k, v] : config) {
        id += k;
        id += '\x1f';
        id += v;
        id += '\x1e';
    }
    return id;
}

std::string located(std::string_view file, std::size_t line, std::string_view message) {
    if (line == 0) return fmt::format("{}: {}", file, message);
    return fmt::format("{}:{}: {}", file, line, message);
}

}  // namespace ksail_benchstat
