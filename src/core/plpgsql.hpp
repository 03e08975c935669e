// The SQL statements a PL/pgSQL block runs, found by PostgreSQL's own PL/pgSQL parser (libpg_query),
// so that lint reads the statements of a DO block like those of the file around it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace core {

// One statement of a PL/pgSQL body.
struct EmbeddedStatement {
  std::string sql;          // as written (for EXECUTE of a constant string: the string's value)
  std::size_t offset = 0;   // where it starts in the body
  int line = 1;             // the body's line it starts on, 1-based
  bool dynamic = false;     // run by EXECUTE 'constant string'
};

// What a PL/pgSQL body runs, in order.
struct PlpgsqlStatements {
  bool ok = false;                            // the body parsed as PL/pgSQL
  std::string error;                          // the parser's message when it did not
  std::vector<EmbeddedStatement> statements;  // plain SQL statements and EXECUTEs of constant strings
  int computed_executes = 0;                  // EXECUTEs of a computed string (format(), ||): not readable
};

// The statements of a DO block's (or a function's) PL/pgSQL body, with their places in it.
PlpgsqlStatements plpgsql_statements(std::string_view body);

}  // namespace core
