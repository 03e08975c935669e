// What each table lock mode blocks of an application's reads and writes.
#include <doctest/doctest.h>

#include "core/lock_modes.hpp"

TEST_CASE("lock modes: only ACCESS EXCLUSIVE blocks reads, SHARE and stronger block writes") {
  CHECK(core::blocks_text(core::lock_impact("AccessShareLock")) == "neither reads nor writes");
  CHECK(core::blocks_text(core::lock_impact("RowExclusiveLock")) == "neither reads nor writes");
  CHECK(core::blocks_text(core::lock_impact("ShareUpdateExclusiveLock")) == "neither reads nor writes");
  CHECK(core::blocks_text(core::lock_impact("ShareLock")) == "writes");
  CHECK(core::blocks_text(core::lock_impact("ShareRowExclusiveLock")) == "writes");
  CHECK(core::blocks_text(core::lock_impact("ExclusiveLock")) == "writes");
  CHECK(core::blocks_text(core::lock_impact("ACCESS EXCLUSIVE")) == "reads and writes");
  CHECK(core::lock_impact("AccessExclusiveLock").strength == 8);
  CHECK(core::lock_impact("ShareLock").strength < core::lock_impact("ShareRowExclusiveLock").strength);
  CHECK(core::lock_impact("no such lock").strength == 0);
  CHECK(core::sql_lock_name("ShareUpdateExclusiveLock") == "SHARE UPDATE EXCLUSIVE");
}
