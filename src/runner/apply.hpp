// Applies or reverts one migration section and records it in the ledger.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/migration.hpp"
#include "core/sql_split.hpp"
#include "runner/session.hpp"

namespace runner {

// The timeouts applied to every migration (PostgreSQL duration strings, "0" for none).
struct Timeouts {
  std::string lock_timeout;
  std::int64_t lock_timeout_ms = 0;
  std::string statement_timeout;
  // How many times a transactional section that hit lock_timeout (55P03, rolled back) is tried
  // again, after 0.5 s, 1 s, 2 s... (at most 30 s) of backoff.
  int lock_retries = 0;
};

// The timeouts of the configuration.
Timeouts timeouts_of(const core::Config& config);

// What ran, for reports.
struct Applied {
  std::string version;
  std::string name;
  std::size_t statements = 0;
  bool transaction = true;
  std::int64_t duration_ms = 0;
};

// Applies m's up section. In a transaction (the default) its statements and its ledger row go to
// the server in one pipeline and commit together, or nothing does. Outside one, the ledger row is
// written first as failed and turned to applied at the end. Throws core::SqlFailure naming the
// file and line of the failing statement.
Applied apply_up(WriteSession& s, const core::Migration& m, const core::StatementList& statements,
                 const Timeouts& timeouts);

// Reverts version with the down SQL recorded in the ledger (statements split from it), removing its
// ledger row in the same transaction. file names where the SQL came from in messages.
Applied apply_down(WriteSession& s, const core::LedgerRow& row, const core::StatementList& statements,
                   const std::string& file, const Timeouts& timeouts);

}  // namespace runner
