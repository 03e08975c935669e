// The ledger: the only owner of the table that records which migrations are applied.
#pragma once

#include <string>
#include <vector>

#include "core/migration.hpp"
#include "core/plan.hpp"
#include "db/migration_session.hpp"
#include "db/queryable.hpp"

namespace db {

// The Supabase CLI's ledger table, mirrored when supabase_ledger = true.
inline constexpr const char* k_supabase_ledger = "supabase_migrations.schema_migrations";

// The ledger's layout version, stored in its meta table; bump it when the table changes shape.
// 2: the up SQL as applied (up_sql, up_line).
inline constexpr int k_ledger_format = 2;

// Up sections larger than this are not recorded in the ledger (up_sql stays NULL): replaying them
// takes the file, when its checksum still matches. Keeps a big migration's memory near its size.
inline constexpr std::size_t k_max_recorded_up_sql = 4 << 20;

// A write to the ledger that travels in a migration's own pipeline (same transaction).
struct LedgerWrite {
  std::string sql;
  Params params;
  // The pipeline query for it; valid while this LedgerWrite lives.
  PipelineQuery query() const { return {sql, params, QueryRole::bookkeeping, 0}; }
};

// What the ledger recorded of a migration's up section, for replaying a database's history.
struct RecordedUp {
  std::string version, name, checksum, state;
  bool transaction = true;
  std::optional<std::string> sql;  // NULL: not recorded (a format 1 ledger, or a section over 4 MB)
  int line = 0;                    // line of the section's body in the file as applied
};

// Reads and writes the ledger table (default autocrm_migrate.schema_migrations) over a session:
// the migration session for writing commands, a client session for the read-only ones.
class Ledger {
public:
  // A ledger at schema.table on q; the names are quoted wherever they appear in SQL. writer, when
  // given (writing commands), makes every write a tool write: the tool's settings whatever a
  // migration left in the session, and only while the migration lock is held.
  Ledger(Queryable& q, std::string schema, std::string table, MigrationSession* writer = nullptr);

  // True when the ledger table exists. Throws core::Failure when it was written by a newer release,
  // and (unless allow_vanished) when the table is gone while its meta table is still there.
  bool exists(bool allow_vanished = false);
  // Creates the schema, table and meta table if missing, in one transaction (call under the lock);
  // recreate (baseline) also creates a table that vanished while its meta table remained.
  void ensure(bool recreate = false);
  // Every row, oldest version first, without the down SQL; empty when the ledger does not exist.
  std::vector<core::LedgerRow> rows(bool allow_vanished = false);
  // The rows of versions with the down SQL and its settings as recorded when each was applied, in
  // the order given, read in one query. Throws core::Failure for a version not in the ledger.
  std::vector<core::LedgerRow> rows_with_down(const std::vector<std::string>& versions);

  // Every row's recorded up section, oldest version first (empty when there is no ledger).
  std::vector<RecordedUp> recorded_ups();

  // The insert that records m as applied, for the same pipeline/transaction as its up section.
  // Its execution time is measured by the server from the transaction's start. With the Supabase
  // mirror on, the same statement also writes the Supabase CLI's row (version, name, statements).
  LedgerWrite record_applied(const core::Migration& m, const std::string& applied_from,
                             const core::StatementList* statements = nullptr) const;
  // The delete of version's row, for the same transaction as its down section (and of the
  // Supabase CLI's row with the mirror on).
  LedgerWrite record_reverted(const std::string& version) const;

  // Also keeps the Supabase CLI's ledger (supabase_migrations.schema_migrations) in step with
  // this one, in the same statements (supabase_ledger = true).
  void enable_supabase_mirror() { m_supabase = true; }
  // Creates the Supabase CLI's ledger table if missing, as that CLI creates it (call under the lock).
  void ensure_supabase_mirror();
  // The Supabase CLI's row for a migration applied outside a transaction, written at once.
  void mirror_applied(const core::Migration& m, const core::StatementList& statements);

  // Non-transactional bookkeeping, each committed at once:
  // records m as failed ("started, not finished") before its statements run outside a transaction.
  void mark_started(const core::Migration& m, const std::string& applied_from, const std::string& direction);
  // records what went wrong for a failed row; check_lock false records it even after the migration
  // lock was lost (so that the row says so).
  void mark_error(const std::string& version, const std::string& error, bool check_lock = true);
  // turns a failed row into an applied one, with its execution time.
  void mark_applied(const std::string& version, long long execution_ms);
  // deletes a row.
  void remove(const std::string& version);
  // inserts rows for migrations adopted by `baseline` (never run), all or none.
  // applied_at, when given, holds each one's time as another tool recorded it (NULL: now).
  void record_baseline(const std::vector<const core::Migration*>& migrations, const std::string& applied_from,
                       const std::vector<std::optional<std::string>>& applied_at = {});

  // schema.table as configured, for messages.
  std::string display_name() const { return m_schema + "." + m_table; }

private:
  Queryable& m_q;
  std::string m_schema, m_table;
  std::string m_qualified, m_qualified_meta;
  bool m_checked = false;
  int m_format = 0;
  void check_format();
  void add_meta_primary_key();
  // Revokes every privilege PUBLIC and Supabase's API roles (anon, authenticated, service_role)
  // hold on the ledger and its meta table: default privileges of the ledger's schema, or a grant
  // by hand, must never let an API role read or rewrite the history.
  void seal_from_api_roles();
  void upgrade();
  // The insert of m's row: every column that comes from the file, the given state, and one more
  // column with its SQL value (which may use $10 when the caller appends a parameter).
  LedgerWrite insert_row(const core::Migration& m, const std::string& applied_from, const char* state,
                         const char* extra_column, const std::string& extra_value) const;
  MigrationSession* m_writer;
  bool m_supabase = false;
  // ours plus the Supabase CLI's row of m, in one statement (a data-modifying WITH).
  LedgerWrite with_supabase_row(LedgerWrite ours, const core::Migration& m, const core::StatementList& statements) const;
  // Runs ledger writes at once, in one transaction, naming the ledger in its errors.
  void write(const std::vector<std::pair<std::string, Params>>& writes, bool check_lock = true);
  void write(const std::string& sql, const Params& params, bool check_lock = true) {
    write({{sql, params}}, check_lock);
  }
};

// A PostgreSQL array literal of texts: {"a","b\"c",NULL}; every element quoted, so any text is safe.
std::string text_array_literal(const std::vector<std::optional<std::string>>& items);

}  // namespace db
