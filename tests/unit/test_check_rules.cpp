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
       {"policy-without-rls private.legacy"}},
      {"policy-self-reference",
       [](auto& c, auto&) {
         c.policies.push_back({"public", "notes", "peers", 'r', "(EXISTS ( SELECT 1 FROM notes n WHERE (n.id = id)))", ""});
       },
       {"policy-self-reference public.notes: policy \"peers\""}},
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
       {"updated-at-trigger-missing public.tags"}},
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
       [](auto& c, auto&) { c.security_definer_functions.push_back({"public", "f", "", "", {}}); },
       {"security-definer-search-path public.f()"}},
      {"security-definer-anon-executable",
       [](auto& c, auto&) { c.security_definer_functions.push_back({"public", "f", "", "search_path=", {"anon"}}); },
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
       {"policy-column-without-index public.notes.team_id"}},
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
    INFO("rule " << s.rule);
    auto c = good_catalog();
    std::string declaration = k_decl;
    s.change(c, declaration);
    auto findings = check::run_checks(check::parse_declaration(declaration, "schema.toml"), c);
    auto got = check_fixture::rules_of(findings);
    std::sort(got.begin(), got.end());
    std::vector<std::string> expected = s.expected;
    expected.push_back(k_skipped);
    std::sort(expected.begin(), expected.end());
    CHECK(got == expected);
    bool fired = std::any_of(findings.begin(), findings.end(), [&](const check::Finding& f) { return f.rule == s.rule; });
    CHECK(fired);
    // Each finding carries its rule's level from the table.
    for (const auto& f : findings) CHECK(f.level == check::find_rule(f.rule)->level);
  }
}
