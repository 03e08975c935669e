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
  std::vector<std::string> owned_by_api;  // API roles that are (members of) the owner: they skip RLS
  std::vector<std::string> rules;        // rewrite rules other than a view's _RETURN
  bool reads_auth_users = false;         // views: the definition reads auth.users
  std::vector<std::string> columns;      // column names, in order
  std::vector<std::string> reg_columns;  // columns of reg* types that pg_upgrade cannot carry (regproc, regoper...)
  // schema.name
  std::string qualified() const { return schema + "." + name; }
};

// A row level security policy.
struct Policy {
  std::string schema, table, name;
  char command = '*';              // pg_policy.polcmd: r (select), a (insert), w (update), d (delete), * (all)
  std::string using_expr, check_expr;  // as pg_get_expr prints them
  std::vector<std::string> roles{"public"};  // pg_policy.polroles by name, sorted; "public" for PUBLIC
  bool permissive = true;
  // True when USING is absent (null) in the catalog; check_expr empty likewise for WITH CHECK.
  bool no_using() const { return using_expr.empty(); }
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
  std::string when;                // the WHEN condition as pg_get_triggerdef prints it, "" for none
  std::vector<std::string> columns;  // UPDATE OF columns, in order; empty for any column
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
  std::string referenced;              // schema.name of the referenced table
  bool references_unique = false;      // the referenced key is a unique constraint/index, not the primary key
};

// A function or procedure (not one of an extension).
struct Function {
  std::string schema, name, arguments;
  std::string config;                  // proconfig joined with ','
  std::vector<std::string> executable_by;  // API roles (anon, authenticated) that may execute it
  bool security_definer = false;
  std::string language;                // plpgsql, sql, c...
  bool returns_trigger = false;
  std::string body;                    // prosrc, read only for definer and trigger functions
  std::vector<std::string> owned_by_api;  // API roles that are (members of) the owner
  // True when the function sets a search_path that does not depend on the caller: set, and
  // without "$user" (which names a schema after whoever runs the function).
  bool fixed_search_path() const {
    auto at = config.find("search_path=");
    if (at == std::string::npos) return false;
    auto end = config.find('=', at + 12);  // the next "name=" entry, if any
    return config.substr(at, end == std::string::npos ? std::string::npos : end - at).find("$user") == std::string::npos;
  }
  // schema.name(arguments)
  std::string signature() const { return schema + "." + name + "(" + arguments + ")"; }
};

// What one API role holds on one object, effective (direct, through PUBLIC or through membership).
struct Privilege {
  std::string kind;                    // table, column, sequence, function, schema
  std::string schema;                  // the object's schema (the schema itself for kind schema)
  std::string object;                  // public.tickets, public.tickets.title, public.f(uuid), public
  std::string role;
  std::vector<std::string> privileges;  // lowercase, sorted: select, insert, update, delete, truncate, ...
};

// An ALTER DEFAULT PRIVILEGES entry that grants something to an API role (or PUBLIC).
struct DefaultPrivilege {
  std::string owner;                   // the role whose future objects get it
  std::string schema;                  // "" for every schema
  std::string object_type;             // tables, sequences, functions, types, schemas
  std::string grantee;                 // API role or "public"
  std::vector<std::string> privileges;
};

// An attribute that lets an API role skip row level security.
struct RolePower {
  std::string role;                    // the API role
  std::string via;                     // the role holding the attribute: the API role itself or one it is a member of
  std::string attribute;               // superuser or bypassrls
};

// One problem plpgsql_check found in a function body.
struct BodyProblem {
  std::string function;                // signature
  std::string level;                   // error, warning...
  std::string message;
  int line = 0;
};

// An installed extension.
struct Extension {
  std::string name, schema;
  std::string version, default_version;  // installed, and the server's default ("" when unknown)
};

// Everything the checks look at, read in one consistent snapshot.
struct Snapshot {
  std::vector<Relation> relations;
  std::vector<Policy> policies;
  std::vector<PolicyColumn> policy_columns;
  std::vector<Trigger> triggers;
  std::vector<Index> indexes;
  std::vector<ForeignKey> foreign_keys;
  std::vector<Function> functions;
  std::vector<Extension> extensions;
  std::vector<std::string> available_extensions;  // pg_available_extensions
  std::vector<Privilege> privileges;
  std::vector<DefaultPrivilege> default_privileges;
  std::vector<RolePower> role_powers;
  bool plpgsql_check_ran = false;                  // plpgsql_check is installed and ran over every plpgsql body
  std::string plpgsql_check_error;                 // why it could not run, when installed
  std::vector<BodyProblem> body_problems;
  bool auth_users_rls = false;                     // auth.users exists and has row level security on
  int queries = 0;                                 // how many queries the snapshot took
};

}  // namespace catalog
