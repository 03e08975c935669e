// The splitter sees a big section a piece at a time: wherever the pieces are cut, the statements,
// their lines and the syntax errors are exactly those of one parse of the whole text.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/sql_split.hpp"

namespace {

// "line|sql" for each statement, or "error: message".
std::vector<std::string> split_with(const std::string& text, std::size_t chunk) {
  auto source = std::make_shared<const std::string>(text);
  std::vector<std::string> out;
  try {
    for (const auto& st : core::split_statements(source, *source, "f.sql", 10, chunk))
      out.push_back(std::to_string(st.line) + "|" + std::string(st.sql));
  } catch (const core::UsageError& e) {
    out.push_back(std::string("error: ") + e.what());
  }
  return out;
}

// Every piece size from 1 byte to the whole text gives the whole-text result.
void check_every_cut(const std::string& text) {
  auto whole = split_with(text, text.size() + 1);
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    INFO("piece size " << chunk);
    CHECK(split_with(text, chunk) == whole);
  }
}

const char* k_tricky =
    "create table t (id int, s text); -- a comment; with a semicolon\n"
    "insert into t values (1, ';\n;');\n"
    "/* block /* nested; */ comment; */ insert into t values (2, E'it\\'s;');\n"
    "create function f() returns int language plpgsql as $body$\n"
    "begin\n  perform 1; return 1;\nend;\n$body$;\n"
    "create function g() returns int language sql begin atomic\n  select 1;\n  select 2;\nend;\n"
    "create rule r as on insert to t do also (insert into t values (3, 'a'); insert into t values (4, 'b'));\n"
    "select ';' as semi, \"q;uoted\" from t\n"
    "-- trailing comment only\n";

}  // namespace

TEST_CASE("statements split the same wherever the text is cut into pieces") {
  auto whole = split_with(k_tricky, 1 << 20);
  REQUIRE(whole.size() == 7);
  CHECK(whole[0] == "10|create table t (id int, s text)");
  CHECK(whole[2].starts_with("13|insert into t values (2,"));
  CHECK(whole[4] == "19|create function g() returns int language sql begin atomic\n  select 1;\n  select 2;\nend");
  CHECK(whole[6].starts_with("24|select ';' as semi, \"q;uoted\" from t"));
  check_every_cut(k_tricky);
}

TEST_CASE("syntax errors are the same wherever the text is cut - a real one is never taken for a cut") {
  const std::string bad = "select 1;\nselect 2;\ncreate tabel t (id int);\nselect 3;\nselect 4;\n";
  auto whole = split_with(bad, 1 << 20);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0] == "error: f.sql:12: syntax error at or near \"tabel\"\n  create tabel t (id int);\n         ^");
  check_every_cut(bad);
  check_every_cut("select 1;\nselect 'never closed;\nselect 2;\n");
  check_every_cut("select 1;\n\\set x 1\nselect :x;\n");
  check_every_cut("select 1;\ncreate function f() returns int as $$ select 1; select 2;\n");
}
