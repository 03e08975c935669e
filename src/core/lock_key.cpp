#include "core/lock_key.hpp"

#include "core/text.hpp"

namespace core {

std::int64_t migration_lock_key(const std::string& schema, const std::string& table) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char c : "autocrm-migrate:" + quote_identifier(schema) + "." + quote_identifier(table)) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return static_cast<std::int64_t>(hash);
}

}  // namespace core
