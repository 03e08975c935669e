// The ledger: the only owner of the table that records which migrations are applied.
#pragma once

#include <string>
#include <vector>

#include "core/migration.hpp"
#include "core/plan.hpp"
#include "db/connection.hpp"
#include "db/pipeline.hpp"

namespace db {

// The ledger's layout version, stored in its meta table; bump it when the table changes shape.
inline constexpr int k_ledger_format = 1;

// Reads and writes the ledger table (default autocrm_migrate.schema_migrations).
class Ledger {
public:
  // A ledger at schema.table on conn; the names are quoted wherever they appear in SQL.
  Ledger(Connection& conn, std::string schema, std::string table);

  // True when the ledger table exists. Throws core::Failure when it was written by a newer release.
  bool exists();
  // Creates the schema, table and meta table if missing (call under the migration lock).
  void ensure();
  // Every row, oldest version first, without the down SQL; empty when the ledger does not exist.
  std::vector<core::LedgerRow> rows();
  // The rows of versions with the down SQL and its settings as recorded when each was applied, in
  // the order given, read in one query. Throws core::Failure for a version not in the ledger.
  std::vector<core::LedgerRow> rows_with_down(const std::vector<std::string>& versions);

  // The query that records m as applied, for the same pipeline/transaction as its up section.
  // Its execution time is measured by the server from the transaction's start.
  PipelineQuery record_applied(const core::Migration& m, const std::string& applied_from);
  // The query that removes version's row, for the same transaction as its down section.
  PipelineQuery record_reverted(const std::string& version);

  // Non-transactional bookkeeping, each committed at once:
  // records m as failed ("started, not finished") before its statements run outside a transaction.
  void mark_started(const core::Migration& m, const std::string& applied_from, const std::string& direction);
  // records what went wrong for a failed row.
  void mark_error(const std::string& version, const std::string& error);
  // turns a failed row into an applied one, with its execution time.
  void mark_applied(const std::string& version, long long execution_ms);
  // deletes a row.
  void remove(const std::string& version);
  // inserts rows for migrations adopted by `baseline` (never run).
  void record_baseline(const std::vector<const core::Migration*>& migrations, const std::string& applied_from);

  // "schema"."table", quoted.
  const std::string& qualified_name() const { return m_qualified; }
  // schema.table as configured, for messages.
  std::string display_name() const { return m_schema + "." + m_table; }

private:
  Connection& m_conn;
  std::string m_schema, m_table;
  std::string m_qualified, m_qualified_meta;
  bool m_checked = false;
  void check_format();
  // The insert of m's row: every column that comes from the file, the given state, and one more
  // column with its SQL value (which may use $10 when the caller appends a parameter).
  PipelineQuery insert_row(const core::Migration& m, const std::string& applied_from, const char* state,
                           const char* extra_column, const std::string& extra_value);
  // Runs queries in one pipeline; when one fails, rolls back a transaction they opened and throws
  // core::Failure.
  void execute(const std::vector<PipelineQuery>& queries);
};

}  // namespace db
