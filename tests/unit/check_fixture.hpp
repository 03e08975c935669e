// The declaration and the catalog snapshot the check unit tests start from: public.notes exactly as
// declared, so that each test's change is the only thing the rules can find.
#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.hpp"
#include "check/findings.hpp"

namespace check_fixture {

inline const char* k_decl = R"(
exposed_schemas = ["public"]
audit_function = "public.audit_trigger_func"

[tables.notes]
policies = ["select", "insert"]
audited = true

[[tables.notes.triggers]]
name = "handle_updated_at"
timing = "before"
events = ["update"]
function = "extensions.moddatetime"
args = ["updated_at"]

[[tables.notes.indexes]]
name = "idx_notes_owner"
columns = ["owner_id"]

[[tables.notes.indexes]]
name = "idx_notes_embedding"
columns = ["embedding"]
method = "ivfflat"
requires_extension = "vector"
)";

// A catalog in which public.notes matches k_decl exactly.
inline catalog::Snapshot good_catalog() {
  catalog::Snapshot c;
  catalog::Relation notes;
  notes.schema = "public";
  notes.name = "notes";
  notes.rls = true;
  notes.has_primary_key = true;
  notes.has_updated_at = true;
  c.relations.push_back(notes);
  c.policies.push_back({"public", "notes", "read own", 'r', "(owner_id = ( SELECT auth.uid() AS uid))", ""});
  c.policies.push_back({"public", "notes", "write own", 'a', "", "(owner_id = ( SELECT auth.uid() AS uid))"});
  for (auto& p : c.policies) p.roles = {"authenticated"};
  c.policy_columns.push_back({"public", "notes", "owner_id"});
  c.triggers.push_back({"public", "notes", "handle_updated_at", 'O', 1 | 2 | 16, "extensions.moddatetime", {"updated_at"}});
  c.triggers.push_back({"public", "notes", "audit_notes_changes", 'O', 1 | 4 | 8 | 16, "public.audit_trigger_func", {}});
  catalog::Index pk{"public", "notes", "notes_pkey", "btree", true, true, true, {"id"}, {"uuid_ops"}, "", "1/a"};
  catalog::Index owner{"public", "notes", "idx_notes_owner", "btree", false, true, false, {"owner_id"}, {"uuid_ops"}, "", "2/a"};
  c.indexes = {pk, owner};
  c.foreign_keys.push_back({"public", "notes", "notes_owner_id_fkey", {"owner_id"}});
  c.extensions.push_back({"moddatetime", "extensions"});
  return c;
}

// A security definer function in schema public with this proconfig, executable by these API roles.
inline catalog::Function definer(const std::string& name, const std::string& config,
                                 std::vector<std::string> executable_by, const std::string& body = "") {
  catalog::Function f;
  f.schema = "public";
  f.name = name;
  f.config = config;
  f.executable_by = std::move(executable_by);
  f.security_definer = true;
  f.language = "sql";
  f.body = body;
  return f;
}

inline std::vector<std::string> rules_of(const std::vector<check::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule + " " + f.object);
  return out;
}

}  // namespace check_fixture
