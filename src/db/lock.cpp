#include "db/lock.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "db/errors.hpp"

namespace db {

MigrationLock::MigrationLock(MigrationSession& session, std::int64_t key, std::int64_t wait_ms,
                             const std::function<void(const std::string&)>& on_wait, const std::function<bool()>& stop)
    : m_session(session), m_key(key) {
  if (try_lock()) return;
  wait_for(wait_ms, on_wait, stop);
}

void MigrationLock::wait_for(std::int64_t wait_ms, const std::function<void(const std::string&)>& on_wait,
                             const std::function<bool()>& stop) {
  std::string holder = describe_holder();
  if (on_wait) on_wait(holder);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  auto pause = std::chrono::milliseconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(pause);
    if (stop && stop()) return;
    if (try_lock()) return;
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
  holder = describe_holder();
  throw core::Failure(fmt::format("another run holds the migration lock: {}; gave up after {} ms", holder, wait_ms),
                      "wait for it to finish, or raise lock_wait (--lock-wait)");
}

MigrationLock::~MigrationLock() {
  if (!m_held) return;
  m_session.set_lock_key(std::nullopt);
  try {
    if (m_session.alive()) m_session.query("select pg_advisory_unlock($1)", {std::to_string(m_key)});
  } catch (const core::Error&) {
    // The lock is released with the session anyway.
  }
}

bool MigrationLock::try_lock() {
  auto r = with_context("taking the migration lock",
                        [&] { return m_session.query("select pg_try_advisory_lock($1)", {std::to_string(m_key)}); });
  if (!r[0].boolean(0)) return false;
  m_session.set_lock_key(m_key);
  m_held = true;
  return true;
}

std::string MigrationLock::describe_holder() {
  auto high = static_cast<std::int64_t>(static_cast<std::uint64_t>(m_key) >> 32);
  auto low = static_cast<std::int64_t>(static_cast<std::uint64_t>(m_key) & 0xffffffffULL);
  auto r = with_context("looking up the holder of the migration lock", [&] {
    return m_session.query(
        "select a.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.usename::text, '?'),"
        " coalesce(a.client_addr::text, 'local'),"
        " to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS UTC'), coalesce(a.state, '?')"
        " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
        " where l.locktype = 'advisory' and l.granted and l.classid::bigint = $1 and l.objid::bigint = $2"
        " and l.objsubid = 1 and l.database = (select oid from pg_database where datname = current_database())",
        {std::to_string(high), std::to_string(low)});
  });
  if (r.empty()) return "a session that has just released it";
  return fmt::format("pid {} ({}, user {}, from {}, connected since {}, {})", r[0].text(0), r[0].text(1), r[0].text(2),
                     r[0].text(3), r[0].text(4), r[0].text(5));
}

}  // namespace db
