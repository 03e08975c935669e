// The documented schema, declared once in a TOML file: what `check` compares the database with.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace check {

// A trigger a table must carry.
struct DeclaredTrigger {
  std::string name;
  std::string timing;               // before, after, instead of
  std::string level = "row";        // row (FOR EACH ROW) or statement (FOR EACH STATEMENT)
  std::vector<std::string> events;  // insert, update, delete, truncate (sorted in that order)
  std::string function;             // schema.name
  std::vector<std::string> args;
  std::string when;                 // the WHEN condition as pg_get_triggerdef prints it; "" for none
  std::vector<std::string> columns; // UPDATE OF columns; empty for any column
  char enabled = 'O';               // pg_trigger.tgenabled it must have: O (origin, the default), A, R, D
  int line = 0;
};

// A policy a table must have, by name, command and roles (expressions are drift's business).
struct DeclaredPolicy {
  std::string name;
  std::string command;              // select, insert, update, delete, all
  std::vector<std::string> roles;   // sorted; "public" for PUBLIC
  bool permissive = true;
  int line = 0;
};

// What each API role may hold on an object: role -> privileges (lowercase, sorted).
using Grants = std::map<std::string, std::vector<std::string>>;

// A schema, sequence or function the declaration grants privileges on.
struct DeclaredObject {
  std::string kind;                 // schema, sequence, function
  std::string name;                 // schema; schema.name; schema.name or schema.name(identity arguments)
  Grants grants;
  std::string definer_reason;       // functions: why this security definer function may read RLS tables
  int line = 0;
};

// An index a table must have.
struct DeclaredIndex {
  std::string name;
  std::vector<std::string> columns;  // in order
  std::string method = "btree";
  bool unique = false;
  std::string where;                 // predicate; "" for none
  std::string opclass;               // operator class of the first column, "" to ignore
  std::string requires_extension;    // "" for none; skipped (warning) when the extension is absent
  int line = 0;
};

// What a table must look like.
struct DeclaredTable {
  std::string schema, name;
  bool rls = true;
  bool force_rls = false;
  std::vector<std::string> policies;  // commands that need a policy: select, insert, update, delete
  std::vector<DeclaredPolicy> declared_policies;  // when given: the table's policies, exactly
  std::vector<std::string> public_commands;  // commands a constant-true policy may open to API roles
  Grants grants;                      // table privileges of each API role
  std::map<std::string, Grants> column_grants;  // column -> role -> column privileges
  bool audited = false;               // must carry the audit trigger (declaration's audit_function)
  std::vector<DeclaredTrigger> triggers;
  std::vector<DeclaredIndex> indexes;
  int line = 0;
  std::string qualified() const { return schema + "." + name; }
};

// The whole declaration.
struct Declaration {
  std::vector<std::string> exposed_schemas{"public"};
  std::vector<std::string> api_roles{"anon", "authenticated"};
  std::string audit_function;                        // schema.name; "" when no table is audited
  std::vector<std::string> updated_at_functions{"extensions.moddatetime"};  // what an updated_at trigger calls
  std::vector<DeclaredTable> tables;
  std::vector<DeclaredObject> objects;               // [schemas.*], [sequences.*], [functions.*]
  bool present = true;                               // false: no declaration file, only the rules that need none run
  // The declared table schema.name, or nullptr.
  const DeclaredTable* find(const std::string& qualified) const;
  // The declared object of kind named name (a function by signature, else by schema.name), or nullptr.
  const DeclaredObject* find_object(const std::string& kind, const std::string& name) const;
  // Schemas whose API privileges are compared exactly: the exposed ones and the declared [schemas.*].
  bool privileges_checked(const std::string& schema) const;
};

// The declaration of a database nobody declared: exposed_schemas given, present = false.
Declaration no_declaration(std::vector<std::string> exposed_schemas);

// Parses a declaration; display names the file in errors ("file:line: ..."). Throws UsageError for
// unknown keys, wrong types, unknown commands/events/timings and duplicate names.
Declaration parse_declaration(const std::string& text, const std::string& display);

}  // namespace check
