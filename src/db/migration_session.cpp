#include "db/migration_session.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "db/conninfo.hpp"
#include "db/errors.hpp"
#include "db/pq_result.hpp"

namespace db {

core::PgDiagnostics diagnostics_of(const PGresult* result) {
  auto field = [&](int code) {
    const char* v = PQresultErrorField(result, code);
    return v ? std::string(v) : std::string();
  };
  core::PgDiagnostics d;
  d.severity = field(PG_DIAG_SEVERITY_NONLOCALIZED);
  if (d.severity.empty()) d.severity = field(PG_DIAG_SEVERITY);
  d.sqlstate = field(PG_DIAG_SQLSTATE);
  d.message = field(PG_DIAG_MESSAGE_PRIMARY);
  if (d.message.empty()) d.message = std::string(core::trim(PQresultErrorMessage(result)));
  d.detail = field(PG_DIAG_MESSAGE_DETAIL);
  d.hint = field(PG_DIAG_MESSAGE_HINT);
  d.context = field(PG_DIAG_CONTEXT);
  d.internal_query = field(PG_DIAG_INTERNAL_QUERY);
  auto pos = field(PG_DIAG_STATEMENT_POSITION);
  d.position = pos.empty() ? 0 : std::stoi(pos);
  auto ipos = field(PG_DIAG_INTERNAL_POSITION);
  d.internal_position = ipos.empty() ? 0 : std::stoi(ipos);
  return d;
}

Rows rows_of(const PGresult* result) {
  Rows out;
  int n = PQntuples(result), cols = PQnfields(result);
  out.reserve(static_cast<std::size_t>(n));
  for (int r = 0; r < n; ++r) {
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c)
      cells.push_back(PQgetisnull(result, r, c) ? std::nullopt
                                                : std::optional<std::string>(std::string(
                                                      PQgetvalue(result, r, c),
                                                      static_cast<std::size_t>(PQgetlength(result, r, c)))));
    out.emplace_back(std::move(cells));
  }
  return out;
}

void MigrationSession::on_notice(void* self, const char* message) {
  auto* session = static_cast<MigrationSession*>(self);
  try {
    if (session->m_notices) session->m_notices(std::string(core::trim(message)));
  } catch (...) {
    // A notice that cannot be shown must not break the migration that raised it.
  }
}

MigrationSession::MigrationSession(const std::string& conninfo, const std::string& application_name,
                                   NoticeSink notices)
    : m_notices(std::move(notices)) {
  m_conn = PQconnectdb(with_connection_defaults(conninfo, application_name).c_str());
  if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
    std::string why = m_conn ? core::redact(core::trim(PQerrorMessage(m_conn))) : "out of memory";
    PQfinish(m_conn);
    m_conn = nullptr;
    throw core::Failure(fmt::format("cannot connect to {}: {}", describe_target(conninfo), why),
                        "check that the server runs and the URL (database_url, DATABASE_URL) is right");
  }
  PQsetNoticeProcessor(m_conn, &MigrationSession::on_notice, this);
  m_cancel = PQgetCancel(m_conn);
  // A killed tool must not leave its session working on: without this the server finds out that
  // the client is gone only when it next writes to it, so a migration waiting for a lock or
  // running a long statement would go on holding its locks, then commit (it got every statement
  // and the commit in one pipeline) as if nobody had stopped it. The server checks the socket
  // every second while a statement runs (PostgreSQL 14+), and rolls back when the client is gone.
  // Over TCP the server side also probes: a client behind a cut network is found within about 25 s.
  if (server_version() >= 140000) {
    try {
      query("select set_config('client_connection_check_interval', '1000', false) "
            "where current_setting('client_connection_check_interval') = '0'");
      query("select set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), "
            "set_config('tcp_keepalives_count', '3', false)");
    } catch (const DatabaseError& e) {
      throw core::Failure(fmt::format("cannot start a session: {}", e.what()));
    }
  }
}

MigrationSession::~MigrationSession() {
  if (m_cancel) PQfreeCancel(m_cancel);
  if (m_conn) PQfinish(m_conn);
}

Rows MigrationSession::query(const std::string& sql, const Params& params) {
  if (PQstatus(m_conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(m_conn));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PqResult result(PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0));
  ExecStatusType status = result.get() ? result.status() : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return rows_of(result.get());
  if (PQstatus(m_conn) != CONNECTION_OK || !result.get()) throw ConnectionLost(PQerrorMessage(m_conn));
  throw DatabaseError(diagnostics_of(result.get()));
}

std::string MigrationSession::describe() const {
  std::string h = PQhost(m_conn) ? PQhost(m_conn) : "";
  if (h.starts_with("/")) h = "socket " + h;
  return fmt::format("database {} as {} on {}:{}", PQdb(m_conn), PQuser(m_conn), h, PQport(m_conn));
}

bool MigrationSession::in_transaction() const { return PQtransactionStatus(m_conn) != PQTRANS_IDLE; }

void MigrationSession::rollback_if_open() {
  if (alive() && in_transaction()) run_single("rollback");
}

bool MigrationSession::cancel_running() const {
  char error[256];
  return m_cancel && PQcancel(m_cancel, error, sizeof error) == 1;
}

int MigrationSession::backend_pid() const { return m_conn ? PQbackendPID(m_conn) : 0; }

bool MigrationSession::alive() const { return m_conn && PQstatus(m_conn) == CONNECTION_OK; }

int MigrationSession::server_version() const { return m_conn ? PQserverVersion(m_conn) : 0; }

}  // namespace db
