#include "runner/leftovers.hpp"

#include "core/error.hpp"

namespace runner {

std::string Leftovers::advice() const {
  if (!lookup_error.empty()) return "could not check for invalid indexes: " + lookup_error;
  return db::invalid_index_advice(indexes);
}

Leftovers find_leftovers(db::Queryable& q) {
  Leftovers out;
  try {
    out.indexes = db::invalid_indexes(q);
  } catch (const core::Error& e) {
    out.lookup_error = e.what();
  }
  return out;
}

}  // namespace runner
