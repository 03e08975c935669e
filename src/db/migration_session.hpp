// The session that applies migrations: a small RAII class over libpq itself (libpqxx 6.4 has no
// pipeline mode). It owns the connection, shows the server's notices, sends a section's statements
// in one pipeline, runs single statements, can cancel what runs, and carries the advisory lock and
// the ledger writes of a run (through Queryable).
#pragma once

#include <cstdint>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sql_error.hpp"
#include "core/sql_split.hpp"
#include "db/queryable.hpp"

struct pg_conn;
struct pg_cancel;

namespace db {

// Called for every NOTICE/WARNING the server sends, with the message text (no trailing newline).
using NoticeSink = std::function<void(const std::string&)>;

// Called every period_ms while the server has not answered yet: a way to look, from another
// session, at what a long statement waits for (the lock and the session that blocks it).
struct WaitWatch {
  std::int64_t period_ms = 1000;
  std::function<void()> on_wait;
};

// What a query of a pipeline is for, so that a failure maps back to its origin.
enum class QueryRole {
  setup,        // the tool's transaction and settings before the statements
  statement,    // a statement of the migration
  reset,        // restoring the tool's session after the statements
  lock_check,   // proving the migration lock is still held
  bookkeeping,  // the ledger row
  commit,
};

// The tool's own settings, in force for every migration, every ledger write and every commit.
struct ToolSettings {
  std::string lock_timeout = "0";       // PostgreSQL duration text
  std::string statement_timeout = "0";
};

// One query of a pipeline. sql is not copied: it must stay alive until pipeline() returns.
struct PipelineQuery {
  std::string_view sql;
  Params params;
  QueryRole role = QueryRole::setup;
  std::size_t statement = 0;  // for QueryRole::statement: the index of the migration's statement
};

// The queries of one pipeline: fixed ones before and after a run of a section's statements, which
// are sent from where they are (a big section is never copied into a list of queries).
struct PipelineBatch {
  std::vector<PipelineQuery> before;
  const std::vector<core::Statement>* statements = nullptr;  // sent with QueryRole::statement and their index
  std::vector<PipelineQuery> after;
};

// The first query of a pipeline that failed: its role and statement index, and what the server said.
struct PipelineFailure {
  QueryRole role;
  std::size_t statement;
  core::PgDiagnostics diag;
};

// A libpq session.
class MigrationSession final : public Queryable {
public:
  // Connects with conninfo (a URL, key=value pairs, or "" for the libpq environment); identifies the
  // tool through fallback_application_name and makes the server notice a dead client within a
  // second. Throws core::Failure with a masked, clear message.
  MigrationSession(const std::string& conninfo, const std::string& application_name, NoticeSink notices);
  ~MigrationSession() override;
  MigrationSession(const MigrationSession&) = delete;
  MigrationSession& operator=(const MigrationSession&) = delete;

  Rows query(const std::string& sql, const Params& params = {}) override;
  std::string describe() const override;

  // Sends every query in one pipeline with a single sync: one round trip however many queries.
  // The server stops at the first error and skips the rest; that error is returned. Returns
  // nothing when all succeeded. Throws ConnectionLost when the session breaks. watch, if given, is
  // called while the server works. The session leaves pipeline mode on every path.
  std::optional<PipelineFailure> pipeline(const PipelineBatch& batch, const WaitWatch* watch = nullptr);
  // The same for a few queries of the tool's own.
  std::optional<PipelineFailure> pipeline(std::vector<PipelineQuery> queries, const WaitWatch* watch = nullptr);

  // Runs one statement on its own with the simple query protocol (for work outside a transaction).
  // Returns the server's error, or nothing on success; throws ConnectionLost when the session breaks.
  std::optional<core::PgDiagnostics> run_single(std::string_view sql, const WaitWatch* watch = nullptr);

  // True while a transaction is open (or failed and not yet rolled back).
  bool in_transaction() const;
  // Rolls back the open transaction, if any and if the session is usable.
  void rollback_if_open();
  // Asks the server to cancel the statement running now (PQcancel; safe from a signal handler).
  // Returns false when the request could not be sent.
  bool cancel_running() const;

  // The server process serving this session (pg_stat_activity.pid).
  int backend_pid() const;
  // True while the session is usable.
  bool alive() const;
  // The server's version number, e.g. 150018.
  int server_version() const;

  // Session hygiene (session_guard.cpp): whatever a migration does to the session (SET, RESET ALL,
  // SET ROLE, SET SESSION AUTHORIZATION, search_path), the tool's own settings are back before each
  // ledger write, each commit and each next migration.

  // The timeouts applied to migrations and to the tool's own writes.
  void set_tool_settings(ToolSettings settings) { m_settings = std::move(settings); }
  const ToolSettings& tool_settings() const { return m_settings; }
  // The advisory lock key this session holds (set by MigrationLock), which lock_check verifies.
  void set_lock_key(std::optional<std::int64_t> key) { m_lock_key = key; }
  // Queries that make the session the tool's again, at session level: role and session user back
  // to the login, every setting reset, the kill check (client_connection_check_interval) re-armed;
  // within_transaction, also the tool's timeouts for the rest of the transaction.
  std::vector<PipelineQuery> restore_queries(bool within_transaction) const;
  // A query that fails (QueryRole::lock_check) unless this session still holds its lock.
  PipelineQuery lock_check_query() const;
  // Runs writes of the tool's own (the ledger) in one transaction of one round trip: read-write,
  // as the login user, with the tool's timeouts and search_path pg_catalog, all LOCAL (a
  // transaction:false section's own settings are intact afterwards); with check_lock, only while the
  // lock is held. Returns the failure, if any (the transaction is then rolled back).
  std::optional<PipelineFailure> tool_write(std::vector<PipelineQuery> writes, bool check_lock);
  // Runs restore_queries() on their own (after a transaction:false section); throws DatabaseError.
  void restore_session();

private:
  ToolSettings m_settings;
  std::optional<std::int64_t> m_lock_key;
  pg_conn* m_conn = nullptr;
  pg_cancel* m_cancel = nullptr;
  NoticeSink m_notices;
  static void on_notice(void* self, const char* message);
};

}  // namespace db
