// The start every writing command shares: discover the files, parse their sections, open the
// session, take the lock, make sure the ledger exists, and join files and ledger into the plan.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/migration.hpp"
#include "core/discovery.hpp"
#include "core/plan.hpp"
#include "db/lock.hpp"
#include "runner/interrupt.hpp"
#include "runner/reporter.hpp"
#include "runner/session.hpp"

namespace runner {

// What a writing command needs before it acts.
struct PreambleOptions {
  bool discover = true;        // read the migration files (repair does not need them)
  bool parse = false;          // split every section before connecting (a syntax error touches nothing)
  bool ensure_ledger = false;  // create the ledger if missing (not on dry runs)
  bool adopt = false;          // baseline: a ledger table that vanished (its meta table left) may be recreated
  bool dry_run = false;        // no lock, no ledger creation
  // Called with the files before connecting, for checks of the command's own arguments.
  std::function<void(const std::vector<core::Migration>&)> before_connect = {};
};

// What the preamble produced. plan entries point into files: keep them together.
struct Prepared {
  std::unique_ptr<InterruptGuard> interrupts;  // first: the handlers outlive the session they cancel
  std::vector<core::Migration> files;
  std::map<std::string, core::StatementList> up_statements;  // by version, when parsed
  std::unique_ptr<WriteSession> session;
  std::unique_ptr<db::MigrationLock> lock;  // empty on dry runs
  bool ledger_was_missing = false;          // there was no ledger before this command
  std::vector<core::PlanEntry> plan;
};

// Every section of every file split and checked against how it runs (core::check_section).
struct FileCheck {
  std::map<std::string, core::StatementList> up;  // by version
  std::vector<core::UsageError> errors;
  std::vector<std::string> warnings, notes;
};
// down_is_fatal: a problem in a down section is an error (validate); otherwise a warning, since
// the command will not run it (up, redo: `down` checks what it runs before running it).
FileCheck check_files(const std::vector<core::Migration>& files, std::int64_t lock_key, bool down_is_fatal);

// The configured folder's migrations under the configured name rules; files ignored for having no
// version are said on the reporter (never skipped silently).
core::Discovered discover_files(const core::Config& config, Reporter& reporter);

// Runs the preamble of command. Throws core::UsageError for bad files (before connecting) and
// core::Failure when the lock or the ledger cannot be had.
Prepared prepare_write(const core::Config& config, Reporter& reporter, const std::string& command,
                       const PreambleOptions& options);

// The migration lock's key for the configured ledger.
std::int64_t lock_key_of(const core::Config& config);

// Takes the migration lock of the configured ledger on s, reporting when it has to wait.
std::unique_ptr<db::MigrationLock> take_lock(const core::Config& config, WriteSession& s);

}  // namespace runner
