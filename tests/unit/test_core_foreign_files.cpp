// Files written for the Supabase CLI and for dbmate, read as those tools read them: up-only files,
// banners before the marker, empty and comment-only sections, and marker-looking lines that are SQL.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/migration.hpp"

namespace {

core::Migration parse(const std::string& text, const std::string& file = "20240101000000_x.sql") {
  return core::parse_migration(text, file, std::filesystem::path("migrations") / file);
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

bool has_warning(const core::Migration& m, const std::string& fragment) {
  for (const auto& w : m.warnings)
    if (w.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a file without markers is an up-only migration: the whole file, no down") {
  const std::string text = "create table t (id int);\n\ncreate index t_id on t (id);\n";
  auto m = parse(text);
  CHECK(m.up_only);
  CHECK(m.up.present);
  CHECK(m.up.transaction);
  CHECK(m.up.body == text);
  CHECK(m.up.body_line == 1);
  CHECK_FALSE(m.down.present);
  CHECK(core::section_statements(m, m.up).size() == 2);
}

TEST_CASE("empty and comment-only files and sections are accepted with dbmate's meaning, and said") {
  auto empty = parse("");
  CHECK(empty.up_only);
  CHECK(core::section_statements(empty, empty.up).empty());
  CHECK(has_warning(empty, "migrations/20240101000000_x.sql:1: empty migration"));

  auto comments = parse("-- TODO write this\n/* later */\n");
  CHECK(comments.up_only);
  CHECK(core::section_statements(comments, comments.up).empty());

  auto empty_up = parse("-- migrate:up\n-- nothing yet\n\n-- migrate:down\nselect 1;\n");
  CHECK_FALSE(empty_up.up_only);
  CHECK(core::section_statements(empty_up, empty_up.up).empty());
  CHECK(has_warning(empty_up, ":1: empty up section"));

  auto empty_down = parse("-- migrate:up\nselect 1;\n-- migrate:down\n-- nothing to undo\n");
  CHECK(empty_down.down.present);
  CHECK(core::section_statements(empty_down, empty_down.down).empty());
  CHECK(has_warning(empty_down, ":3: empty down section: `down` reverts nothing"));

  auto semicolons = parse("-- migrate:up\n;\n;;\n-- migrate:down\nselect 1;\n");
  CHECK(core::section_statements(semicolons, semicolons.up).empty());

  auto no_down = parse("-- migrate:up\nselect 1;\n");
  CHECK_FALSE(no_down.down.present);
  CHECK(has_warning(no_down, ":2: no '-- migrate:down' section: `down` will refuse to revert it"));
}

TEST_CASE("comments before the marker - line comments and a /** banner */ - are fine, SQL is not") {
  auto m = parse("/**\n * Banner: adds t.\n * -- migrate:down would be a marker outside this comment\n */\n"
                 "-- author: someone\n\n-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n");
  CHECK(m.up.marker_line == 7);
  CHECK(m.up.body == "create table t (id int);\n");
  CHECK(m.down.body == "drop table t;\n");
  CHECK(error_of("/* banner */ select 1;\n-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n") ==
        "migrations/20240101000000_x.sql:1: SQL before '-- migrate:up'");
}

TEST_CASE("a marker-looking line inside a dollar-quoted body, a string or a block comment is SQL") {
  SUBCASE("dollar-quoted function body") {
    auto m = parse("-- migrate:up\ncreate function f() returns int language plpgsql as $body$\nbegin\n"
                   "-- migrate:down\n  return 1;\nend;\n$body$;\n-- migrate:down\ndrop function f();\n");
    CHECK(m.down.marker_line == 8);
    CHECK(m.up.body.find("return 1;") != std::string_view::npos);
    CHECK(core::section_statements(m, m.up).size() == 1);
  }
  SUBCASE("string literal spanning lines") {
    auto m = parse("-- migrate:up\ninsert into notes values ('first line\n-- migrate:down\nthird line');\n"
                   "-- migrate:down\ndelete from notes;\n");
    CHECK(m.down.marker_line == 5);
    CHECK(m.down.body == "delete from notes;\n");
  }
  SUBCASE("block comment, nested") {
    auto m = parse("-- migrate:up\n/* outer /* inner */\n-- migrate:down\n*/\nselect 1;\n-- migrate:down\nselect 2;\n");
    CHECK(m.down.marker_line == 6);
  }
  SUBCASE("quoted identifier spanning lines") {
    auto m = parse("-- migrate:up\ncreate table \"odd\n-- migrate:down\nname\" (id int);\n-- migrate:down\nselect 2;\n");
    CHECK(m.down.marker_line == 5);
  }
  SUBCASE("an up-only file whose function body holds marker text stays up-only") {
    auto m = parse("create function g() returns text language sql as $$ select '\n-- migrate:up\n' $$;\n");
    CHECK(m.up_only);
  }
}

TEST_CASE("a mistyped marker is refused: it would make the down SQL part of the up") {
  CHECK(error_of("-- Migrate:Up\ncreate table t (id int);\n") ==
        "migrations/20240101000000_x.sql:1: '-- Migrate:Up' looks like a marker but is not one");
  CHECK(error_of("-- migrate:up\ncreate table t (id int);\n-- migrate down\ndrop table t;\n") ==
        "migrations/20240101000000_x.sql:3: '-- migrate down' looks like a marker but is not one");
  // Prose that starts with the same words is a comment.
  auto m = parse("-- migrate down the data later, in another file\nselect 1;\n");
  CHECK(m.up_only);
  // Inside a body it is SQL, not a mistyped marker.
  CHECK(parse("select $$\n-- Migrate:Down\n$$;\n").up_only);
}
