// MigrationSession::pipeline and run_single: sending statements and reading their results.
#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "db/errors.hpp"
#include "db/migration_session.hpp"
#include "db/pq_result.hpp"

namespace db {

namespace {

// Pushes libpq's output buffer to the socket, reading input meanwhile so the server never blocks on us.
void flush_all(PGconn* conn) {
  for (;;) {
    int rc = PQflush(conn);
    if (rc == 0) return;
    if (rc < 0) throw ConnectionLost(PQerrorMessage(conn));
    pollfd fd{PQsocket(conn), POLLIN | POLLOUT, 0};
    if (poll(&fd, 1, -1) < 0 && errno != EINTR) throw ConnectionLost("poll failed");
    if ((fd.revents & POLLIN) && !PQconsumeInput(conn)) throw ConnectionLost(PQerrorMessage(conn));
  }
}

// Handles a COPY state result: migrations carry no COPY data, so COPY FROM STDIN is refused.
void end_copy(PGconn* conn, ExecStatusType status) {
  if (status == PGRES_COPY_IN) {
    PQputCopyEnd(conn, "COPY FROM STDIN is not supported in migrations: load data with INSERT or COPY FROM a file");
  } else if (status == PGRES_COPY_OUT) {
    char* buffer = nullptr;
    while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
  }
}

// Waits until PQgetResult would not block, calling watch->on_wait every period meanwhile.
void wait_for_result(PGconn* conn, const WaitWatch* watch) {
  if (!watch || !watch->on_wait) return;
  int period = static_cast<int>(std::max<std::int64_t>(watch->period_ms, 10));
  while (PQisBusy(conn)) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    int rc = poll(&fd, 1, period);
    if (rc < 0 && errno != EINTR) throw ConnectionLost("poll failed");
    if (rc == 0) {
      watch->on_wait();
      continue;
    }
    if (rc > 0 && !PQconsumeInput(conn)) return;  // PQgetResult reports the broken connection
  }
}

PGresult* next_result(PGconn* conn, const WaitWatch* watch) {
  wait_for_result(conn, watch);
  return PQgetResult(conn);
}

// Pipeline mode for a scope: entered at construction; on every exit, blocking mode is restored and
// pipeline mode left (a broken session cannot leave it cleanly, and is not used again anyway).
class PipelineMode {
public:
  explicit PipelineMode(PGconn* conn) : m_conn(conn) {
    if (!PQenterPipelineMode(conn)) throw ConnectionLost(PQerrorMessage(conn));
    PQsetnonblocking(conn, 1);
  }
  ~PipelineMode() {
    PQsetnonblocking(m_conn, 0);
    if (PQpipelineStatus(m_conn) != PQ_PIPELINE_OFF) PQexitPipelineMode(m_conn);
  }
  PipelineMode(const PipelineMode&) = delete;
  PipelineMode& operator=(const PipelineMode&) = delete;

private:
  PGconn* m_conn;
};

void send_all(PGconn* conn, const std::vector<PipelineQuery>& queries) {
  std::string text;  // libpq wants NUL-terminated text; one buffer reused for every query
  std::vector<const char*> values;
  for (const auto& q : queries) {
    text.assign(q.sql);
    values.clear();
    for (const auto& p : q.params) values.push_back(p ? p->c_str() : nullptr);
    if (!PQsendQueryParams(conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0))
      throw ConnectionLost(PQerrorMessage(conn));
    flush_all(conn);
  }
  if (!PQpipelineSync(conn)) throw ConnectionLost(PQerrorMessage(conn));
  flush_all(conn);
  PQsetnonblocking(conn, 0);
}

// Reads the results of every query, then the sync's; returns the first failure.
std::optional<PipelineFailure> read_all(PGconn* conn, const std::vector<PipelineQuery>& queries,
                                        const WaitWatch* watch) {
  std::optional<PipelineFailure> failure;
  for (const auto& q : queries) {
    bool any = false;
    while (PGresult* raw = next_result(conn, watch)) {
      PqResult result(raw);
      ExecStatusType status = result.status();
      if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) end_copy(conn, status);
      if (status == PGRES_FATAL_ERROR && !failure) failure = PipelineFailure{q.role, q.statement, diagnostics_of(raw)};
      if (PQstatus(conn) == CONNECTION_BAD)
        throw ConnectionLost(failure ? failure->diag.message : std::string(PQerrorMessage(conn)));
      any = true;
    }
    if (!any && PQstatus(conn) == CONNECTION_BAD) throw ConnectionLost(PQerrorMessage(conn));
  }
  for (;;) {
    PGresult* raw = PQgetResult(conn);
    if (!raw) {
      if (PQstatus(conn) == CONNECTION_BAD) throw ConnectionLost(PQerrorMessage(conn));
      continue;
    }
    PqResult result(raw);
    if (result.status() == PGRES_PIPELINE_SYNC) break;
  }
  return failure;
}

}  // namespace

std::optional<PipelineFailure> MigrationSession::pipeline(const std::vector<PipelineQuery>& queries,
                                                          const WaitWatch* watch) {
  if (PQstatus(m_conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(m_conn));
  PipelineMode mode(m_conn);
  send_all(m_conn, queries);
  return read_all(m_conn, queries, watch);
}

std::optional<core::PgDiagnostics> MigrationSession::run_single(std::string_view sql, const WaitWatch* watch) {
  if (PQstatus(m_conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(m_conn));
  std::string text(sql);
  if (!PQsendQuery(m_conn, text.c_str())) throw ConnectionLost(PQerrorMessage(m_conn));
  std::optional<core::PgDiagnostics> error;
  while (PGresult* raw = next_result(m_conn, watch)) {
    PqResult result(raw);
    ExecStatusType status = result.status();
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) end_copy(m_conn, status);
    if (status == PGRES_FATAL_ERROR && !error) error = diagnostics_of(raw);
  }
  if (PQstatus(m_conn) == CONNECTION_BAD)
    throw ConnectionLost(error ? error->message : std::string(PQerrorMessage(m_conn)));
  return error;
}

}  // namespace db
