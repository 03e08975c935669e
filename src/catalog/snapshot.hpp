// A snapshot of the catalog facts the capabilities read (check, and later drift), as plain data.
// src/db fills it (db::read_catalog); nothing here needs a database.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace catalog {

// A table, partitioned table, view, materialized view or foreign table.
struct Relation {
  std::string schema, name;
  char kind = 'r';                 // pg_class.relkind: r, p, v, m, f
  bool rls = false, force_rls = false;
  bool is_partition = false;
  bool has_primary_key = false;
  bool has_updated_at = false;     // has a column named updated_at
  bool security_invoker = false;   // views: reloptions security_invoker
  std::vector<std::string> readable_by;  // API roles (anon, authenticated) with SELECT
  // schema.name
  std::string qualified() const { return schema + "." + name; }
};

// A row level security policy.
struct Policy {
  std::string schema, table, name;
  char command = '*';              // pg_policy.polcmd: r (select), a (insert), w (update), d (delete), * (all)
  std::string using_expr, check_expr;  // as pg_get_expr prints them
};

// A column that a policy's expression reads.
struct PolicyColumn {
  std::string schema, table, column;
};

// A user trigger.
struct Trigger {
  std::string schema, table, name;
  char enabled = 'O';              // pg_trigger.tgenabled: O, D, R, A
  int type = 0;                    // pg_trigger.tgtype bits
  std::string function;            // schema.name
  std::vector<std::string> args;
  std::string old_table, new_table;  // transition table names (REFERENCING OLD/NEW TABLE), "" for none
  // True for FOR EACH ROW.
  bool row() const { return type & 1; }
  // "row" or "statement".
  std::string level() const { return row() ? "row" : "statement"; }
  // "before", "after" or "instead of".
  std::string timing() const { return (type & 2) ? "before" : (type & 64) ? "instead of" : "after"; }
  // The events in a fixed order: insert, update, delete, truncate.
  std::vector<std::string> events() const;
};

// An index.
struct Index {
  std::string schema, table, name, method;
  bool unique = false, valid = true, primary = false;
  std::vector<std::string> columns;    // key columns or expressions, in order
  std::vector<std::string> opclasses;  // operator class of each key column
  std::string predicate;               // WHERE clause, "" for none
  std::string identity;                // indkey + indclass + exprs + predicate: equal for duplicate indexes
};

// A foreign key constraint.
struct ForeignKey {
  std::string schema, table, name;
  std::vector<std::string> columns;
};

// A security definer function.
struct Function {
  std::string schema, name, arguments;
  std::string config;                  // proconfig joined with ','
  std::vector<std::string> executable_by;  // API roles (anon, authenticated) that may execute it
  // True when the function sets search_path.
  bool has_search_path() const { return config.find("search_path=") != std::string::npos; }
};

// An installed extension.
struct Extension {
  std::string name, schema;
};

// Everything the checks look at, read in one consistent snapshot.
struct Snapshot {
  std::vector<Relation> relations;
  std::vector<Policy> policies;
  std::vector<PolicyColumn> policy_columns;
  std::vector<Trigger> triggers;
  std::vector<Index> indexes;
  std::vector<ForeignKey> foreign_keys;
  std::vector<Function> security_definer_functions;
  std::vector<Extension> extensions;
  std::vector<std::string> available_extensions;  // pg_available_extensions
  int queries = 0;                                 // how many queries the snapshot took
};

}  // namespace catalog
