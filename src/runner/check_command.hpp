// `check`: compares the live database with the documented schema and good practice.
#pragma once

#include "core/checks.hpp"
#include "core/config.hpp"
#include "runner/commands.hpp"

namespace runner {

// Options of `check`.
struct CheckOptions {
  core::Level fail_on = core::Level::error;
};

// Loads the declaration (config key `declaration`), reads the catalog, runs every rule, applies the
// configured suppressions. The report holds the findings as JSON plus the rendered forms; exits 3
// when an unsuppressed finding is at fail_on or above.
Outcome cmd_check(const core::Config& config, Reporter& reporter, const CheckOptions& options);

}  // namespace runner
