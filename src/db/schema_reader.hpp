// Reads every object of a database's schema for drift: a fixed set of set-based catalog queries
// (one per object kind, however big the schema) in one read-only snapshot.
#pragma once

#include <string>
#include <vector>

#include "catalog/schema_objects.hpp"
#include "db/queryable.hpp"

namespace db {

// What to leave out: objects in these schemas (the ledger's, Supabase's own), extension members
// always. Policies on storage.objects are read whatever the list says (users write them).
struct SchemaScope {
  std::vector<std::string> excluded_schemas;
  // Tables left out with what belongs to them (columns, constraints, indexes, triggers, rules,
  // policies): "schema.table" patterns where * is any text and ? any one character.
  std::vector<std::string> ignored_tables;
};

// A pattern of SchemaScope::ignored_tables as an anchored regular expression.
std::string pattern_regex(const std::string& pattern);

// The number of queries read_schema_objects sends (for the benchmark's query count).
std::size_t schema_query_count();

// Reads the objects of q's database, normalised by the catalog (pg_get_*def, privileges as sorted
// sets without grantors, the session's own role as catalog::k_migration_role). Runs in its own
// read-only repeatable-read transaction.
catalog::SchemaObjects read_schema_objects(Queryable& q, const SchemaScope& scope);

}  // namespace db
