// drift's comparison and its reports, and the unified diff they use: pure, no database.
#include <doctest/doctest.h>

#include "core/text_diff.hpp"
#include "drift/compare.hpp"

namespace {

catalog::SchemaObject object(std::string kind, std::string identity, std::map<std::string, std::string> attrs) {
  return {std::move(kind), std::move(identity), std::move(attrs)};
}

}  // namespace

TEST_CASE("unified_diff: equal texts give nothing, a change gives a hunk with context") {
  CHECK(core::unified_diff("a\nb\n", "a\nb\n", "x", "y") == "");
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(core::unified_diff(before, after, "migrations", "database") ==
        "--- migrations\n+++ database\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("unified_diff: far-apart changes make two hunks, pure additions count from the line before") {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 ? std::string("two") : std::to_string(i)) + "\n";
    if (i == 18) after += "extra\n";
  }
  std::string d = core::unified_diff(before, after, "a", "b", 1);
  CHECK(d == "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -18,2 +18,3 @@\n 18\n+extra\n 19\n");
  CHECK(core::unified_diff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
}

TEST_CASE("compare: missing, extra and changed objects, ordered containers first") {
  catalog::SchemaObjects expected{
      object("table", "public.tickets", {{"owner", "(migration role)"}, {"row level security", "enabled"}}),
      object("index", "public.idx_tickets_status", {{"definition", "CREATE INDEX ON public.tickets (status)"}}),
      object("schema", "public", {{"owner", "pg_database_owner"}}),
  };
  catalog::SchemaObjects actual{
      object("schema", "public", {{"owner", "pg_database_owner"}}),
      object("table", "public.tickets", {{"owner", "(migration role)"}, {"row level security", "disabled"}}),
      object("policy", "public.tickets.everyone", {{"using", "true"}}),
  };
  auto diffs = drift::compare(expected, actual);
  REQUIRE(diffs.size() == 3);
  CHECK(diffs[0].change == drift::Change::changed);
  CHECK(diffs[0].kind == "table");
  REQUIRE(diffs[0].attributes.size() == 1);
  CHECK(diffs[0].attributes[0].name == "row level security");
  CHECK(diffs[0].attributes[0].expected == "enabled");
  CHECK(diffs[0].attributes[0].actual == "disabled");
  CHECK(diffs[1].change == drift::Change::missing);
  CHECK(diffs[1].identity == "public.idx_tickets_status");
  CHECK(diffs[2].change == drift::Change::extra);
  CHECK(diffs[2].kind == "policy");
  CHECK(drift::compare(expected, expected).empty());
}

TEST_CASE("compare: privileges are sets (order and grantor do not count), additions and removals are listed") {
  catalog::SchemaObjects expected{object("table", "public.t", {{"privileges", "anon=SELECT, authenticated=SELECT"}})};
  catalog::SchemaObjects same{object("table", "public.t", {{"privileges", "anon=SELECT, authenticated=SELECT"}})};
  CHECK(drift::compare(expected, same).empty());
  catalog::SchemaObjects actual{
      object("table", "public.t", {{"privileges", "anon=SELECT, authenticated=TRUNCATE"}})};
  auto diffs = drift::compare(expected, actual);
  REQUIRE(diffs.size() == 1);
  const auto& a = diffs[0].attributes.at(0);
  CHECK(a.added == std::vector<std::string>{"authenticated=TRUNCATE"});
  CHECK(a.removed == std::vector<std::string>{"authenticated=SELECT"});
  auto text = drift::format_text(diffs);
  CHECK(text.find("privileges: only in the database: authenticated=TRUNCATE; only in the migrations: "
                  "authenticated=SELECT") != std::string::npos);
}

TEST_CASE("compare: an attribute set on one side only is a change, multi-line values get a unified diff") {
  catalog::SchemaObjects expected{
      object("function", "private.is_admin()", {{"definition", "CREATE FUNCTION\nbegin\n  return x;\nend\n"}})};
  catalog::SchemaObjects actual{object(
      "function", "private.is_admin()",
      {{"definition", "CREATE FUNCTION\nbegin\n  return true;\nend\n"}, {"comment", "patched"}})};
  auto diffs = drift::compare(expected, actual);
  REQUIRE(diffs.size() == 1);
  REQUIRE(diffs[0].attributes.size() == 2);
  CHECK(diffs[0].attributes[0].name == "comment");
  CHECK(diffs[0].attributes[0].expected == "");
  CHECK(diffs[0].attributes[1].diff.find("-  return x;\n+  return true;\n") != std::string::npos);
  auto json = drift::to_json(diffs[0]).dump();
  CHECK(json.starts_with("{\"change\":\"changed\",\"kind\":\"function\",\"identity\":\"private.is_admin()\""));
  CHECK(json.find("\"diff\":\"--- migrations\\n+++ database\\n") != std::string::npos);
  auto github = drift::format_github(diffs);
  CHECK(github.starts_with("::error title=drift: changed function::changed function private.is_admin()%0A"));
  CHECK(github.find('\n') == github.size() - 1);  // one annotation, one line
}

TEST_CASE("format_text: no differences says so, a summary counts each change") {
  CHECK(drift::format_text({}) == "no drift: the database is what its applied migrations make\n");
  catalog::SchemaObjects expected{object("schema", "a", {{"owner", "x"}})};
  catalog::SchemaObjects actual{object("schema", "b", {{"owner", "x"}})};
  auto text = drift::format_text(drift::compare(expected, actual));
  CHECK(text.find("missing schema a\n    owner: x\n") != std::string::npos);
  CHECK(text.find("extra schema b\n") != std::string::npos);
  CHECK(text.find("drift: 2 differences (1 missing, 1 extra, 0 changed)") != std::string::npos);
}
