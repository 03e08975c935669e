// Small pieces: secrets, durations, JSON, text helpers, scaffolding, SQL error formatting.
#include <doctest/doctest.h>

#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/scaffold.hpp"
#include "core/secrets.hpp"
#include "core/sql_error.hpp"
#include "core/text.hpp"

TEST_CASE("passwords are masked in URLs and conninfo strings") {
  CHECK(core::mask_password("postgresql://u:p%40ss@h:5432/db") == "postgresql://u:****@h:5432/db");
  CHECK(core::mask_password("postgres://u@h/db?password=xyz&sslmode=require") ==
        "postgres://u@h/db?password=****&sslmode=require");
  CHECK(core::mask_password("host=h user=u password='a b\\'c' dbname=d") == "host=h user=u password=**** dbname=d");
  CHECK(core::mask_password("postgresql://u@h/db") == "postgresql://u@h/db");
  CHECK(core::password_of("postgresql://u:p%40ss@h/db") == "p%40ss");
  core::register_secret("hunter2-secret");
  CHECK(core::redact("FATAL: password hunter2-secret rejected") == "FATAL: password **** rejected");
  core::register_secret("p@ss word");
  CHECK(core::redact("url postgresql://u:p%40ss%20word@h") == "url postgresql://u:****@h");
}

TEST_CASE("durations") {
  CHECK(core::parse_duration_ms("250ms") == 250);
  CHECK(core::parse_duration_ms("5s") == 5000);
  CHECK(core::parse_duration_ms("2min") == 120000);
  CHECK(core::parse_duration_ms("1h") == 3600000);
  CHECK(core::parse_duration_ms("0") == 0);
  CHECK_FALSE(core::parse_duration_ms("5 parsecs"));
  CHECK_FALSE(core::parse_duration_ms("-1s"));
  CHECK_FALSE(core::parse_duration_ms(""));
}

TEST_CASE("JSON escapes and keeps key order") {
  core::Json j = core::Json::object();
  j.set("b", 1).set("a", "x\"y\n\x01").set("list", core::Json::array().push(true).push(nullptr));
  CHECK(j.dump() == "{\"b\":1,\"a\":\"x\\\"y\\n\\u0001\",\"list\":[true,null]}");
  CHECK(j["a"].text() == "x\"y\n\x01");
  CHECK(j["missing"].is_null());
}

TEST_CASE("text helpers") {
  CHECK(core::normalize_text("\xEF\xBB\xBF" "a\r\nb\rc\n") == "a\nb\nc\n");
  CHECK(core::line_of_offset("a\nb\nc", 4) == 3);
  CHECK(core::byte_offset_of_char("h\xC3\xA9llo", 3) == 3);
  CHECK(core::is_blank_sql("\n  -- only comments\n\n"));
  CHECK_FALSE(core::is_blank_sql("-- c\nselect 1;"));
  CHECK(core::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_FALSE(core::find_invalid_utf8("plain ascii and caf\xC3\xA9"));
  auto bad = core::find_invalid_utf8("ok\nab\xFF");
  REQUIRE(bad);
  CHECK(bad->line == 2);
  CHECK(bad->column == 3);
}

TEST_CASE("new: versions / names and templates") {
  CHECK(core::next_version("20261231235959") == "20270101000000");
  CHECK(core::render_template("{{version}} {{name}} {{table}} {{other}}", "1", "n", "t") == "1 n t {{other}}");
  CHECK_THROWS_WITH_AS(core::check_new_name("Add-Users", "migration name"),
                       "bad migration name 'Add-Users': use lowercase letters, digits and '_', starting with a letter",
                       core::UsageError);
}

TEST_CASE("SQL errors point at the file line and column of the error position") {
  core::PgDiagnostics d;
  d.severity = "ERROR";
  d.sqlstate = "42703";
  d.message = "column \"nme\" does not exist";
  d.hint = "Perhaps you meant to reference the column \"t.name\".";
  d.position = 14;  // the 'n' of nme on the second line
  core::StatementOrigin o{"migrations/20260101000000_init.sql", 7, "select id,\n  nme from t", "applying x (up)"};
  core::SqlFailure f(d, o);
  CHECK(f.error_line() == 8);
  CHECK(std::string(f.what()) ==
        "migrations/20260101000000_init.sql:8: ERROR 42703: column \"nme\" does not exist\n"
        "  while applying x (up)\n"
        "  HINT: Perhaps you meant to reference the column \"t.name\".\n"
        "  8 |   nme from t\n"
        "    |   ^");
  CHECK(f.to_json()["line"].integer() == 8);
}
