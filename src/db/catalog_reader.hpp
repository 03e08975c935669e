// Reads the catalog facts the checks need with a handful of set-based queries.
#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.hpp"
#include "db/client.hpp"

namespace db {

// Takes a snapshot of relations, policies, triggers, indexes, foreign keys, security definer
// functions and extensions of every non-system schema, in one read-only transaction (a
// consistent view) and a fixed number of queries whatever the schema's size. api_roles are the
// roles whose SELECT/EXECUTE privileges are reported (roles that do not exist are skipped).
// Throws DatabaseError ("reading the catalog: ...") when the server refuses.
catalog::Snapshot read_catalog(Client& client, const std::vector<std::string>& api_roles);

}  // namespace db
