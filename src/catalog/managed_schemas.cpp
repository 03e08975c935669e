#include "catalog/managed_schemas.hpp"

namespace catalog {

const std::vector<std::string>& managed_schemas() {
  static const std::vector<std::string> schemas{
      "auth",    "storage",  "realtime",           "extensions",         "graphql", "graphql_public", "vault",
      "pgsodium", "pgsodium_masks", "supabase_functions", "supabase_migrations", "net",     "cron",
      "pgbouncer", "_realtime", "_analytics", "pgtle", "tiger", "topology"};
  return schemas;
}

}  // namespace catalog
