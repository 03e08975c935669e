// Folders written for the Supabase CLI and for dbmate, used unchanged: up-only files, free names,
// banners, markers inside bodies, empty sections, remote_schema.sql-style files, transaction:false;
// and a down section that does not run not blocking the command that does not run it.
#include <doctest/doctest.h>

#include <filesystem>

#include "faults_support.hpp"

using it::contains;
using it::run_tool;
using it::with_url;

namespace fs = std::filesystem;

namespace {

// A project laid out as `supabase init` leaves it: supabase/migrations/ and no configuration.
struct SupabaseProject {
  it::Workspace ws;
  SupabaseProject() {
    fs::remove_all(ws.migrations());
    fs::remove(ws.path() / "autocrm-migrate.toml");
    fs::create_directories(ws.path() / "supabase" / "migrations");
    for (const auto& e : fs::directory_iterator(it::source_dir() / "tests" / "fixtures" / "supabase_project"))
      fs::copy_file(e.path(), ws.path() / "supabase" / "migrations" / e.path().filename());
  }
};

}  // namespace

TEST_CASE("a Supabase CLI folder applies unchanged: found without configuration, up-only files, free names, "
          "remote_schema.sql with SET and RESET ALL") {
  SupabaseProject p;
  it::TestDatabase db;
  auto status = run_tool(with_url(db.url(), {"status"}), p.ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "note: using supabase/migrations/ (there is no migrations/ folder"));
  CHECK(contains(status.out, "0 applied, 6 pending"));

  auto up = run_tool(with_url(db.url(), {"up"}), p.ws.path());
  CHECK_EXIT(up, 0);
  CHECK(db.ledger_rows() == 6);
  CHECK(db.scalar("select count(*) from public.accounts") == "2");
  CHECK(db.has_table("public.notes"));
  // The marker text inside the function body stayed in the function.
  CHECK(contains(db.scalar("select prosrc from pg_proc where proname = 'touch'"), "-- migrate:down (not a marker"));
  // remote_schema's SETs and RESET ALL did not leak into the next migration: the tool's settings held.
  CHECK(db.scalar("select lock_timeout || '|' || search_path || '|' || row_security || '|' || check_function_bodies "
                  "from public.settings_seen") == "5s|\"$user\", public|on|on");

  // An up-only file has no down: refused, with what to do; nothing reverted.
  auto down = run_tool(with_url(db.url(), {"down"}), p.ws.path());
  CHECK_EXIT(down, 1);
  CHECK(contains(down.err, "migration 20240401000000_settings_after has no down section "
                           "(supabase/migrations/20240401000000_settings_after.sql is up-only"));
  CHECK(contains(down.err, "add '-- migrate:down'"));
  CHECK(db.ledger_rows() == 6);
}

TEST_CASE("validate warns about names that are not UTC timestamps - strict_names makes them errors") {
  SupabaseProject p;
  p.ws.write("supabase/migrations/README.sql.txt", "not a migration");
  p.ws.write("supabase/migrations/seed.sql", "insert into public.accounts (handle) values ('x');\n");
  it::TestDatabase db;
  auto r = run_tool(with_url(db.url(), {"--format", "json", "validate"}), p.ws.path());
  CHECK_EXIT(r, 0);
  CHECK(contains(r.out, "20240215093000_roles-seed.sql: not in the strict form YYYYMMDDHHMMSS_lowercase_name.sql: "
                        "the name part 'roles-seed' must be lowercase letters, digits and '_'"));
  CHECK(contains(r.out, "20240301120000_AddHandleIndex.sql: not in the strict form"));
  CHECK(contains(r.out, "20240320000000_placeholder.sql:1: empty migration"));
  CHECK(contains(r.out, "supabase/migrations/seed.sql: ignored: not a migration file name"));

  auto strict = run_tool(with_url(db.url(), {"validate", "--strict-names", "true"}), p.ws.path());
  CHECK_EXIT(strict, 2);
  CHECK(contains(strict.err, "20240215093000_roles-seed.sql: bad migration file name: the name part 'roles-seed'"));
  CHECK(contains(strict.err, "seed.sql: bad migration file name"));
  auto strict_env = run_tool(with_url(db.url(), {"up"}), p.ws.path(), {{"AUTOCRM_MIGRATE_STRICT_NAMES", "true"}});
  CHECK_EXIT(strict_env, 2);
  CHECK(db.ledger_rows() == 0);
}

TEST_CASE("a dbmate folder: leading-digit versions, banners, transaction:false, markers inside bodies, an empty down - "
          "a broken down section warns for up and is refused by validate and down") {
  it::Workspace ws;
  ws.add_fixture("dbmate_project");
  it::TestDatabase db;
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 0);
  CHECK(contains(up.out, "warning: migrations/004_seed.sql:5: syntax error at or near \"form\""));
  CHECK(contains(up.out, "a down section: not run by this command"));
  CHECK(db.ledger_rows() == 4);
  CHECK(db.scalar("select indisvalid from pg_index where indexrelid = 'things_label'::regclass") == "t");
  CHECK(db.scalar("select thing_count()") == "2");

  auto validate = run_tool(with_url(db.url(), {"validate"}), ws.path());
  CHECK_EXIT(validate, 2);
  CHECK(contains(validate.err, "migrations/004_seed.sql:5: syntax error at or near \"form\""));

  auto down = run_tool(with_url(db.url(), {"down"}), ws.path());
  CHECK_EXIT(down, 2);
  CHECK(contains(down.err, "syntax error at or near \"form\""));
  CHECK(contains(down.err, "fix the SQL at that line"));
  CHECK(db.ledger_rows() == 4);

  // Fixed (and reverted with the file's down), then 003's empty down reverts nothing and says so.
  ws.write_migration("004_seed.sql", "-- migrate:up\ninsert into things (label) values ('one'), ('two');\n\n"
                                     "-- migrate:down\ndelete from things;\n");
  CHECK_EXIT(run_tool(with_url(db.url(), {"down", "--use-file-down"}), ws.path()), 0);
  auto empty = run_tool(with_url(db.url(), {"down"}), ws.path());
  CHECK_EXIT(empty, 0);
  CHECK(contains(empty.out, "its down section is empty: nothing to revert, only its ledger row is removed"));
  CHECK(db.ledger_rows() == 2);
  CHECK(db.scalar("select count(*) from pg_proc where proname = 'thing_count'") == "1");
  CHECK_EXIT(run_tool(with_url(db.url(), {"down", "--all"}), ws.path()), 0);
  CHECK_FALSE(db.has_table("public.things"));
}
