// `drift`: is this database what its applied migrations make? Replays the ledger's recorded SQL on
// a shadow database and compares the two catalogs object by object.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "db/ledger.hpp"
#include "db/queryable.hpp"
#include "drift/compare.hpp"
#include "runner/reporter.hpp"

namespace runner {

// What a drift run found; cli renders it in the chosen format.
struct DriftOutcome {
  std::vector<drift::Difference> differences;
  std::string target, shadow;
  std::size_t replayed = 0;      // migrations replayed (or reused from the kept template)
  std::size_t from_ledger = 0;   // of those, replayed from the ledger's recorded SQL (file missing or changed)
  bool reused = false;           // the kept replay of an unchanged ledger was read
  std::size_t queries = 0;       // catalog queries per database (independent of the schema's size)
  long long elapsed_ms = 0;
  core::ExitCode code = core::ExitCode::ok;  // problems (3) when any difference
};

// The differences between target's database and what the applied migrations of ledger make.
DriftOutcome drift_of(const core::Config& config, Reporter& reporter, db::Queryable& target, db::Ledger& ledger);

// `drift`: opens a read session on the configured target and runs drift_of.
DriftOutcome cmd_drift(const core::Config& config, Reporter& reporter);

// What text, JSON and GitHub output show of an outcome.
core::Json drift_json(const DriftOutcome& out);

}  // namespace runner
