// What a statement does that matters to how it can run, read from PostgreSQL's parse tree:
// transaction control, statements that cannot run in a transaction block, statements that release
// advisory locks, enum values added, indexes created.
#pragma once

#include "core/parse_tree.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

// Transaction control statements.
enum class TxControl {
  none,
  begin,              // BEGIN, START TRANSACTION
  commit,             // COMMIT, END
  rollback,           // ROLLBACK, ABORT
  savepoint,          // SAVEPOINT
  release,            // RELEASE SAVEPOINT
  rollback_to,        // ROLLBACK TO SAVEPOINT
  prepare,            // PREPARE TRANSACTION
  commit_prepared,    // COMMIT PREPARED
  rollback_prepared,  // ROLLBACK PREPARED
};

// The SQL that names a kind of transaction control ("COMMIT", "PREPARE TRANSACTION").
const char* tx_control_name(TxControl tx);

// The facts about one statement.
struct StatementFacts {
  TxControl tx = TxControl::none;
  std::string no_transaction_block;      // e.g. "CREATE INDEX CONCURRENTLY": cannot run in a transaction block
  std::string releases_all_locks;        // "pg_advisory_unlock_all()" or "DISCARD ALL": releases every advisory lock
  bool unlocks_advisory = false;         // calls pg_advisory_unlock(bigint) (or its shared form)
  std::vector<std::int64_t> unlock_keys; // ... with these constant keys
  bool unlock_key_unknown = false;       // ... with a key known only at run time
  std::string enum_type, enum_value;     // ALTER TYPE enum_type ADD VALUE 'enum_value'
  std::vector<std::string> indexes_created;  // CREATE INDEX names (as written, schema-qualified when they are)
  std::vector<std::string> tables_created;   // CREATE TABLE without IF NOT EXISTS, as SQL names ("public"."t")
  std::vector<std::string> schemas_created;  // CREATE SCHEMA without IF NOT EXISTS

  // True when none of the above applies (most statements).
  bool plain() const {
    return tx == TxControl::none && no_transaction_block.empty() && releases_all_locks.empty() && !unlocks_advisory &&
           enum_value.empty() && indexes_created.empty() &&
           tables_created.empty() && schemas_created.empty();
  }
};

// Classifies sql (one statement). Statements that cannot be any of the above by their first keyword
// (inserts, updates, selects without an unlock call...) are not parsed at all: a section of half a
// million inserts costs one keyword look each.
StatementFacts classify_statement(std::string_view sql);

// What of a parsed top-level statement cannot run inside a transaction block (PostgreSQL's
// PreventInTransactionBlock callers: "CREATE INDEX CONCURRENTLY", "VACUUM"...), "" when it can.
std::string no_transaction_block(const PgQuery__Node& statement);

// True when sql holds the string constant value (a quoted literal, found by the parser).
bool uses_string_constant(std::string_view sql, const std::string& value);

}  // namespace core
