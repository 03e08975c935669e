// The ledger trusted only when whole, and INVALID indexes never silent: a NULL down SQL, a dropped
// ledger table, a database migrated without a ledger, two long ledger names, an index a
// transaction:false section left or skipped INVALID.
#include <doctest/doctest.h>

#include "faults_support.hpp"

using it::contains;
using it::run_tool;
using it::with_url;

namespace {

void exec(const it::TestDatabase& db, const std::string& sql) {
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  tx.exec(sql);
}

}  // namespace

TEST_CASE("a NULL down SQL in the ledger makes down refuse before reverting anything - --use-file-down reverts with "
          "the file") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "2"}), ws.path()), 0);
  exec(db, "update autocrm_migrate.schema_migrations set down_sql = null where version = '20260101000000'");
  auto r = run_tool(with_url(db.url(), {"down", "--all"}), ws.path());
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "migration 20260101000000_create_widgets has no down SQL in the ledger (NULL"));
  CHECK(contains(r.err, "pass --use-file-down to revert it with the down section of migrations/20260101000000_create_"
                        "widgets.sql"));
  CHECK(db.ledger_rows() == 2);  // nothing reverted, not even the newest
  CHECK(db.scalar("select count(*) from information_schema.columns where column_name = 'color'") == "1");
  auto fixed = run_tool(with_url(db.url(), {"--format", "json", "down", "--all", "--use-file-down"}), ws.path());
  CHECK_EXIT(fixed, 0);
  CHECK(contains(fixed.out, "\"down_from\":\"file\""));
  CHECK_FALSE(db.has_table("public.widgets"));
  CHECK(db.ledger_rows() == 0);
}

TEST_CASE("down says when the recorded down SQL is not the file's any more") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  ws.write_migration("20260101000000_create_widgets.sql",
                     "-- migrate:up\ncreate table widgets (id bigint generated always as identity primary key, name "
                     "text not null);\ninsert into widgets (name) values ('first; with a semicolon');\n\n"
                     "-- migrate:down\ndrop table if exists widgets;\n");
  auto r = run_tool(with_url(db.url(), {"down"}), ws.path());
  CHECK_EXIT(r, 0);
  CHECK(contains(r.out, "note: 20260101000000_create_widgets: the down section of "
                        "migrations/20260101000000_create_widgets.sql differs from the one recorded"));
}

TEST_CASE("a dropped ledger table with its meta table left is refused, never recreated and replayed - baseline "
          "adopts") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_index where indrelid = 'autocrm_migrate.schema_migrations_meta'::regclass "
                  "and indisprimary") == "1");
  exec(db, "drop table autocrm_migrate.schema_migrations");
  for (const char* command : {"up", "status", "down"}) {
    INFO(command);
    auto r = run_tool(with_url(db.url(), {command}), ws.path());
    CHECK_EXIT(r, 1);
    CHECK(contains(r.err, "the ledger table autocrm_migrate.schema_migrations is gone but its meta table "
                          "schema_migrations_meta is still there"));
    CHECK(contains(r.err, "baseline VERSION"));
  }
  CHECK(db.scalar("select count(*) from widgets") == "1");  // nothing ran again
  CHECK_EXIT(run_tool(with_url(db.url(), {"baseline", "20260101000200"}), ws.path()), 0);
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "3 applied"));
}

TEST_CASE("a database without a ledger that already has what the migrations create is refused - baseline is named") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  exec(db, "create table widgets (id int)");
  auto r = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "the database has no ledger, but already has what the pending migrations create: \"widgets\" "
                        "(created by 20260101000000_create_widgets)"));
  CHECK(contains(r.err, "autocrm-migrate baseline VERSION"));
  CHECK(db.ledger_rows() == 0);
}

TEST_CASE("two ledger tables whose names share their first 58 bytes each have a meta table of their own") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  const std::string prefix(58, 'l');
  CHECK_EXIT(run_tool(with_url(db.url(), {"--ledger-table", prefix + "_one", "up", "--step", "1"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db.url(), {"--ledger-table", prefix + "_two", "status"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_tables where schemaname = 'autocrm_migrate' and tablename like '%meta'") ==
        "1");
  // The second ledger is new: it exists only once the first one's migration is adopted or applied.
  auto second = run_tool(with_url(db.url(), {"--ledger-table", prefix + "_two", "baseline", "20260101000000"}),
                         ws.path());
  CHECK_EXIT(second, 0);
  CHECK(db.scalar("select count(*) from pg_tables where schemaname = 'autocrm_migrate' and tablename like '%meta'") ==
        "2");
}

TEST_CASE("status lists every INVALID index and --exit-code fails while one exists") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  exec(db, "insert into widgets (name) values ('twin'), ('twin')");
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  CHECK_THROWS(tx.exec("create unique index concurrently widgets_name_key on widgets (name)"));
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(contains(status.out, "invalid index public.widgets_name_key (on public.widgets): never used, slows every write: "
                             "drop index concurrently public.widgets_name_key"));
  tx.exec("drop index widgets_name_key");
  CHECK_EXIT(run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path()), 0);
}

TEST_CASE("an INVALID index skipped by CREATE INDEX CONCURRENTLY IF NOT EXISTS fails the migration - it is not "
          "recorded applied") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_unique.sql",
                     "-- migrate:up transaction:false\n"
                     "create unique index concurrently if not exists widgets_name_key on widgets (name);\n"
                     "-- migrate:down transaction:false\ndrop index concurrently if exists widgets_name_key;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000200"}), ws.path()), 0);
  exec(db, "insert into widgets (name) values ('twin'), ('twin')");
  auto failed = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(failed, 1);
  CHECK_EXIT(run_tool(with_url(db.url(), {"repair", "20260101000300", "--rolled-back"}), ws.path()), 0);
  exec(db, "delete from widgets where name = 'twin'");
  // The index is still there, INVALID: IF NOT EXISTS would skip it and the build would "succeed".
  auto skipped = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(skipped, 1);
  CHECK(contains(skipped.err, "the section left an index INVALID (invalid index public.widgets_name_key"));
  CHECK(db.scalar("select state from autocrm_migrate.schema_migrations where version = '20260101000300'") == "failed");
  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK(contains(status.out, "drop index concurrently public.widgets_name_key"));
}

TEST_CASE("a format 1 ledger is upgraded in place by the next writing command - its rows kept, new rows record their "
          "up SQL") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  // The ledger as release 0.1.0 created it (format 1: no up_sql, a meta table without a primary key).
  exec(db, "create schema autocrm_migrate; create table autocrm_migrate.schema_migrations (version text primary key, "
           "name text not null, checksum text not null, state text not null default 'applied' check (state in "
           "('applied', 'failed')), up_transaction boolean not null default true, down_sql text, down_transaction "
           "boolean not null default true, down_line integer not null default 0, irreversible boolean not null default "
           "false, applied_at timestamptz not null default now(), applied_by text not null default current_user, "
           "execution_ms bigint not null default 0, baseline boolean not null default false, error text); "
           "create table autocrm_migrate.schema_migrations_meta (format_version integer not null, oldest_reader "
           "integer not null, created_at timestamptz not null default now()); "
           "insert into autocrm_migrate.schema_migrations_meta (format_version, oldest_reader) values (1, 1)");
  CHECK_EXIT(run_tool(with_url(db.url(), {"baseline", "20260101000000"}), ws.path()), 0);
  CHECK(db.scalar("select string_agg(format_version::text, ',' order by format_version) from "
                  "autocrm_migrate.schema_migrations_meta") == "1,2");
  CHECK(db.scalar("select count(*) from pg_index where indrelid = 'autocrm_migrate.schema_migrations_meta'::regclass "
                  "and indisprimary") == "1");
  exec(db, "create table widgets (id bigint generated always as identity primary key, name text not null)");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  CHECK(db.scalar("select up_sql like 'alter table widgets add column color%' from autocrm_migrate.schema_migrations "
                  "where version = '20260101000100'") == "t");
}
