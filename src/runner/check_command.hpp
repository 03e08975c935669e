// `check`: compares the live database with the documented schema and good practice.
#pragma once

#include <string>
#include <vector>

#include "check/findings.hpp"
#include "check/report.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "runner/reporter.hpp"

namespace runner {

// Options of `check`.
struct CheckOptions {
  core::Level fail_on = core::Level::error;
  bool no_declaration = false;                       // run only the rules that need no declaration
  std::vector<std::string> exposed_schemas{"public"};  // the API's schemas (--exposed-schemas)
  bool exposed_schemas_given = false;                // --exposed-schemas given: it overrides the declaration's
};

// What a check run found; cli renders it in the chosen format.
struct CheckOutcome {
  std::vector<check::Finding> findings;
  check::CheckStats stats;
  std::string target;
  core::Level fail_on = core::Level::error;
  core::ExitCode code = core::ExitCode::ok;
};

// Loads the declaration (config key `declaration`; none when --no-declaration, or when the default
// file is absent and the key was not set: then only the rules that need none run), reads the catalog, runs every rule, applies the
// configured suppressions; exits 3 when an unsuppressed finding is at fail_on or above.
CheckOutcome cmd_check(const core::Config& config, Reporter& reporter, const CheckOptions& options);

}  // namespace runner
