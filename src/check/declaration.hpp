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
  // The declared table schema.name, or nullptr.
  const DeclaredTable* find(const std::string& qualified) const;
};

// Parses a declaration; display names the file in errors ("file:line: ..."). Throws UsageError for
// unknown keys, wrong types, unknown commands/events/timings and duplicate names.
Declaration parse_declaration(const std::string& text, const std::string& display);

}  // namespace check
