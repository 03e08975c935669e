// What a failed or interrupted migration may have left behind in the database (INVALID indexes of a
// CREATE INDEX CONCURRENTLY), looked up so that every message can name it.
#pragma once

#include <string>
#include <vector>

#include "db/diagnose.hpp"

namespace runner {

// The invalid indexes of a database, or why they could not be listed.
struct Leftovers {
  std::vector<db::InvalidIndex> indexes;
  std::string lookup_error;  // "" when the look-up worked
  // "invalid index x (on t): drop index concurrently x; ...", the look-up's failure, or "".
  std::string advice() const;
};

// Lists the invalid indexes through q. A failing look-up (no privilege, session gone) is not an
// error of the command: it is kept in lookup_error and shown where the advice would be.
Leftovers find_leftovers(db::Queryable& q);

}  // namespace runner
