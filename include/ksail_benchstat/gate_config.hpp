// The gate configuration file (--gate-config): per-benchmark and per-unit limits in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ksail_benchstat/compare.hpp"

namespace ksail_benchstat {

// Reads the JSON text of a gate configuration named `name` (for messages) into `options`:
// top-level defaults replace the built-in ones, `rules` are appended in file order. Throws
// InputError ("NAME:LINE: ..." for JSON syntax, "NAME: rules[2].threshold: ..." for content)
// on anything it does not understand, so a typo never silently loosens the gate.
void read_gate_config(std::string_view text, const std::string& name, GateOptions& options);

// Parses an absolute limit for `unit` as written in a rule: a number in the unit as written
// ("ns/op" counts nanoseconds), or a number with a suffix of the unit's kind ("20ms", "1KiB",
// "64B"). Returns base units (seconds, bytes). Throws InputError with `where` on failure.
double parse_absolute_limit(std::string_view text, std::string_view unit_as_written, const std::string& where);

// A percentage as people write it on the command line or in a gate file: "10", "10%", "+7.5",
// "-20 %". Empty when the text is not one; callers check the range and word their own messages.
std::optional<double> parse_percentage(std::string_view text);

}  // namespace ksail_benchstat
