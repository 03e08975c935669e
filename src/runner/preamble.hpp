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
#include "core/plan.hpp"
#include "db/lock.hpp"
#include "runner/reporter.hpp"
#include "runner/session.hpp"

namespace runner {

// What a writing command needs before it acts.
struct PreambleOptions {
  bool discover = true;        // read the migration files (repair does not need them)
  bool parse = false;          // split every section before connecting (a syntax error touches nothing)
  bool ensure_ledger = false;  // create the ledger if missing (not on dry runs)
  bool dry_run = false;        // no lock, no ledger creation
  // Called with the files before connecting, for checks of the command's own arguments.
  std::function<void(const std::vector<core::Migration>&)> before_connect = {};
};

// What the preamble produced. plan entries point into files: keep them together.
struct Prepared {
  std::vector<core::Migration> files;
  std::map<std::string, core::StatementList> up_statements;  // by version, when parsed
  std::unique_ptr<WriteSession> session;
  std::unique_ptr<db::MigrationLock> lock;  // empty on dry runs
  std::vector<core::PlanEntry> plan;
};

// Runs the preamble of command. Throws core::UsageError for bad files (before connecting) and
// core::Failure when the lock or the ledger cannot be had.
Prepared prepare_write(const core::Config& config, Reporter& reporter, const std::string& command,
                       const PreambleOptions& options);

// Takes the migration lock of the configured ledger on s, reporting when it has to wait.
std::unique_ptr<db::MigrationLock> take_lock(const core::Config& config, WriteSession& s);

}  // namespace runner
