// Every rule of the rule table, shown firing: one change to a catalog (or declaration) that matches
// the fixture, and exactly the findings that change implies.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "check/declaration.hpp"
#include "check/findings.hpp"
#include "check/rule.hpp"
#include "check_fixture.hpp"

namespace {

using check_fixture::good_catalog;
using check_fixture::k_decl;

// One rule's scenario: a change to the fixture and the findings it must produce.
struct Scenario {
  const char* rule;
  std::function<void(catalog::Snapshot&, std::string& declaration)> change;
  std::vector<std::string> expected;  // "rule object", sorted; the skipped vector index is always there too
};

const char* k_skipped = "index-skipped public.idx_notes_embedding";

catalog::Relation table(const std::string& schema, const std::string& name, bool rls = true) {
  return {.schema = schema, .name = name, .rls = rls, .has_primary_key = true};
}

catalog::Index& owner_index(catalog::Snapshot& c) { return c.indexes[1]; }

// A policy on public.notes for authenticated.
catalog::Policy notes_policy(const std::string& name, char command, const std::string& using_expr,
                             const std::string& check_expr = "") {
  catalog::Policy p{"public", "notes", name, command, using_expr, check_expr};
  p.roles = {"authenticated"};
  return p;
}

// A privilege row of an API role.
catalog::Privilege privilege(const std::string& kind, const std::string& object, const std::string& role,
                             std::vector<std::string> privileges) {
  return {kind, object.substr(0, object.find('.')), object, role, std::move(privileges)};
}

// The declaration with the notes policies declared by name, command and roles.
const char* k_declared_policies = R"(
[[tables.notes.policies]]
name = "read own"
command = "select"
roles = ["authenticated"]

[[tables.notes.policies]]
name = "write own"
command = "insert"
roles = ["authenticated"]
)";

// The fixture declaration with its `policies = [...]` line replaced by the declared policies.
void declare_policies(std::string& d) {
  d.replace(d.find("policies = [\"select\", \"insert\"]\n"), 32, "");
  d.insert(d.find("\n[[tables.notes.triggers]]"), k_declared_policies);
}

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = {
      {"table-missing", [](auto&, auto& d) { d += "\n[tables.gone]\n"; }, {"table-missing public.gone"}},
      {"rls-disabled", [](auto& c, auto&) { c.relations.push_back(table("public", "open", false)); },
       {"rls-disabled public.open"}},
      {"rls-no-policy", [](auto& c, auto&) { c.relations.push_back(table("public", "vault")); },
       {"rls-no-policy public.vault"}},
      {"rls-missing-command-policy", [](auto& c, auto&) { c.policies.pop_back(); },
       {"rls-missing-command-policy public.notes (insert)"}},
      {"rls-not-forced",
       [](auto&, auto& d) { d.replace(d.find("audited = true"), 14, "audited = true\nforce_rls = true"); },
       {"rls-not-forced public.notes"}},
      {"policy-without-rls",
       [](auto& c, auto&) {
         c.relations.push_back(table("private", "legacy", false));
         c.policies.push_back({"private", "legacy", "all", '*', "true", ""});
       },
       {"policy-always-true private.legacy: policy \"all\"", "policy-without-rls private.legacy"}},
      {"policy-self-reference",
       [](auto& c, auto&) {
         c.policies.push_back({"public", "notes", "peers", 'r', "(EXISTS ( SELECT 1 FROM notes n WHERE (n.id = id)))", ""});
       },
       {"multiple-permissive-policies public.notes (authenticated select)", "policy-public-role public.notes: policy \"peers\"",
        "policy-self-reference public.notes: policy \"peers\""}},
      {"trigger-missing", [](auto& c, auto&) { c.triggers.erase(c.triggers.begin()); },
       {"trigger-missing public.notes: trigger handle_updated_at"}},
      {"trigger-disabled", [](auto& c, auto&) { c.triggers[0].enabled = 'D'; },
       {"trigger-disabled public.notes: trigger handle_updated_at"}},
      {"trigger-mismatch", [](auto& c, auto&) { c.triggers[0].type = 1 | 16; },  // after update, not before
       {"trigger-mismatch public.notes: trigger handle_updated_at"}},
      {"updated-at-trigger-missing",
       [](auto& c, auto&) {
         auto tags = table("public", "tags");
         tags.has_updated_at = true;
         c.relations.push_back(tags);
         c.policies.push_back({"public", "tags", "read", 'r', "true", ""});
       },
       {"policy-always-true public.tags: policy \"read\"", "policy-public-role public.tags: policy \"read\"",
        "updated-at-trigger-missing public.tags"}},
      {"audit-trigger-missing", [](auto& c, auto&) { c.triggers.pop_back(); }, {"audit-trigger-missing public.notes"}},
      {"index-missing", [](auto& c, auto&) { c.indexes.pop_back(); },
       {"fk-without-index public.notes.notes_owner_id_fkey", "index-missing public.idx_notes_owner",
        "policy-column-without-index public.notes.owner_id"}},
      {"index-invalid", [](auto& c, auto&) { owner_index(c).valid = false; },
       {"fk-without-index public.notes.notes_owner_id_fkey", "index-invalid public.idx_notes_owner",
        "policy-column-without-index public.notes.owner_id"}},
      {"index-mismatch", [](auto& c, auto&) { owner_index(c).unique = true; },
       {"index-mismatch public.idx_notes_owner"}},
      {"index-renamed", [](auto& c, auto&) { owner_index(c).name = "notes_owner_id_idx"; },
       {"index-renamed public.idx_notes_owner"}},
      {"index-skipped", [](auto&, auto&) {}, {}},
      {"security-definer-search-path",
       [](auto& c, auto&) { c.functions.push_back(check_fixture::definer("f", "", {})); },
       {"security-definer-search-path public.f()"}},
      {"security-definer-anon-executable",
       [](auto& c, auto&) { c.functions.push_back(check_fixture::definer("f", "search_path=", {"anon"})); },
       {"security-definer-anon-executable public.f()"}},
      {"extension-in-public", [](auto& c, auto&) { c.extensions.push_back({"pg_trgm", "public"}); },
       {"extension-in-public pg_trgm"}},
      {"matview-readable-by-api",
       [](auto& c, auto&) {
         auto mv = table("public", "totals");
         mv.kind = 'm';
         mv.readable_by = {"authenticated"};
         c.relations.push_back(mv);
       },
       {"matview-readable-by-api public.totals"}},
      {"view-bypasses-rls",
       [](auto& c, auto&) {
         auto v = table("public", "all_notes");
         v.kind = 'v';
         v.readable_by = {"anon"};
         c.relations.push_back(v);
       },
       {"view-bypasses-rls public.all_notes"}},
      {"fk-without-index", [](auto& c, auto&) { c.foreign_keys.push_back({"public", "notes", "notes_team_fkey", {"team_id"}}); },
       {"fk-without-index public.notes.notes_team_fkey"}},
      {"policy-column-without-index",
       [](auto& c, auto&) {
         c.policy_columns.push_back({"public", "notes", "team_id"});
         c.policies.push_back({"public", "notes", "team", 'r', "(team_id = ( SELECT auth.uid() AS uid))", ""});
       },
       {"multiple-permissive-policies public.notes (authenticated select)", "policy-column-without-index public.notes.team_id",
        "policy-public-role public.notes: policy \"team\""}},
      {"auth-uid-not-wrapped", [](auto& c, auto&) { c.policies[0].using_expr = "(owner_id = auth.uid())"; },
       {"auth-uid-not-wrapped public.notes: policy \"read own\""}},
      {"duplicate-index",
       [](auto& c, auto&) {
         auto twin = owner_index(c);
         twin.name = "notes_owner_id_idx";
         c.indexes.push_back(twin);
       },
       {"duplicate-index public.notes: idx_notes_owner, notes_owner_id_idx"}},
      {"table-without-primary-key", [](auto& c, auto&) { c.relations[0].has_primary_key = false; },
       {"table-without-primary-key public.notes"}},
      {"policy-always-true", [](auto& c, auto&) { c.policies.push_back(notes_policy("all rows", 'w', "true")); },
       {"policy-always-true public.notes: policy \"all rows\""}},
      {"policy-public-role",
       [](auto& c, auto&) {
         auto p = notes_policy("everyone", 'r', "(owner_id = ( SELECT auth.uid() AS uid))");
         p.roles = {"public"};
         c.policies.push_back(p);
       },
       {"multiple-permissive-policies public.notes (authenticated select)", "policy-public-role public.notes: policy \"everyone\""}},
      {"policy-undeclared",
       [](auto& c, auto& d) {
         declare_policies(d);
         c.policies.push_back(notes_policy("extra", 'd', "(owner_id = ( SELECT auth.uid() AS uid))"));
       },
       {"policy-undeclared public.notes: policy \"extra\""}},
      {"policy-missing",
       [](auto& c, auto& d) {
         declare_policies(d);
         c.policies.pop_back();
       },
       {"policy-missing public.notes: policy \"write own\"", "rls-missing-command-policy public.notes (insert)"}},
      {"policy-mismatch",
       [](auto& c, auto& d) {
         declare_policies(d);
         c.policies[0].roles = {"anon", "authenticated"};
       },
       {"policy-mismatch public.notes: policy \"read own\"", "policy-public-role public.notes: policy \"read own\""}},
      {"api-role-bypasses-rls", [](auto& c, auto&) { c.role_powers.push_back({"authenticated", "authenticated", "bypassrls"}); },
       {"api-role-bypasses-rls authenticated"}},
      {"api-role-owns-object", [](auto& c, auto&) { c.relations[0].owned_by_api = {"authenticated"}; },
       {"api-role-owns-object public.notes"}},
      {"privilege-dangerous",
       [](auto& c, auto&) { c.privileges.push_back(privilege("table", "public.notes", "authenticated", {"truncate"})); },
       {"privilege-dangerous public.notes (authenticated)"}},
      {"privilege-extra",
       [](auto& c, auto&) { c.privileges.push_back(privilege("table", "public.notes", "anon", {"select"})); },
       {"privilege-extra public.notes (anon)"}},
      {"privilege-missing",
       [](auto&, auto& d) { d.replace(d.find("audited = true"), 14, "audited = true\ngrants = { authenticated = [\"select\"] }"); },
       {"privilege-missing public.notes (authenticated)"}},
      {"default-privileges-grant",
       [](auto& c, auto&) { c.default_privileges.push_back({"postgres", "public", "tables", "anon", {"select"}}); },
       {"default-privileges-grant default privileges of postgres in schema public on tables (anon)"}},
      {"security-definer-reads-rls",
       [](auto& c, auto&) {
         c.functions.push_back(check_fixture::definer("all_notes", "search_path=", {"authenticated"}, "select * from public.notes"));
       },
       {"security-definer-authenticated-executable public.all_notes()", "security-definer-reads-rls public.all_notes()"}},
      {"table-rule", [](auto& c, auto&) { c.relations[0].rules = {"publish"}; }, {"table-rule public.notes"}},
      {"function-search-path-mutable",
       [](auto& c, auto&) {
         auto f = check_fixture::definer("helper", "", {});
         f.security_definer = false;
         c.functions.push_back(f);
       },
       {"function-search-path-mutable public.helper()"}},
      {"security-definer-authenticated-executable",
       [](auto& c, auto&) { c.functions.push_back(check_fixture::definer("f", "search_path=", {"authenticated"})); },
       {"security-definer-authenticated-executable public.f()"}},
      {"auth-users-exposed",
       [](auto& c, auto&) {
         auto v = table("public", "users_view");
         v.kind = 'v';
         v.security_invoker = true;
         v.reads_auth_users = true;
         v.readable_by = {"authenticated"};
         c.relations.push_back(v);  // invoker, but auth.users has no RLS here
       },
       {"auth-users-exposed public.users_view"}},
      {"fk-to-auth-unique",
       [](auto& c, auto&) { c.foreign_keys.push_back({"public", "notes", "notes_email_fkey", {"owner_id"}, "auth.users", true}); },
       {"fk-to-auth-unique public.notes.notes_email_fkey"}},
      {"policy-user-metadata",
       [](auto& c, auto&) { c.policies[0].using_expr = "((( SELECT auth.jwt() AS jwt) -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text"; },
       {"policy-user-metadata public.notes: policy \"read own\""}},
      {"sensitive-columns-exposed",
       [](auto& c, auto&) {
         auto t = table("public", "accounts", false);
         t.columns = {"id", "Password"};
         t.readable_by = {"anon"};
         c.relations.push_back(t);
       },
       {"rls-disabled public.accounts", "sensitive-columns-exposed public.accounts"}},
      {"foreign-table-in-api",
       [](auto& c, auto&) {
         auto t = table("public", "remote");
         t.kind = 'f';
         t.readable_by = {"anon"};
         c.relations.push_back(t);
       },
       {"foreign-table-in-api public.remote"}},
      {"extension-outdated", [](auto& c, auto&) { c.extensions[0].version = "1.0"; c.extensions[0].default_version = "1.1"; },
       {"extension-outdated moddatetime"}},
      {"unsupported-reg-types", [](auto& c, auto&) { c.relations[0].reg_columns = {"handler"}; },
       {"unsupported-reg-types public.notes.handler"}},
      {"plpgsql-body-error",
       [](auto& c, auto&) {
         c.plpgsql_check_ran = true;
         c.body_problems.push_back({"public.f()", "error", "column \"x\" does not exist", 3});
       },
       {"plpgsql-body-error public.f()"}},
      {"plpgsql-check-skipped",
       [](auto& c, auto&) {
         auto f = check_fixture::definer("trigger_fn", "search_path=", {});
         f.security_definer = false;
         f.language = "plpgsql";
         c.functions.push_back(f);
       },
       {"plpgsql-check-skipped plpgsql_check"}},
      {"multiple-permissive-policies",
       [](auto& c, auto&) { c.policies.push_back(notes_policy("read team", 'r', "(owner_id = ( SELECT auth.uid() AS uid))")); },
       {"multiple-permissive-policies public.notes (authenticated select)"}},
  };
  return all;
}

}  // namespace

TEST_CASE("every rule of the rule table has a scenario that makes it fire") {
  std::set<std::string> covered;
  for (const auto& s : scenarios()) covered.insert(s.rule);
  for (const auto& rule : check::rules()) {
    INFO(rule.id);
    CHECK(covered.count(rule.id) == 1);
  }
  CHECK(covered.size() == check::rules().size());
}

TEST_CASE("each rule fires on its scenario with exactly the findings the change implies") {
  for (const auto& s : scenarios()) {
    INFO("rule " << std::string(s.rule));
    auto c = good_catalog();
    std::string declaration = k_decl;
    s.change(c, declaration);
    auto findings = check::run_checks(check::parse_declaration(declaration, "schema.toml"), c);
    auto got = check_fixture::rules_of(findings);
    std::sort(got.begin(), got.end());
    std::vector<std::string> expected = s.expected;
    expected.push_back(k_skipped);
    std::sort(expected.begin(), expected.end());
    std::string found;
    for (const auto& g : got) found += g + "; ";
    INFO("found: " << found);
    CHECK(got == expected);
    bool fired = std::any_of(findings.begin(), findings.end(), [&](const check::Finding& f) { return f.rule == s.rule; });
    CHECK(fired);
    // Each finding carries its rule's level from the table.
    for (const auto& f : findings) CHECK(f.level == check::find_rule(f.rule)->level);
  }
}

TEST_CASE("index-invalid reports an INVALID index nobody declared, with or without a declaration") {
  auto c = good_catalog();
  c.indexes.push_back({"public", "notes", "notes_body_key", "btree", true, false, false, {"body"}, {}, "", "x"});
  for (const auto& decl : {check::parse_declaration(k_decl, "schema.toml"), check::no_declaration({"public"})}) {
    auto got = check_fixture::rules_of(check::run_checks(decl, c));
    CHECK(std::find(got.begin(), got.end(), "index-invalid public.notes_body_key") != got.end());
  }
}

// Found by running splinter's auth_rls_initplan next to check: Supabase's auth.email() is one of
// the helpers splinter looks for, and a policy calling it per row was not reported.
TEST_CASE("auth-uid-not-wrapped reports auth.email() called per row, and not once wrapped in a select") {
  auto c = good_catalog();
  c.policies[0].using_expr = "(owner_email = auth.email())";
  auto got = check_fixture::rules_of(check::run_checks(check::parse_declaration(k_decl, "schema.toml"), c));
  CHECK(std::find(got.begin(), got.end(), "auth-uid-not-wrapped public.notes: policy \"read own\"") != got.end());
  c.policies[0].using_expr = "(owner_email = ( SELECT auth.email() AS email))";
  got = check_fixture::rules_of(check::run_checks(check::parse_declaration(k_decl, "schema.toml"), c));
  CHECK(std::find(got.begin(), got.end(), "auth-uid-not-wrapped public.notes: policy \"read own\"") == got.end());
}

// Found by running splinter's function_search_path_mutable next to check: "$user" in a function's
// search_path names a schema after whoever calls it, so that search path is not fixed.
TEST_CASE("a search_path with \"$user\" is not fixed, one without it is, whatever settings follow") {
  auto c = good_catalog();
  auto invoker = check_fixture::definer("by_user", "search_path=\"$user\", public", {});
  invoker.security_definer = false;
  c.functions.push_back(invoker);
  c.functions.push_back(check_fixture::definer("definer_by_user", "search_path=\"$user\", public", {}));
  auto fixed = check_fixture::definer("fixed", "search_path=public, extensions,work_mem=64kB", {});
  fixed.security_definer = false;
  c.functions.push_back(fixed);
  auto empty_then_user = fixed;  // "$user" in a later setting's value is not the search path's
  empty_then_user.name = "fixed_too";
  empty_then_user.config = "search_path=\"\",application_name=$user";
  c.functions.push_back(empty_then_user);
  for (const auto& decl : {check::parse_declaration(k_decl, "schema.toml"), check::no_declaration({"public"})}) {
    auto got = check_fixture::rules_of(check::run_checks(decl, c));
    auto has = [&](const std::string& s) { return std::find(got.begin(), got.end(), s) != got.end(); };
    CHECK(has("function-search-path-mutable public.by_user()"));
    CHECK(has("security-definer-search-path public.definer_by_user()"));
    CHECK_FALSE(has("function-search-path-mutable public.fixed()"));
    CHECK_FALSE(has("function-search-path-mutable public.fixed_too()"));
  }
}

// policy-self-reference parses only expressions whose text holds the table's name (speed at 2,000
// tables); a quoted name, with capitals or with a doubled quote inside, is still found.
TEST_CASE("policy-self-reference finds its own table under a quoted name, capitals and an embedded quote") {
  for (const std::string name : {"Notes Archive", "we\"ird"}) {
    INFO(name);
    auto c = good_catalog();
    c.relations.push_back(table("public", name));
    std::string quoted = "\"";
    for (char ch : name) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    quoted += "\"";
    catalog::Policy p{"public", name, "peers", 'r', "(EXISTS ( SELECT 1 FROM public." + quoted + " x WHERE x.id = 1))", ""};
    p.roles = {"authenticated"};
    c.policies.push_back(p);
    auto got = check_fixture::rules_of(check::run_checks(check::no_declaration({"public"}), c));
    CHECK(std::find(got.begin(), got.end(), "policy-self-reference public." + name + ": policy \"peers\"") != got.end());
  }
}
