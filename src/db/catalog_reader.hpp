// Reads the catalog facts the checks need with a handful of set-based queries.
#pragma once

#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "db/connection.hpp"

namespace db {

// Takes a snapshot of relations, policies, triggers, indexes, foreign keys, security definer
// functions and extensions of every non-system schema, in one read-only transaction (a
// consistent view) and a fixed number of queries whatever the schema's size. api_roles are the
// roles whose SELECT/EXECUTE privileges are reported (roles that do not exist are skipped).
core::CatalogSnapshot read_catalog(Connection& conn, const std::vector<std::string>& api_roles);

}  // namespace db
