// What the ledger, the lock and the diagnostics need from a session: one query at a time with
// text parameters. The migration session (libpq) and the client sessions (libpqxx) provide it.
#pragma once

#include <string>

#include "db/rows.hpp"

namespace db {

// A session that runs single queries.
class Queryable {
public:
  virtual ~Queryable() = default;
  // Runs one statement with text parameters ($1, $2...) and returns its rows. Throws DatabaseError
  // with the server's diagnostics, or ConnectionLost when the session broke.
  virtual Rows query(const std::string& sql, const Params& params = {}) = 0;
  // Database name, user and host as libpq resolved them (never the password).
  virtual std::string describe() const = 0;
};

// Runs a transaction over single queries: begins at construction, rolls back at destruction unless
// commit() ran (a failure inside leaves nothing behind).
class Transaction {
public:
  explicit Transaction(Queryable& q) : m_q(q) { m_q.query("begin"); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Commits; the destructor then does nothing.
  void commit() {
    m_q.query("commit");
    m_done = true;
  }

private:
  Queryable& m_q;
  bool m_done = false;
};

}  // namespace db
