// The JSON reader and the statements found in PL/pgSQL bodies (what lint reads in DO blocks).
#include <doctest/doctest.h>

#include "core/json.hpp"
#include "core/plpgsql.hpp"

TEST_CASE("Json::parse reads what dump writes, escapes and numbers included") {
  auto j = core::Json::parse(R"( {"a": [1, -2, 3.5e2, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00", "o": {}} )");
  REQUIRE(j);
  CHECK((*j)["a"].elements().size() == 6);
  CHECK((*j)["a"].elements()[1].integer() == -2);
  CHECK((*j)["a"].elements()[2].text() == "350");
  CHECK((*j)["a"].elements()[3].boolean());
  CHECK((*j)["a"].elements()[5].is_null());
  CHECK((*j)["s"].text() == "q\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
  CHECK((*j)["o"].members().empty());
  CHECK(core::Json::parse(j->dump())->dump() == j->dump());
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "\"unterminated", "tru", "[1] x", "\"\\x\"", "-", "{\"a\":1,}"})
    CHECK_MESSAGE(!core::Json::parse(bad), bad);
  CHECK_FALSE(core::Json::parse(std::string(10000, '[') + std::string(10000, ']')));  // too deep: refused
}

TEST_CASE("plpgsql_statements: the SQL a DO block runs, in order, with its place in the body") {
  std::string body = "\ndeclare r record;\nbegin\n  if true then\n    create index i on t (a);\n  else\n"
                     "    drop table u;\n  end if;\n  execute 'create table v (x int)';\n"
                     "  execute format('drop table %I', 'w');\n  perform 1;\nend\n";
  auto found = core::plpgsql_statements(body);
  REQUIRE(found.ok);
  REQUIRE(found.statements.size() == 3);
  CHECK(found.statements[0].sql == "create index i on t (a)");
  CHECK(found.statements[0].line == 5);
  CHECK(body.substr(found.statements[0].offset, 12) == "create index");
  CHECK(found.statements[1].sql == "drop table u");
  CHECK(found.statements[1].line == 7);
  CHECK(found.statements[2].sql == "create table v (x int)");
  CHECK(found.statements[2].dynamic);
  CHECK(body.substr(found.statements[2].offset, 12) == "create table");
  CHECK(found.computed_executes == 1);
  // A body that contains the wrapper's dollar tag still parses.
  auto tagged = core::plpgsql_statements("begin raise notice '$lint$'; drop table t; end");
  REQUIRE(tagged.ok);
  CHECK(tagged.statements.size() == 1);
  auto bad = core::plpgsql_statements("begin create index; end");
  CHECK_FALSE(bad.ok);
  CHECK_FALSE(bad.error.empty());
}
