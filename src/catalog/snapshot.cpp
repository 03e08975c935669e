#include "catalog/snapshot.hpp"

namespace catalog {

std::vector<std::string> Trigger::events() const {
  std::vector<std::string> out;
  if (type & 4) out.push_back("insert");
  if (type & 16) out.push_back("update");
  if (type & 8) out.push_back("delete");
  if (type & 32) out.push_back("truncate");
  return out;
}

}  // namespace catalog
