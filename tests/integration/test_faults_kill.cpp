// Faults survived: the tool killed (SIGKILL) in the middle of a transactional migration, of one
// outside a transaction, and of a CREATE INDEX CONCURRENTLY; a concurrent index build that fails.
// Every wait is bounded; nothing depends on how long something takes.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "faults_support.hpp"

using namespace std::chrono_literals;
using it::contains;
using it::eventually;
using it::Gate;
using it::k_gate_outside;
using it::k_gate_tx;
using it::k_long_tx;
using it::k_outside;
using it::run_tool;
using it::wait_bounded;
using it::waiting_at_gate_sql;
using it::with_url;

TEST_CASE("killed with SIGKILL during a transactional migration - nothing of it stays and the next up completes") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_tx);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE_MESSAGE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s),
                  "the migration never reached the gate");
  kill(run.pid, SIGKILL);
  auto killed = wait_bounded(run, 30s);
  CHECK(killed.code == 128 + SIGKILL);
  // The server notices that its client is gone and rolls back, releasing every lock, instead of
  // running the rest of the pipeline (and committing) once the gate opens.
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  gate.open();
  REQUIRE_MESSAGE(gone, "the killed run's session went on working on the server");
  CHECK(db.ledger_rows() == 3);
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where version = '20260101000300'") == "0");
  CHECK_FALSE(db.has_table("public.big"));
  CHECK(db.scalar("select count(*) from pg_locks where locktype = 'advisory' and " + std::string(it::k_own_database)) ==
        "0");

  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "3 applied, 1 pending"));
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 0);
  CHECK(db.ledger_rows() == 4);
  CHECK(db.scalar("select count(*) from big") == "200000");
}

TEST_CASE("killed with SIGKILL during a non-transactional migration - the ledger names the statement and up waits "
          "for repair") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_concurrent.sql", k_outside);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_outside);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE_MESSAGE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_outside)) == "1"; }, 60s),
                  "the migration never reached the gate");
  kill(run.pid, SIGKILL);
  CHECK(wait_bounded(run, 30s).code == 128 + SIGKILL);
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  gate.open();
  REQUIRE_MESSAGE(gone, "the killed run's session went on working on the server");

  std::string row = "from autocrm_migrate.schema_migrations where version = '20260101000300'";
  CHECK(db.scalar("select state " + row) == "failed");
  std::string error = db.scalar("select error " + row);
  CHECK(contains(error, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3 was started outside a "
                        "transaction and did not finish"));
  CHECK(contains(error, "statement 1 took effect"));
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_lower_idx'") == "1");
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_color_name_idx'") == "0");

  // up and down refuse, naming what to inspect; status shows it.
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "migration 20260101000300_concurrent failed part-way outside a transaction; nothing was "
                         "applied"));
  CHECK(contains(up.err, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3"));
  CHECK(contains(up.err, "repair VERSION --applied"));
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 1);
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(contains(status.out, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3"));

  // The operator finishes the section by hand and records it: everything is clean and reversible.
  db.scalar("create index concurrently widgets_color_name_idx on widgets (color, name)");
  CHECK_EXIT(run_tool(with_url(db.url(), {"repair", "20260101000300", "--applied"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname like 'widgets_%name%_idx'") == "1");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname like 'widgets_%name%_idx'") == "3");
}

TEST_CASE("killed during create index concurrently - status and repair name the invalid index to drop") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_color_idx.sql",
                     "-- migrate:up transaction:false\n"
                     "create index concurrently widgets_color_idx on widgets (color);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_color_idx;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000200"}), ws.path()), 0);
  // An open transaction that wrote to widgets: the index build waits for it, its catalog entry made.
  auto writer = db.connect();
  pqxx::work tx(*writer);
  tx.exec("insert into widgets (name) values ('in flight')");
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  bool waiting = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and application_name "
                         "like 'autocrm-migrate up%' and wait_event_type = 'Lock'") == "1";
      },
      60s);
  kill(run.pid, SIGKILL);
  wait_bounded(run, 30s);
  REQUIRE(waiting);
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  tx.commit();
  REQUIRE(gone);
  CHECK(db.scalar("select count(*) from pg_index where not indisvalid and indexrelid = 'widgets_color_idx'::regclass") ==
        "1");

  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(contains(status.out, "invalid index public.widgets_color_idx (on public.widgets): drop index concurrently "
                             "public.widgets_color_idx"));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "status"}), ws.path());
  CHECK(contains(json.out, "\"invalid_indexes\":[{\"index\":\"public.widgets_color_idx\""));
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "drop index concurrently public.widgets_color_idx"));
  auto repair = run_tool(with_url(db.url(), {"repair", "20260101000300", "--rolled-back"}), ws.path());
  CHECK_EXIT(repair, 0);
  CHECK(contains(repair.out, "warning: invalid index public.widgets_color_idx (on public.widgets) is still there"));
  CHECK(contains(repair.out, "drop index concurrently public.widgets_color_idx;"));
  db.scalar("drop index concurrently public.widgets_color_idx");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_index where not indisvalid") == "0");
}

TEST_CASE("a failed create index concurrently leaves an invalid index - the error / ledger / status and repair say "
          "what to drop") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_unique_names.sql",
                     "-- migrate:up transaction:false\n"
                     "create unique index concurrently widgets_name_key on widgets (name);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_name_key;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000200"}), ws.path()), 0);
  db.scalar("insert into widgets (name) values ('twin'), ('twin')");

  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "migrations/20260101000300_unique_names.sql:2: ERROR 23505"));
  CHECK(contains(up.err, "left behind: invalid index public.widgets_name_key (on public.widgets): drop index "
                         "concurrently public.widgets_name_key"));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "status"}), ws.path());
  CHECK(contains(json.out, "\"advice\":\"drop index concurrently public.widgets_name_key\""));
  std::string error = db.scalar("select error from autocrm_migrate.schema_migrations where version = '20260101000300'");
  CHECK(contains(error, "statement 1 of 1 failed at migrations/20260101000300_unique_names.sql:2: 23505"));
  CHECK(contains(error, "drop index concurrently public.widgets_name_key"));
  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "drop index concurrently public.widgets_name_key"));
  // Mentioned once: the ledger's text already says it.
  CHECK(status.out.find("drop index concurrently public.widgets_name_key") ==
        status.out.rfind("drop index concurrently public.widgets_name_key"));
  auto repair = run_tool(with_url(db.url(), {"repair", "20260101000300", "--rolled-back"}), ws.path());
  CHECK_EXIT(repair, 0);
  CHECK(contains(repair.out, "drop index concurrently public.widgets_name_key;"));
  // The operator drops it, removes the duplicate, and the migration applies.
  db.scalar("drop index concurrently widgets_name_key");
  db.scalar("delete from widgets where ctid = (select max(ctid) from widgets where name = 'twin')");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select indisvalid from pg_index where indexrelid = 'widgets_name_key'::regclass") == "t");
}
