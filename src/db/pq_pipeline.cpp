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

// One pipeline on the wire: sends every query of the batch and reads their results, reading what
// has arrived while it still sends (so the results of a big section never pile up in memory).
class PipelineRun {
public:
  PipelineRun(PGconn* conn, const PipelineBatch& batch) : m_conn(conn), m_batch(batch) {
    std::size_t statements = batch.statements ? batch.statements->size() : 0;
    m_total = batch.before.size() + statements + batch.after.size();
  }

  std::optional<PipelineFailure> run(const WaitWatch* watch) {
    std::string text;  // libpq wants NUL-terminated text; one buffer reused for every query
    std::vector<const char*> values;
    for (std::size_t i = 0; i < m_total; ++i) {
      PipelineQuery q = query_at(i);
      text.assign(q.sql);
      values.clear();
      for (const auto& p : q.params) values.push_back(p ? p->c_str() : nullptr);
      if (!PQsendQueryParams(m_conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0))
        throw ConnectionLost(PQerrorMessage(m_conn));
      m_sent = i + 1;
      // Flushed every 256 queries, not after each: a section of a few statements leaves in one write,
      // which the server reads whole (so a FATAL it sends before closing reaches us, instead of a
      // reset for data it never read); a big one never piles up in libpq's buffer.
      if (m_sent % 256 == 0) {
        flush_all(m_conn);
        read_arrived();
      }
    }
    if (!PQpipelineSync(m_conn)) throw ConnectionLost(PQerrorMessage(m_conn));
    flush_all(m_conn);
    PQsetnonblocking(m_conn, 0);
    while (m_read < m_total) read_one(next_result(m_conn, watch));
    read_sync();
    return m_failure;
  }

private:
  PGconn* m_conn;
  const PipelineBatch& m_batch;
  std::size_t m_total = 0, m_sent = 0, m_read = 0;  // m_read: queries whose results are all read
  std::optional<PipelineFailure> m_failure;

  // The i-th query of the batch (its text is not copied).
  PipelineQuery query_at(std::size_t i) const {
    if (i < m_batch.before.size()) return m_batch.before[i];
    i -= m_batch.before.size();
    std::size_t statements = m_batch.statements ? m_batch.statements->size() : 0;
    if (i < statements) return PipelineQuery{(*m_batch.statements)[i].sql, {}, QueryRole::statement, i};
    return m_batch.after[i - statements];
  }

  // The session broke: what the server said last (a FATAL such as "terminating connection due to
  // administrator command"), else what libpq saw.
  [[noreturn]] void lost() const {
    throw ConnectionLost(m_failure ? m_failure->diag.message : std::string(PQerrorMessage(m_conn)));
  }

  // Takes one result of the query being read; nullptr ends that query's results.
  void read_one(PGresult* raw) {
    if (!raw) {
      if (PQstatus(m_conn) == CONNECTION_BAD) lost();
      ++m_read;
      return;
    }
    PqResult result(raw);
    ExecStatusType status = result.status();
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) end_copy(m_conn, status);
    if (status == PGRES_FATAL_ERROR && !m_failure) {
      PipelineQuery q = query_at(m_read);
      m_failure = PipelineFailure{q.role, q.statement, diagnostics_of(raw)};
    }
    if (PQstatus(m_conn) == CONNECTION_BAD) lost();
  }

  // Reads, without waiting, the results that have arrived for the queries sent so far.
  void read_arrived() {
    if (!PQconsumeInput(m_conn)) throw ConnectionLost(PQerrorMessage(m_conn));
    while (m_read < m_sent && !PQisBusy(m_conn)) read_one(PQgetResult(m_conn));
  }

  // The sync's own result, which ends the pipeline.
  void read_sync() {
    for (;;) {
      PGresult* raw = PQgetResult(m_conn);
      if (!raw) {
        if (PQstatus(m_conn) == CONNECTION_BAD) lost();
        continue;
      }
      PqResult result(raw);
      if (result.status() == PGRES_PIPELINE_SYNC) return;
    }
  }
};

}  // namespace

std::optional<PipelineFailure> MigrationSession::pipeline(const PipelineBatch& batch, const WaitWatch* watch) {
  if (PQstatus(m_conn) != CONNECTION_OK) throw ConnectionLost(PQerrorMessage(m_conn));
  PipelineMode mode(m_conn);
  return PipelineRun(m_conn, batch).run(watch);
}

std::optional<PipelineFailure> MigrationSession::pipeline(std::vector<PipelineQuery> queries, const WaitWatch* watch) {
  PipelineBatch batch;
  batch.before = std::move(queries);
  return pipeline(batch, watch);
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
