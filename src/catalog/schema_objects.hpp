// Every object of a database's schema as plain data, for drift: each object is its kind, its
// identity and its attributes, each attribute already normalised by the catalog (pg_get_*def,
// privileges as sorted sets, the migrating role named by a placeholder).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace catalog {

// One object of the schema, e.g. {"function", "public.is_admin()", {{"definition", "CREATE ..."}}}.
struct SchemaObject {
  std::string kind;
  std::string identity;
  std::map<std::string, std::string> attributes;  // name -> normalised text; absent: not set
};

// The objects of one database, in any order.
using SchemaObjects = std::vector<SchemaObject>;

// The placeholder for the role that ran the migrations (the session's current_user), so that two
// databases migrated by different roles compare equal.
inline constexpr const char* k_migration_role = "(migration role)";

}  // namespace catalog
