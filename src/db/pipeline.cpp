#include "db/pipeline.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>

#include "core/text.hpp"

namespace db {

ConnectionLost::ConnectionLost(const std::string& detail)
    : core::Failure(fmt::format("lost the connection to the server: {}", core::trim(detail)),
                    "the server stopped or the network failed; run `autocrm-migrate status` once it is back: a "
                    "migration that was running in a transaction was rolled back with its ledger row; one running "
                    "outside a transaction is marked failed, naming the statement it stopped at") {}

core::PgDiagnostics diagnostics_of(const pg_result* result) {
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

struct Result {
  PGresult* r;
  explicit Result(PGresult* x) : r(x) {}
  ~Result() { PQclear(r); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
};

}  // namespace

std::optional<PipelineError> run_pipeline(pg_conn* conn, const std::vector<PipelineQuery>& queries,
                                          const WaitWatch* watch) {
  if (PQstatus(conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(conn));
  if (!PQenterPipelineMode(conn)) throw ConnectionLost(PQerrorMessage(conn));
  PQsetnonblocking(conn, 1);
  std::vector<const char*> values;
  for (const auto& q : queries) {
    values.clear();
    for (const auto& p : q.params) values.push_back(p ? p->c_str() : nullptr);
    if (!PQsendQueryParams(conn, q.sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0)) {
      PQsetnonblocking(conn, 0);
      throw ConnectionLost(PQerrorMessage(conn));
    }
    flush_all(conn);
  }
  if (!PQpipelineSync(conn)) throw ConnectionLost(PQerrorMessage(conn));
  flush_all(conn);
  PQsetnonblocking(conn, 0);

  std::optional<PipelineError> error;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    bool first = true;
    while (PGresult* raw = next_result(conn, watch)) {
      Result result(raw);
      ExecStatusType status = PQresultStatus(raw);
      if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) end_copy(conn, status);
      if (status == PGRES_FATAL_ERROR && !error) error = PipelineError{i, diagnostics_of(raw)};
      if (PQstatus(conn) == CONNECTION_BAD)
        throw ConnectionLost(error ? error->diag.message : std::string(PQerrorMessage(conn)));
      first = false;
    }
    if (first && PQstatus(conn) == CONNECTION_BAD) throw ConnectionLost(PQerrorMessage(conn));
  }
  // The sync's own result, then leave pipeline mode.
  for (;;) {
    PGresult* raw = PQgetResult(conn);
    if (!raw) {
      if (PQstatus(conn) == CONNECTION_BAD) throw ConnectionLost(PQerrorMessage(conn));
      continue;
    }
    Result result(raw);
    if (PQresultStatus(raw) == PGRES_PIPELINE_SYNC) break;
  }
  PQexitPipelineMode(conn);
  return error;
}

std::optional<core::PgDiagnostics> run_single(pg_conn* conn, const std::string& sql, const WaitWatch* watch) {
  if (PQstatus(conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(conn));
  if (!PQsendQuery(conn, sql.c_str())) throw ConnectionLost(PQerrorMessage(conn));
  std::optional<core::PgDiagnostics> error;
  while (PGresult* raw = next_result(conn, watch)) {
    Result result(raw);
    ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) end_copy(conn, status);
    if (status == PGRES_FATAL_ERROR && !error) error = diagnostics_of(raw);
  }
  if (PQstatus(conn) == CONNECTION_BAD)
    throw ConnectionLost(error ? error->message : std::string(PQerrorMessage(conn)));
  return error;
}

}  // namespace db
