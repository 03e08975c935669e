// Migration file names, sections, options and every rejection, with the exact messages.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/migration.hpp"

using core::parse_migration;

namespace {

core::Migration parse(const std::string& text, const std::string& file = "20260101000000_init.sql") {
  return parse_migration(text, file, std::filesystem::path("migrations") / file);
}

std::string error_of(const std::string& text, const std::string& file = "20260101000000_init.sql") {
  try {
    parse(text, file);
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string k_valid = "-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n";

}  // namespace

TEST_CASE("a valid file yields version / name / sections and body lines") {
  auto m = parse(k_valid);
  CHECK(m.version == "20260101000000");
  CHECK(m.name == "init");
  CHECK(m.up.present);
  CHECK(m.up.transaction);
  CHECK(m.up.body_line == 2);
  CHECK(m.up.body == "create table t (id int);\n");
  CHECK(m.down.body_line == 4);
  CHECK(m.down.body == "drop table t;\n");
  CHECK(m.checksum.size() == 64);
}

TEST_CASE("file names are checked") {
  CHECK(error_of(k_valid, "2026_init.sql") ==
        "migrations/2026_init.sql: bad migration file name: expected YYYYMMDDHHMMSS_descriptive_name.sql (14 "
        "digits, '_', lowercase letters, digits, '_')");
  CHECK(error_of(k_valid, "20260101000000_Init.sql") ==
        "migrations/20260101000000_Init.sql: bad migration file name: the name part 'Init' must be lowercase "
        "letters, digits and '_'");
  CHECK(error_of(k_valid, "20261301000000_init.sql") ==
        "migrations/20261301000000_init.sql: bad migration version 20261301000000: not a valid UTC timestamp "
        "YYYYMMDDHHMMSS");
  CHECK(error_of(k_valid, "20260101000000_.sql").find("the name part '' must be") != std::string::npos);
}

TEST_CASE("sections: missing / repeated / misordered / empty / unknown markers and options") {
  CHECK(error_of("create table t (id int);\n-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: SQL before '-- migrate:up'");
  CHECK(error_of("-- just a comment\n") == "migrations/20260101000000_init.sql:1: no '-- migrate:up' section");
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:up\nselect 2;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:3: repeated '-- migrate:up' (first at line 1)");
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n-- migrate:down\nselect 2;\n") ==
        "migrations/20260101000000_init.sql:5: repeated '-- migrate:down' (first at line 3)");
  CHECK(error_of("-- migrate:down\nselect 1;\n-- migrate:up\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: '-- migrate:down' before '-- migrate:up'");
  CHECK(error_of("-- migrate:up\n\n-- nothing here\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: empty up section");
  CHECK(error_of("-- migrate:up\nselect 1;\n") == "migrations/20260101000000_init.sql:2: no '-- migrate:down' section");
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:down\n\n") ==
        "migrations/20260101000000_init.sql:3: empty down section");
  CHECK(error_of("-- migrate:upp\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: unknown marker '-- migrate:upp'");
  CHECK(error_of("-- migrate:up transaction:maybe\nselect 1;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: unknown option 'transaction:maybe' on '-- migrate:up'");
  CHECK(error_of("-- migrate:up irreversible\nselect 1;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: unknown option 'irreversible' on '-- migrate:up'");
}

TEST_CASE("irreversible down sections") {
  auto m = parse("-- migrate:up\ndrop table legacy;\n-- migrate:down irreversible\n");
  CHECK(m.down.irreversible);
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:down irreversible\ncreate table legacy ();\n") ==
        "migrations/20260101000000_init.sql:3: an irreversible down section must be empty");
}

TEST_CASE("transaction:false on either marker") {
  auto m = parse("-- migrate:up transaction:false\ncreate index concurrently i on t (id);\n"
                 "-- migrate:down   transaction:false\ndrop index concurrently i;\n");
  CHECK_FALSE(m.up.transaction);
  CHECK_FALSE(m.down.transaction);
}

TEST_CASE("checksums ignore line endings and a BOM / not content") {
  auto lf = parse(k_valid);
  std::string crlf = k_valid;
  for (std::size_t p = 0; (p = crlf.find('\n', p)) != std::string::npos; p += 2) crlf.replace(p, 1, "\r\n");
  CHECK(parse(crlf).checksum == lf.checksum);
  CHECK(parse("\xEF\xBB\xBF" + k_valid).checksum == lf.checksum);
  CHECK(parse("\xEF\xBB\xBF" + crlf).up.body == "create table t (id int);\n");
  std::string edited = k_valid;
  edited.replace(edited.find("int"), 3, "bigint");
  CHECK(parse(edited).checksum != lf.checksum);
}

TEST_CASE("invalid UTF-8 is rejected with its line") {
  CHECK(error_of("-- migrate:up\nselect 'caf\xE9';\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:2: invalid UTF-8 (byte 0xe9 at column 12)");
}

TEST_CASE("statements are split by PostgreSQL's parser with their file lines") {
  auto m = parse("-- migrate:up\n"
                 "create table t (id int); -- a comment; with a semicolon\n"
                 "\n"
                 "/* block; comment */\n"
                 "insert into t values (1);\n"
                 "create function f() returns int language plpgsql as $$\n"
                 "begin return 1; end;\n"
                 "$$;\n"
                 "select ';' as semi\n"
                 "-- migrate:down\n"
                 "drop function f(); drop table t;\n");
  auto st = core::section_statements(m, m.up);
  REQUIRE(st.size() == 4);
  CHECK(st[0].line == 2);
  CHECK(st[0].sql == "create table t (id int)");
  CHECK(st[1].line == 5);
  CHECK(st[1].sql == "insert into t values (1)");
  CHECK(st[2].line == 6);
  CHECK(st[3].line == 9);
  CHECK(st[3].sql == "select ';' as semi");
  auto down = core::section_statements(m, m.down);
  REQUIRE(down.size() == 2);
  CHECK(down[1].line == 11);
}

TEST_CASE("syntax errors and psql meta-commands name file and line") {
  auto m = parse("-- migrate:up\nselect 1;\ncreate tabel t (id int);\n-- migrate:down\nselect 1;\n");
  try {
    core::section_statements(m, m.up);
    FAIL("expected a syntax error");
  } catch (const core::UsageError& e) {
    CHECK(std::string(e.what()) ==
          "migrations/20260101000000_init.sql:3: syntax error at or near \"tabel\"\n  create tabel t (id int);\n  "
          "       ^");
  }
  auto meta = parse("-- migrate:up\nselect 1;\n\\set x 1\nselect :x;\n-- migrate:down\nselect 1;\n");
  try {
    core::section_statements(meta, meta.up);
    FAIL("expected a meta-command error");
  } catch (const core::UsageError& e) {
    CHECK(std::string(e.what()) == "migrations/20260101000000_init.sql:3: psql meta-command '\\set x 1' is not SQL");
  }
  auto unterminated = parse("-- migrate:up\ncreate function f() returns int as $$\nselect 1\n-- migrate:down\nselect 1;\n");
  CHECK_THROWS_AS(core::section_statements(unterminated, unterminated.up), core::UsageError);
}
