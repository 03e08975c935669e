// The declaration parser, the rules over synthetic catalog snapshots, and the report formats.
#include <doctest/doctest.h>

#include <algorithm>

#include "check/declaration.hpp"
#include "check/findings.hpp"
#include "check/report.hpp"
#include "check_fixture.hpp"
#include "core/error.hpp"
#include "core/sql_inspect.hpp"

namespace {

std::string decl_error(const std::string& text) {
  try {
    check::parse_declaration(text, "schema.toml");
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

using check_fixture::good_catalog;
using check_fixture::k_decl;
using check_fixture::rules_of;

TEST_CASE("the declaration parses tables / triggers / indexes with defaults") {
  auto d = check::parse_declaration(k_decl, "schema.toml");
  REQUIRE(d.tables.size() == 1);
  const auto& t = d.tables[0];
  CHECK(t.qualified() == "public.notes");
  CHECK(t.rls);
  CHECK(t.audited);
  REQUIRE(t.triggers.size() == 1);
  CHECK(t.triggers[0].events == std::vector<std::string>{"update"});
  REQUIRE(t.indexes.size() == 2);
  CHECK(t.indexes[0].method == "btree");
  CHECK(t.indexes[1].requires_extension == "vector");
}

TEST_CASE("declaration errors name the line") {
  CHECK(decl_error("exposed_schema = [\"public\"]\n") == "schema.toml:1: unknown key 'exposed_schema'");
  CHECK(decl_error("[tables.t]\npolicies = [\"select\", \"upsert\"]\n") ==
        "schema.toml:2: unknown policy command 'upsert' (expected one of: select, insert, update, delete)");
  CHECK(decl_error("[tables.t]\nrls = \"yes\"\n") == "schema.toml:2: tables.t.rls must be true or false");
  CHECK(decl_error("[tables.t]\n[[tables.t.triggers]]\nname = \"x\"\ntiming = \"during\"\nevents = [\"update\"]\n"
                   "function = \"f\"\n") ==
        "schema.toml:4: unknown timing 'during' (expected one of: before, after, instead of)");
  CHECK(decl_error("[tables.t]\n[[tables.t.indexes]]\nname = \"i\"\n") == "schema.toml:2: an index needs name and columns");
  CHECK(decl_error("[tables.t]\n[[tables.t.indexes]]\nname = \"i\"\ncolumns = [\"a\"]\ncolour = \"red\"\n") ==
        "schema.toml:5: unknown key 'tables.t.indexes.colour'");
  CHECK(decl_error("[tables.t]\n[[tables.t.indexes]]\nname = \"i\"\ncolumns = [\"a\"]\n[[tables.t.indexes]]\nname = "
                   "\"i\"\ncolumns = [\"b\"]\n") == "schema.toml:5: index i is declared twice");
}

TEST_CASE("a catalog matching the declaration has only the skipped vector index") {
  auto d = check::parse_declaration(k_decl, "schema.toml");
  auto findings = check::run_checks(d, good_catalog());
  CHECK(rules_of(findings) == std::vector<std::string>{"index-skipped public.idx_notes_embedding"});
  CHECK_FALSE(check::fails(findings, core::Level::error));
  CHECK(check::fails(findings, core::Level::warning));
}

TEST_CASE("each kind of drift is reported with its rule") {
  auto d = check::parse_declaration(k_decl, "schema.toml");
  auto c = good_catalog();
  c.relations[0].rls = false;
  c.policies.erase(c.policies.begin() + 1);  // no insert policy any more
  c.policies.push_back({"public", "notes", "admins", 'r', "(EXISTS ( SELECT 1 FROM notes n WHERE (n.id = auth.uid())))", ""});
  c.policies.back().roles = {"authenticated"};
  c.triggers[0].args = {"created_at"};
  c.triggers[1].enabled = 'D';
  c.indexes[1].valid = false;
  c.foreign_keys.push_back({"public", "notes", "notes_team_fkey", {"team_id"}});
  c.functions.push_back(check_fixture::definer("f", "", {"anon"}));
  c.extensions.push_back({"pg_trgm", "public"});
  auto findings = check::run_checks(d, c);
  auto rules = rules_of(findings);
  std::sort(rules.begin(), rules.end());
  // Exactly these: each change above with the findings it implies, and nothing else.
  CHECK(rules == std::vector<std::string>{
                     "audit-trigger-missing public.notes",
                     "auth-uid-not-wrapped public.notes: policy \"admins\"",
                     "extension-in-public pg_trgm",
                     "fk-without-index public.notes.notes_owner_id_fkey",  // its index is invalid now
                     "fk-without-index public.notes.notes_team_fkey",
                     "index-invalid public.idx_notes_owner",
                     "index-skipped public.idx_notes_embedding",
                     "multiple-permissive-policies public.notes (authenticated select)",
                     "policy-column-without-index public.notes.owner_id",  // the same invalid index
                     "policy-self-reference public.notes: policy \"admins\"",
                     "policy-without-rls public.notes",
                     "rls-disabled public.notes",
                     "rls-missing-command-policy public.notes (insert)",
                     "security-definer-anon-executable public.f()",
                     "security-definer-search-path public.f()",
                     "trigger-mismatch public.notes: trigger handle_updated_at",
                 });
  // The wrong-column updated_at trigger is reported once, as a mismatch, not again as missing.
  CHECK(std::count_if(rules.begin(), rules.end(), [](const std::string& r) { return r.starts_with("updated-at"); }) == 0);
  CHECK(findings.front().level == core::Level::error);
}

TEST_CASE("audit triggers split by event count when each sees its rows") {
  auto d = check::parse_declaration(k_decl, "schema.toml");
  auto c = good_catalog();
  c.triggers.pop_back();  // the single row trigger for all three events
  // 1 = row, 4 = insert, 8 = delete, 16 = update; statement triggers lack bit 1.
  c.triggers.push_back({"public", "notes", "audit_notes_inserts", 'O', 4, "public.audit_trigger_func", {}, "", "audit_rows"});
  c.triggers.push_back({"public", "notes", "audit_notes_changes", 'O', 1 | 16, "public.audit_trigger_func", {}});
  c.triggers.push_back({"public", "notes", "audit_notes_deletes", 'O', 8, "public.audit_trigger_func", {}, "audit_rows", ""});
  CHECK(rules_of(check::run_checks(d, c)) == std::vector<std::string>{"index-skipped public.idx_notes_embedding"});

  SUBCASE("a statement trigger without the event's transition table audits nothing") {
    c.triggers.back().old_table = "";
    auto findings = check::run_checks(d, c);
    REQUIRE(rules_of(findings) == std::vector<std::string>{"audit-trigger-missing public.notes",
                                                           "index-skipped public.idx_notes_embedding"});
    CHECK(findings[0].message.starts_with("delete not audited:"));
  }
  SUBCASE("a statement update trigger needs both transition tables") {
    c.triggers[2] = {"public", "notes", "audit_notes_changes", 'O', 16, "public.audit_trigger_func", {}, "", "audit_rows"};
    auto findings = check::run_checks(d, c);
    REQUIRE(rules_of(findings).size() == 2);
    CHECK(findings[0].message.starts_with("update not audited:"));
  }
  SUBCASE("a disabled insert trigger leaves inserts unaudited") {
    c.triggers[1].enabled = 'D';
    auto findings = check::run_checks(d, c);
    REQUIRE(rules_of(findings).size() == 2);
    CHECK(findings[0].message.starts_with("insert not audited:"));
  }
}

TEST_CASE("a declared trigger's level is compared") {
  std::string decl = std::string(k_decl) + R"(
[[tables.notes.triggers]]
name = "audit_notes_changes"
timing = "after"
events = ["insert", "update", "delete"]
level = "statement"
function = "public.audit_trigger_func"
)";
  auto d = check::parse_declaration(decl, "schema.toml");
  REQUIRE(d.tables[0].triggers.size() == 2);
  CHECK(d.tables[0].triggers[0].level == "row");
  CHECK(d.tables[0].triggers[1].level == "statement");
  auto findings = check::run_checks(d, good_catalog());
  auto mismatch = std::find_if(findings.begin(), findings.end(), [](const check::Finding& f) { return f.rule == "trigger-mismatch"; });
  REQUIRE(mismatch != findings.end());
  CHECK(mismatch->message == "for each row (expected for each statement)");
  CHECK(decl_error("[tables.t]\n[[tables.t.triggers]]\nname = \"x\"\ntiming = \"after\"\nevents = [\"update\"]\n"
                   "level = \"sometimes\"\nfunction = \"f\"\n") ==
        "schema.toml:6: unknown level 'sometimes' (expected one of: row, statement)");
}

TEST_CASE("policies reading their own table are found by PostgreSQL's parser") {
  auto rels = core::relations_read_by_expression("(EXISTS ( SELECT 1 FROM public.profiles p WHERE (p.id = auth.uid())))");
  REQUIRE(rels.size() == 1);
  CHECK(rels[0] == std::make_pair(std::string("public"), std::string("profiles")));
  CHECK(core::relations_read_by_expression("(id = ( SELECT auth.uid() AS uid))").empty());
  CHECK(core::relations_read_by_expression("not sql at all (").empty());
}

TEST_CASE("suppressions mark findings and keep their reason") {
  std::vector<check::Finding> findings{{"fk-without-index", core::Level::warning, "public.a.fk", "m", "r", false, {}},
                                      {"rls-disabled", core::Level::error, "public.b", "m", "r", false, {}}};
  check::apply_suppressions(findings, {{"rls-disabled", "*", "legacy table, read by nobody", "x.toml:3"}});
  CHECK(findings[1].suppressed);
  CHECK(findings[1].suppression_reason == "legacy table, read by nobody");
  CHECK_FALSE(check::fails(findings, core::Level::error));
  CHECK(check::fails(findings, core::Level::warning));
}

TEST_CASE("report formats: text / JSON / JUnit / GitHub") {
  std::vector<check::Finding> findings{
      {"index-missing", core::Level::error, "public.idx_a", "expected a btree index", "create index ...", false, {}},
      {"fk-without-index", core::Level::warning, "public.t.fk", "no index, 100% slow", "create index ...", true, "ok"}};
  check::CheckStats stats;
  stats.tables = 2;
  stats.queries = 8;
  std::string text = check::format_text(findings, stats, core::Level::error, false);
  CHECK(text.find("indexes (1)\n  error   index-missing public.idx_a: expected a btree index\n          fix: create "
                  "index ...\n") != std::string::npos);
  CHECK(text.find("suppressed (1)") != std::string::npos);
  CHECK(text.find("reason: ok") != std::string::npos);
  CHECK(text.find("FAILED (fail on error): 1 error(s), 0 warning(s), 0 info, 1 suppressed") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);
  CHECK(check::format_text(findings, stats, core::Level::error, true).find("\x1b[31m") != std::string::npos);
  auto json = check::format_json(findings, stats, core::Level::error).dump();
  CHECK(json.find("{\"rule\":\"index-missing\",\"level\":\"error\",\"object\":\"public.idx_a\",\"message\":\"expected a "
                  "btree index\",\"remediation\":\"create index ...\",\"suppressed\":false,\"equivalents\":[],\"reason\":null}") !=
        std::string::npos);
  std::string junit = check::format_junit(findings, stats, core::Level::error);
  CHECK(junit.find("failures=\"1\"") != std::string::npos);
  CHECK(junit.find("<failure type=\"error\" message=\"public.idx_a: expected a btree index\">") != std::string::npos);
  CHECK(check::format_github(findings) ==
        "::error title=autocrm-migrate index-missing::public.idx_a: expected a btree index Fix: create index ...\n");
  std::vector<check::Finding> tricky{{"index-missing", core::Level::warning, "a,b", "50%\nnext", "x", false, {}}};
  CHECK(check::format_github(tricky) == "::warning title=autocrm-migrate index-missing::a,b: 50%25%0Anext Fix: x\n");
}
