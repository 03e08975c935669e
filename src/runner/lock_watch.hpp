// While a statement runs, a second session looks at what it waits for, so that a lock timeout can
// name the lock and the session that held it (and a long wait is reported as it happens).
#pragma once

#include <string>

#include "db/migration_session.hpp"
#include "runner/session.hpp"

namespace runner {

// Watches the write session's backend during one migration.
class LockWatch {
public:
  // lock_timeout_ms paces the looks: several fit in the timeout; a quick statement is never looked at.
  LockWatch(WriteSession& s, std::int64_t lock_timeout_ms);
  // The watch to hand to MigrationSession::pipeline / run_single.
  const db::WaitWatch* watch() const { return &m_watch; }
  // Forgets what was seen (a new statement starts).
  void reset() { m_last.clear(); }
  // The last lock wait seen, or a sentence saying none was.
  std::string blocked_by() const;

private:
  WriteSession& m_session;
  db::WaitWatch m_watch;
  std::string m_last, m_reported;
  void look();
};

}  // namespace runner
