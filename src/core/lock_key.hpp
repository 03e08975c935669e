// The key of the migration lock: the session-level advisory lock every writing run holds.
#pragma once

#include <cstdint>
#include <string>

namespace core {

// A stable 64-bit key for the ledger at schema.table, derived from both names quoted as
// identifiers, so that "a.b"."c" and "a"."b.c" have different keys.
std::int64_t migration_lock_key(const std::string& schema, const std::string& table);

}  // namespace core
