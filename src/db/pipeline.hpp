// Sends SQL to the server: many statements in one round trip (libpq pipeline mode), or one at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/sql_error.hpp"

struct pg_conn;
struct pg_result;

namespace db {

// One query of a pipeline with its text parameters (nullopt stands for NULL).
struct PipelineQuery {
  std::string sql;
  std::vector<std::optional<std::string>> params;
};

// Called every period_ms while the server has not answered yet: a way to look, from another
// session, at what a long statement waits for (the lock and the session that blocks it).
struct WaitWatch {
  std::int64_t period_ms = 1000;
  std::function<void()> on_wait;
};

// The first query of a pipeline that failed, and what the server said.
struct PipelineError {
  std::size_t index;
  core::PgDiagnostics diag;
};

// Sends every query in one pipeline with a single sync: one round trip however many queries.
// The server stops at the first error and skips the rest; that error is returned. Returns nothing
// when all succeeded. Throws ConnectionLost when the session breaks. watch, if given, is called
// while the server works.
std::optional<PipelineError> run_pipeline(pg_conn* conn, const std::vector<PipelineQuery>& queries,
                                          const WaitWatch* watch = nullptr);

// Runs one statement on its own with the simple query protocol (for work outside a transaction).
// Returns the server's error, or nothing on success; throws ConnectionLost when the session breaks.
std::optional<core::PgDiagnostics> run_single(pg_conn* conn, const std::string& sql,
                                              const WaitWatch* watch = nullptr);

// The fields of an error result.
core::PgDiagnostics diagnostics_of(const pg_result* result);

// The session with the server broke (server stopped, network gone): exit 1 with what libpq said.
class ConnectionLost : public core::Failure {
public:
  explicit ConnectionLost(const std::string& detail);
};

}  // namespace db
