// What to tell an operator when a migration is stuck or failed: who blocks a lock, and which
// indexes a failed CREATE INDEX CONCURRENTLY left behind.
#pragma once

#include <string>
#include <vector>

#include "db/queryable.hpp"

namespace db {

// What the session pid waits for and who holds it, read from another session (pg_locks,
// pg_blocking_pids, pg_stat_activity), e.g. "AccessExclusiveLock on relation public.widgets,
// held by pid 4711 (application psql, user app, from local, idle in transaction since 2026-01-01
// 10:00:00 UTC, holding AccessShareLock)". Empty when pid is not waiting for anyone.
std::string describe_lock_wait(Queryable& watcher, int pid);

// An index left INVALID (pg_index.indisvalid = false), typically by a CREATE INDEX CONCURRENTLY that
// failed or was interrupted; it costs writes and is never used until dropped.
struct InvalidIndex {
  std::string name;   // schema-qualified and quoted where needed, e.g. public.widgets_name_key
  std::string table;  // its table, the same way
};

// Every invalid index of the database. Throws DatabaseError with context when it cannot be read.
std::vector<InvalidIndex> invalid_indexes(Queryable& q);

// "invalid index public.x (on public.t): drop index concurrently public.x; ..." or "".
std::string invalid_index_advice(const std::vector<InvalidIndex>& indexes);

}  // namespace db
