// The two ways a section runs (inside src/runner only): in one transaction with its ledger row, or
// statement by statement outside a transaction with the ledger row kept up to date.
#pragma once

#include <string>

#include "core/sql_error.hpp"
#include "core/sql_split.hpp"
#include "db/ledger.hpp"
#include "runner/apply.hpp"
#include "runner/session.hpp"

namespace runner {

inline constexpr const char* k_lock_timeout = "55P03";
inline constexpr const char* k_query_canceled = "57014";

// Runs statements, the tool's session reset, the lock check and the ledger row in one transaction
// of one round trip; then, once every result is back, COMMIT on its own. Throws core::SqlFailure,
// db::LockLost, core::Interrupted or a lost-connection failure naming the migration.
void run_in_transaction(WriteSession& s, const core::StatementList& statements, const db::LedgerWrite& bookkeeping,
                        const Timeouts& t, const std::string& file, const std::string& what);

// Runs statements one by one outside a transaction; the ledger row (state failed) always names the
// statement running. Afterwards: no transaction left open, the tool's session restored, no index
// left INVALID by the section. Throws like run_in_transaction.
void run_outside_transaction(WriteSession& s, const std::string& version, const core::StatementList& statements,
                             const Timeouts& t, const std::string& file, const std::string& what);

// A failure's origin: the file, the statement's line and text, what the tool was doing.
core::StatementOrigin origin_of(const std::string& file, int line, std::string_view sql, const std::string& what);

// "no statement before it took effect", "statement 1 took effect", "statements 1 to n took effect".
std::string took_effect(std::size_t done);

}  // namespace runner
