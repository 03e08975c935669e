// libpq results inside src/db: an owning handle and the diagnostics of an error result.
#pragma once

#include <libpq-fe.h>

#include "core/sql_error.hpp"
#include "db/rows.hpp"

namespace db {

// Owns a PGresult; cleared when it goes out of scope.
class PqResult {
public:
  explicit PqResult(PGresult* r) : m_r(r) {}
  ~PqResult() { PQclear(m_r); }
  PqResult(const PqResult&) = delete;
  PqResult& operator=(const PqResult&) = delete;
  PGresult* get() const { return m_r; }
  ExecStatusType status() const { return PQresultStatus(m_r); }

private:
  PGresult* m_r;
};

// The fields of an error result.
core::PgDiagnostics diagnostics_of(const PGresult* result);

// The rows of a tuples result, as text cells.
Rows rows_of(const PGresult* result);

}  // namespace db
