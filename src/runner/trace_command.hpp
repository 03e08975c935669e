// `trace`: runs migrations on a shadow database holding the applied chain, statement by statement,
// and records the table locks each statement takes, what they block, which relations it rewrites
// and creates, and how long the locks are held until commit.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/level.hpp"
#include "core/json.hpp"
#include "core/lock_modes.hpp"
#include "lint/lint.hpp"
#include "runner/reporter.hpp"

namespace runner {

// A table lock a statement took that its session did not hold before.
struct TracedLock {
  std::string relation;  // schema.name
  std::string mode;      // SQL's spelling: "ACCESS EXCLUSIVE"
  core::LockImpact impact;
  double held_ms = 0;       // from the statement's start to commit (to its end outside a transaction)
  bool new_object = false;  // the relation was created by this migration: nobody else can be blocked
  bool table = false;       // a table or materialized view (else an index or sequence)
};

// A lint finding on a traced statement, or trace's own where lint has none: the same rule ids.
struct TraceFinding {
  std::string rule;
  core::Level level = core::Level::error;
  std::string message;
  bool confirmed = false;  // lint's finding, and the trace saw the lock or rewrite it warns of
  bool about_locks = true; // false for lint's rules that are not about locks (types, RLS...)
};

// One statement as traced.
struct TracedStatement {
  int line = 0;
  std::string sql;
  double duration_ms = 0;
  std::vector<TracedLock> locks;
  std::vector<std::string> rewrites;  // relations whose storage was rewritten (relfilenode changed)
  std::vector<std::string> created;   // relations created
  std::vector<TraceFinding> findings;
  std::set<std::string> blocking_held;  // relations the session held a read- or write-blocking lock on after it
};

// One migration's up section as traced.
struct TracedMigration {
  std::string version, name, file;
  bool transaction = true;
  std::string lock_timeout;  // what the tool sets for each migration ("0": none)
  std::vector<TracedStatement> statements;
};

// What trace found; cli renders it.
struct TraceOutcome {
  std::vector<TracedMigration> migrations;
  std::string target, shadow;
  std::size_t replayed = 0;
  std::map<std::string, double> row_estimates;  // reltuples on the target, by schema.name
  core::ExitCode code = core::ExitCode::ok;     // problems (3) when a finding is an error
};

// Traces files (paths), or the target's pending migrations when none are given.
TraceOutcome cmd_trace(const core::Config& config, Reporter& reporter, const std::vector<std::string>& files);

// trace's own rule (a statement that blocked the application where no lint rule fired), for the
// SARIF rule list.
const lint::Rule& trace_blocking_rule();

// The findings of a trace as lint's (file and line of the statement, lint's remediation, what the
// trace saw appended to the message), for the github and sarif formats.
std::vector<lint::Finding> trace_findings(const TraceOutcome& out);

// The report as JSON, and as text for people.
core::Json trace_json(const TraceOutcome& out);
std::string trace_text(const TraceOutcome& out);

}  // namespace runner
