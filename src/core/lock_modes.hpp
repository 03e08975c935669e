// PostgreSQL's table lock modes and what each one blocks of an application's work: reads (SELECT
// takes ACCESS SHARE) and writes (INSERT, UPDATE, DELETE take ROW EXCLUSIVE).
#pragma once

#include <string>

namespace core {

// What a table lock held by a migration blocks.
struct LockImpact {
  bool reads = false;   // conflicts with ACCESS SHARE: SELECT waits
  bool writes = false;  // conflicts with ROW EXCLUSIVE: INSERT, UPDATE, DELETE wait
  int strength = 0;     // 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE); 0 for an unknown mode
};

// The impact of a mode as pg_locks names it ("AccessExclusiveLock") or as SQL writes it
// ("ACCESS EXCLUSIVE").
LockImpact lock_impact(const std::string& mode);

// "reads and writes", "writes", or "neither reads nor writes".
std::string blocks_text(const LockImpact& impact);

// "ACCESS EXCLUSIVE" for "AccessExclusiveLock" (pg_locks' spelling to SQL's).
std::string sql_lock_name(const std::string& mode);

}  // namespace core
