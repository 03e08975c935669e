// A PostgreSQL error with all its fields, and how it is shown against a migration file.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/json.hpp"

namespace core {

// The fields of an error or notice reported by the server.
struct PgDiagnostics {
  std::string severity;        // ERROR, FATAL...
  std::string sqlstate;        // e.g. 42P01
  std::string message;
  std::string detail;
  std::string hint;
  std::string context;
  int position = 0;            // 1-based character position in the statement, 0 if none
  std::string internal_query;  // for errors inside PL/pgSQL or generated queries
  int internal_position = 0;
};

// Where a failing statement came from.
struct StatementOrigin {
  std::string file;       // migration file (display path)
  int line = 0;           // line of the statement's first token; 0 if the failure is not a statement's
  std::string sql;        // the statement text
  std::string what;       // e.g. "applying 20260101000000_init (up)"
  std::string blocked_by; // lock timeout: the lock waited for and the session(s) holding it
  std::string advice;     // what the failure left behind and what to do about it
};

// A SQL failure during a migration (exit 1), with the statement's origin and the server's fields.
class SqlFailure : public Failure {
public:
  SqlFailure(PgDiagnostics diag, StatementOrigin origin);
  const PgDiagnostics& diagnostics() const { return m_diag; }
  const StatementOrigin& origin() const { return m_origin; }
  // The line in the file where the error is: the statement's line plus the error position's line.
  int error_line() const;
  // Everything as JSON: sqlstate, message, detail, hint, context, file, line.
  Json to_json() const;
  Json details() const override { return to_json(); }

private:
  PgDiagnostics m_diag;
  StatementOrigin m_origin;
};

// Formats diag against its origin: "file:line: ERROR 42P01: message", then DETAIL, HINT, CONTEXT
// and the statement's line with a caret under the error position.
std::string format_sql_failure(const PgDiagnostics& diag, const StatementOrigin& origin);

// A hint of our own for well-known SQLSTATEs met in migrations (e.g. 25001: use transaction:false).
std::string hint_for_sqlstate(const std::string& sqlstate);

}  // namespace core
