// `lint`: static analysis of migration files' up sections (src/lint over PostgreSQL's parse trees);
// never connects to a database.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "lint/lint.hpp"
#include "lint/report.hpp"
#include "runner/reporter.hpp"

namespace runner {

// Options of `lint`.
struct LintOptions {
  std::vector<std::string> files;  // FILE... (empty: every file of migrations_dir)
  bool all = false;                // --all: every file of migrations_dir
  core::Level fail_on = core::Level::error;
};

// What a lint run found; cli renders it in the chosen format.
struct LintOutcome {
  std::vector<lint::Finding> findings;
  lint::LintStats stats;
  core::Level fail_on = core::Level::error;
  core::ExitCode code = core::ExitCode::ok;  // problems (3) when an unsuppressed finding is at fail_on or above
};

// Lints the up sections of the files (in version order, as one chain: a table created by an earlier
// file is new for the later ones). Throws core::UsageError (exit 2) naming file and line for files
// that cannot be read or parsed.
LintOutcome cmd_lint(const core::Config& config, Reporter& reporter, const LintOptions& options);

}  // namespace runner
