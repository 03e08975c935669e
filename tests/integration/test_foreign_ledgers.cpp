// Other tools' ledgers: `baseline --from` adopts what the Supabase CLI, dbmate, golang-migrate and
// flyway recorded (each ledger made with that tool's own table definition), refusing dirty or failed
// ones; `supabase_ledger = true` keeps the Supabase CLI's ledger in step with every command.
#include <doctest/doctest.h>

#include "faults_support.hpp"

using it::contains;
using it::run_tool;
using it::with_url;
const auto exec = it::exec_sql;

namespace {

std::string our_versions(const it::TestDatabase& db) {
  return db.scalar("select coalesce(string_agg(version, ',' order by version), '') from "
                   "autocrm_migrate.schema_migrations");
}

}  // namespace

TEST_CASE("baseline --from supabase records what the Supabase CLI applied, lists versions on one side only, and a "
          "dry run shows exactly that") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  exec(db, "create schema supabase_migrations; create table supabase_migrations.schema_migrations (version text not "
           "null primary key, statements text[], name text); insert into supabase_migrations.schema_migrations values "
           "('20260101000000', '{}', 'create_widgets'), ('20260101000100', '{}', 'add_widget_color'), "
           "('20991231000000', '{}', 'from_another_branch')");
  auto dry = run_tool(with_url(db.url(), {"--format", "json", "baseline", "--from", "supabase", "--dry-run"}), ws.path());
  CHECK_EXIT(dry, 0);
  CHECK(contains(dry.out, "\"recorded\":[{\"version\":\"20260101000000\",\"name\":\"create_widgets\""));
  CHECK(contains(dry.out, "{\"version\":\"20260101000100\",\"name\":\"add_widget_color\""));
  CHECK(contains(dry.out, "\"only_in_other_ledger\":[\"20991231000000 (from_another_branch)\"]"));
  CHECK(contains(dry.out, "\"not_applied\":[\"20260101000200_index_widgets_concurrently\"]"));
  CHECK_FALSE(db.has_table("autocrm_migrate.schema_migrations"));  // a dry run creates nothing

  auto real = run_tool(with_url(db.url(), {"baseline", "--from", "supabase"}), ws.path());
  CHECK_EXIT(real, 0);
  CHECK(contains(real.out, "warning: supabase records 20991231000000 (from_another_branch) as applied, but no "
                           "migration file has that version"));
  CHECK(our_versions(db) == "20260101000000,20260101000100");
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where baseline and checksum <> ''") == "2");
  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK(contains(status.out, "2 applied, 1 pending"));
  // Run again: nothing new to record.
  auto again = run_tool(with_url(db.url(), {"baseline", "--from", "supabase"}), ws.path());
  CHECK_EXIT(again, 0);
  CHECK(contains(again.out, "nothing to record"));
}

TEST_CASE("baseline --from dbmate reads dbmate's schema_migrations") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  exec(db, "create table public.schema_migrations (version varchar(128) primary key); insert into "
           "public.schema_migrations values ('20260101000000'), ('20260101000100'), ('20260101000200')");
  CHECK_EXIT(run_tool(with_url(db.url(), {"baseline", "--from", "dbmate"}), ws.path()), 0);
  CHECK(our_versions(db) == "20260101000000,20260101000100,20260101000200");
}

TEST_CASE("baseline --from golang-migrate takes every version up to its one row and refuses a dirty ledger") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  exec(db, "create table public.schema_migrations (version bigint not null primary key, dirty boolean not null); "
           "insert into public.schema_migrations values (20260101000100, true)");
  auto dirty = run_tool(with_url(db.url(), {"baseline", "--from", "golang-migrate"}), ws.path());
  CHECK_EXIT(dirty, 1);
  CHECK(contains(dirty.err, "golang-migrate's ledger public.schema_migrations is dirty at version 20260101000100"));
  CHECK(contains(dirty.err, "nothing was recorded"));
  CHECK(our_versions(db) == "");
  exec(db, "update public.schema_migrations set dirty = false");
  CHECK_EXIT(run_tool(with_url(db.url(), {"baseline", "--from", "golang-migrate"}), ws.path()), 0);
  CHECK(our_versions(db) == "20260101000000,20260101000100");
}

TEST_CASE("baseline --from flyway reads flyway_schema_history with its times and refuses a failed row") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  exec(db, "create table public.flyway_schema_history (installed_rank integer not null primary key, version "
           "varchar(50), description varchar(200) not null, type varchar(20) not null, script varchar(1000) not null, "
           "checksum integer, installed_by varchar(100) not null, installed_on timestamp not null default now(), "
           "execution_time integer not null, success boolean not null); insert into public.flyway_schema_history "
           "values (1, '20260101000000', 'create widgets', 'SQL', 'V20260101000000__create_widgets.sql', 1, 'me', "
           "'2025-03-04 05:06:07', 3, true), (2, null, 'views', 'SQL', 'R__views.sql', 2, 'me', now(), 1, true), "
           "(3, '20260101000100', 'add widget color', 'SQL', 'V20260101000100__add_widget_color.sql', 3, 'me', now(), "
           "1, false)");
  auto failed = run_tool(with_url(db.url(), {"--format", "json", "baseline", "--from", "flyway"}), ws.path());
  CHECK_EXIT(failed, 1);
  CHECK(contains(failed.out + failed.err, "records version 20260101000100 (add widget color) as failed"));
  CHECK(our_versions(db) == "");
  exec(db, "update public.flyway_schema_history set success = true");
  auto ok = run_tool(with_url(db.url(), {"--format", "json", "baseline", "--from", "flyway"}), ws.path());
  CHECK_EXIT(ok, 0);
  CHECK(contains(ok.out, "\"applied_at\":\"2025-03-04T05:06:07Z\""));
  CHECK(contains(ok.out, "\"ignored_rows\":[\"rank 2: views (SQL): repeatable, no version\"]"));
  CHECK(our_versions(db) == "20260101000000,20260101000100");
  CHECK(db.scalar("select to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') from "
                  "autocrm_migrate.schema_migrations where version = '20260101000000'") == "2025-03-04 05:06:07");
}

TEST_CASE("baseline --from names a missing ledger table and what to pass instead") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  auto r = run_tool(with_url(db.url(), {"baseline", "--from", "dbmate"}), ws.path());
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "reading dbmate's ledger public.schema_migrations: there is no table public.schema_migrations"));
  CHECK(contains(r.err, "--from-table SCHEMA.TABLE"));
  auto bad = run_tool(with_url(db.url(), {"baseline", "--from", "liquibase"}), ws.path());
  CHECK_EXIT(bad, 2);
  CHECK(contains(bad.err, "the tools are supabase, dbmate, golang-migrate, flyway"));
}

TEST_CASE("supabase_ledger = true writes the Supabase CLI's row with each migration and deletes it on down") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nsupabase_ledger = true\n");
  it::TestDatabase db;
  auto supabase_rows = [&] {
    return db.scalar("select coalesce(string_agg(version || ':' || name, ',' order by version), '') from "
                     "supabase_migrations.schema_migrations");
  };
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(supabase_rows() == "20260101000000:create_widgets,20260101000100:add_widget_color,"
                           "20260101000200:index_widgets_concurrently");
  CHECK(contains(db.scalar("select statements[1] from supabase_migrations.schema_migrations where version = "
                           "'20260101000000'"),
                 "create table widgets"));
  auto again = run_tool(with_url(db.url(), {"up"}), ws.path());  // the mirror table exists: no notices about it
  CHECK_EXIT(again, 0);
  CHECK_FALSE(contains(again.out + again.err, "already exists"));
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 0);  // transaction:false down
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 0);  // transactional down
  CHECK(supabase_rows() == "20260101000000:create_widgets");
  // A migration that fails writes neither ledger.
  ws.write_migration("20260101000300_broken.sql", "-- migrate:up\ncreate table broken (id int);\nselect 1/0;\n"
                                                  "-- migrate:down\ndrop table broken;\n");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 1);
  CHECK(supabase_rows() == "20260101000000:create_widgets,20260101000100:add_widget_color,"
                           "20260101000200:index_widgets_concurrently");
  CHECK(our_versions(db) == "20260101000000,20260101000100,20260101000200");
}
