// Errors from the database boundary: every libpq/libpqxx failure becomes one of these, with the
// SQLSTATE and what the tool was doing, before it leaves src/db.
#pragma once

#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/sql_error.hpp"

namespace db {

// The server refused a query: "reading the ledger x.y: permission denied for schema x (42501)".
class DatabaseError : public core::Failure {
public:
  // doing: what the tool was doing ("" when the caller adds it later with with_context).
  DatabaseError(core::PgDiagnostics diag, const std::string& doing = {});
  const core::PgDiagnostics& diagnostics() const { return m_diag; }
  // sqlstate, message, detail and hint, for --format json.
  core::Json details() const override;

private:
  core::PgDiagnostics m_diag;
};

// The session with the server broke (server stopped, network gone): exit 1 with what libpq said.
class ConnectionLost : public core::Failure {
public:
  explicit ConnectionLost(const std::string& detail);
};

// The session no longer holds its migration lock (a migration ran pg_advisory_unlock_all(),
// DISCARD ALL or pg_advisory_unlock(key)): another run may be working on the same ledger now.
class LockLost : public core::Failure {
public:
  // what: what the tool was doing when it found out, e.g. "applying 2026..._x (up)".
  explicit LockLost(const std::string& what);
};

// Runs f; a DatabaseError it throws is thrown again with doing as its context.
template <class F>
auto with_context(const std::string& doing, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const DatabaseError& e) {
    throw DatabaseError(e.diagnostics(), doing);
  }
}

}  // namespace db
