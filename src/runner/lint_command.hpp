// `lint`: static analysis of migration files' up sections (src/lint over PostgreSQL's parse trees);
// never connects to a database.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/migration.hpp"
#include "lint/lint.hpp"
#include "lint/report.hpp"
#include "runner/reporter.hpp"

namespace runner {

// Options of `lint`.
struct LintOptions {
  std::vector<std::string> files;  // FILE... (empty: the pending files, see cmd_lint)
  bool all = false;                // --all: every file of migrations_dir
  std::string since;               // --since GIT_REF: the files of migrations_dir added or changed since it
  bool catalog = false;            // --catalog: the target's row estimates set the levels
  core::Level fail_on = core::Level::error;
};

// What a lint run found; cli renders it in the chosen format.
struct LintOutcome {
  std::vector<lint::Finding> findings;
  lint::LintStats stats;
  std::string scope;  // which files were linted and why ("the 2 pending migrations of ...")
  core::Level fail_on = core::Level::error;
  core::ExitCode code = core::ExitCode::ok;  // problems (3) when an unsuppressed finding is at fail_on or above
};

// Lints the up sections of the files (in version order, as one chain: a table created by an earlier
// file is new for the later ones). With no FILE and no --all: the pending migrations when a database
// is configured (database_url or the libpq environment) or the embedded one is already running
// (lint never starts one), else every file, and scope says which. Throws core::UsageError (exit 2)
// naming file and line for files that cannot be read or parsed.
LintOutcome cmd_lint(const core::Config& config, Reporter& reporter, const LintOptions& options);

// What lint knows from the configuration of how the tool runs migrations (lock_timeout set or not).
lint::ChainOptions chain_options(const core::Config& config);

// Lints the up sections of files as one chain (for `up`'s summary of what it is about to run).
LintOutcome lint_migrations(const std::vector<const core::Migration*>& files, core::Level fail_on,
                            const lint::ChainOptions& options);

}  // namespace runner
