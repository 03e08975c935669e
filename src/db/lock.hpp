// The migration lock: a session-level advisory lock so that two runs never migrate at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "db/migration_session.hpp"

namespace db {

// Holds the migration lock for its lifetime. Polls pg_try_advisory_lock (never a blocking wait,
// so a waiting run holds no snapshot that a CREATE INDEX CONCURRENTLY would wait for).
class MigrationLock {
public:
  // Waits up to wait_ms for the lock; on_wait is called once with the holder's description when
  // the lock is busy. Throws core::Failure naming the holder (pid, application, since when) on timeout.
  // stop, when given, is asked between polls: when it says true the wait ends early without the
  // lock (held() is false).
  MigrationLock(MigrationSession& session, std::int64_t key, std::int64_t wait_ms,
                const std::function<void(const std::string&)>& on_wait, const std::function<bool()>& stop = {});
  // True when the lock was obtained.
  bool held() const { return m_held; }
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

private:
  MigrationSession& m_session;
  std::int64_t m_key;
  bool m_held = false;
  bool try_lock();
  void wait_for(std::int64_t wait_ms, const std::function<void(const std::string&)>& on_wait,
                const std::function<bool()>& stop);
  std::string describe_holder();
};

}  // namespace db
