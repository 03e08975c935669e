#include "runner/lock_watch.hpp"

#include <algorithm>

#include "db/diagnose.hpp"

namespace runner {

LockWatch::LockWatch(WriteSession& s, std::int64_t lock_timeout_ms) : m_session(s) {
  m_watch.period_ms = lock_timeout_ms > 0 ? std::clamp<std::int64_t>(lock_timeout_ms / 4, 50, 1000) : 1000;
  m_watch.on_wait = [this] { look(); };
}

std::string LockWatch::blocked_by() const {
  return m_last.empty() ? "a lock (the session holding it was not seen: it may have let go just before)" : m_last;
}

void LockWatch::look() {
  try {
    db::Client* watcher = m_session.watcher();
    if (!watcher) return;
    auto seen = db::describe_lock_wait(*watcher, m_session.db().backend_pid());
    if (seen.empty()) return;
    m_last = seen;
    if (seen != m_reported) m_session.reporter().progress("  waiting for " + seen);
    m_reported = seen;
  } catch (const core::Error&) {
    // Looking is best effort: a watcher that fails to look changes nothing of the migration, and
    // the lock timeout that may follow still names the lock from the last successful look.
  }
}

}  // namespace runner
