// Migration file names, sections, options and every rejection, with the exact messages.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/migration.hpp"

using core::parse_migration;

namespace {

core::Migration parse(const std::string& text, const std::string& file = "20260101000000_init.sql") {
  return parse_migration(text, file, std::filesystem::path("migrations") / file);
}

std::string error_of(const std::string& text, const std::string& file = "20260101000000_init.sql",
                     core::NameRules rules = core::NameRules::compatible) {
  try {
    parse_migration(text, file, std::filesystem::path("migrations") / file, rules);
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

TEST_CASE("file names are checked strictly when strict_names is set") {
  const auto strict = core::NameRules::strict;
  CHECK(error_of(k_valid, "2026_init.sql", strict) ==
        "migrations/2026_init.sql: bad migration file name: expected YYYYMMDDHHMMSS_descriptive_name.sql (14 "
        "digits, '_', lowercase letters, digits, '_') (the version 2026 is not 14 digits (YYYYMMDDHHMMSS))");
  CHECK(error_of(k_valid, "20260101000000_Init.sql", strict) ==
        "migrations/20260101000000_Init.sql: bad migration file name: the name part 'Init' must be lowercase "
        "letters, digits and '_'");
  CHECK(error_of(k_valid, "20261301000000_init.sql", strict) ==
        "migrations/20261301000000_init.sql: bad migration version 20261301000000: not a valid UTC timestamp "
        "YYYYMMDDHHMMSS");
  CHECK(error_of(k_valid, "20260101000000_.sql", strict).find("no '_' and descriptive name") != std::string::npos);
  CHECK(error_of(k_valid, "V1__init.sql", strict).find("bad migration file name: expected") != std::string::npos);
}

TEST_CASE("file names as dbmate and the Supabase CLI accept them: version = leading digits, warnings only") {
  struct Case {
    const char* file;
    const char* version;
    const char* name;
    const char* warning;  // a fragment of the one warning, or "" for none
  };
  for (const Case& c : {Case{"20260101000000_init.sql", "20260101000000", "init", ""},
                        Case{"20240319163440_roles-seed.sql", "20240319163440", "roles-seed", "the name part"},
                        Case{"20240101000000_AddWidgets.sql", "20240101000000", "AddWidgets", "the name part"},
                        Case{"20240101300000_late.sql", "20240101300000", "late", "not a valid UTC timestamp"},
                        Case{"00000000000000_init.sql", "00000000000000", "init", "not a valid UTC timestamp"},
                        Case{"001_first.sql", "001", "first", "not 14 digits"},
                        Case{"20240101000000.sql", "20240101000000", "", "no '_' and descriptive name"},
                        Case{"3-dash.sql", "3", "-dash", "not 14 digits"}}) {
    CAPTURE(c.file);
    auto m = parse(k_valid, c.file);
    CHECK(m.version == c.version);
    CHECK(m.name == c.name);
    if (*c.warning == 0) {
      CHECK(m.warnings.empty());
    } else {
      REQUIRE_FALSE(m.warnings.empty());
      CHECK(m.warnings[0].find(c.warning) != std::string::npos);
      CHECK(m.warnings[0].starts_with(std::string("migrations/") + c.file + ": not in the strict form"));
    }
  }
  CHECK(error_of(k_valid, "init.sql").find("bad migration file name") != std::string::npos);
}

TEST_CASE("sections: missing / repeated / misordered / empty / unknown markers and options") {
  CHECK(error_of("create table t (id int);\n-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: SQL before '-- migrate:up'");
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:up\nselect 2;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:3: repeated '-- migrate:up' (first at line 1)");
  CHECK(error_of("-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n-- migrate:down\nselect 2;\n") ==
        "migrations/20260101000000_init.sql:5: repeated '-- migrate:down' (first at line 3)");
  CHECK(error_of("-- migrate:down\nselect 1;\n-- migrate:up\nselect 1;\n") ==
        "migrations/20260101000000_init.sql:1: '-- migrate:down' before '-- migrate:up'");
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
