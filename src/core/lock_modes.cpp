#include "core/lock_modes.hpp"

#include <cctype>

namespace core {

namespace {

// "AccessExclusiveLock" and "ACCESS EXCLUSIVE" both become "accessexclusive".
std::string key_of(const std::string& mode) {
  std::string k;
  for (char c : mode)
    if (std::isalpha(static_cast<unsigned char>(c))) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (k.size() > 4 && k.ends_with("lock")) k.resize(k.size() - 4);
  return k;
}

struct Mode {
  const char* key;
  const char* sql;
  LockImpact impact;
};

// The conflict table of PostgreSQL's documentation (13.3.1), read for ACCESS SHARE and ROW EXCLUSIVE.
const Mode k_modes[] = {
    {"accessshare", "ACCESS SHARE", {false, false, 1}},
    {"rowshare", "ROW SHARE", {false, false, 2}},
    {"rowexclusive", "ROW EXCLUSIVE", {false, false, 3}},
    {"shareupdateexclusive", "SHARE UPDATE EXCLUSIVE", {false, false, 4}},
    {"share", "SHARE", {false, true, 5}},
    {"sharerowexclusive", "SHARE ROW EXCLUSIVE", {false, true, 6}},
    {"exclusive", "EXCLUSIVE", {false, true, 7}},
    {"accessexclusive", "ACCESS EXCLUSIVE", {true, true, 8}},
};

const Mode* find(const std::string& mode) {
  std::string k = key_of(mode);
  for (const auto& m : k_modes)
    if (k == m.key) return &m;
  return nullptr;
}

}  // namespace

LockImpact lock_impact(const std::string& mode) {
  const Mode* m = find(mode);
  return m ? m->impact : LockImpact{};
}

std::string blocks_text(const LockImpact& impact) {
  if (impact.reads && impact.writes) return "reads and writes";
  if (impact.writes) return "writes";
  return "neither reads nor writes";
}

std::string sql_lock_name(const std::string& mode) {
  const Mode* m = find(mode);
  return m ? m->sql : mode;
}

}  // namespace core
