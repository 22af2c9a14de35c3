// Renderers: each turns the one report model into a string in one output format.
#pragma once

#include <string>

#include "ksail_benchstat/compare.hpp"

namespace ksail_benchstat {

struct RenderOptions {
    bool color = false;  // ANSI colour in text output
};

// benchstat-compatible aligned text tables with footnoted warnings.
std::string render_text(const Report& report, const RenderOptions& options = {});

// The versioned JSON report described in docs/output-formats.md (schema_version 1).
std::string render_json(const Report& report);

}  // namespace ksail_benchstat
