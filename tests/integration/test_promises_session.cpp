// Promises kept at run time, whatever a migration does to its session: its settings never leak
// into the next migration or the ledger write, a kill after a RESET ALL still never commits, a
// migration that releases the lock is rolled back, interrupts and lost connections say what
// happened. Every wait is bounded.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "core/lock_key.hpp"
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

namespace {

std::string tool_sessions(const it::TestDatabase& db) {
  return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and application_name "
                   "like 'autocrm-migrate up%'");
}

std::string tool_locks(const it::TestDatabase& db) {
  return db.scalar("select count(*) from pg_locks where locktype = 'advisory' and " + std::string(it::k_own_database));
}

}  // namespace

TEST_CASE("session settings of one migration never leak into the next one or into the ledger write") {
  it::Workspace ws;
  std::string role = "leaky_" + std::to_string(getpid());
  ws.write_migration("20260101000000_leaky.sql",
                     "-- migrate:up\ncreate schema s1;\ncreate role " + role + " nologin;\n"
                     "set search_path = s1;\nset statement_timeout = 1;\nset role " + role + ";\n"
                     "-- migrate:down\nreset role;\ndrop role " + role + ";\ndrop schema s1;\n");
  ws.write_migration("20260101000100_next.sql", "-- migrate:up\ncreate table landed (id int);\nselect pg_sleep(0.05);\n"
                                                "-- migrate:down\ndrop table landed;\n");
  it::TestDatabase db;
  auto r = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(r, 0);
  // The next migration's table is in public, owned by the login user, and its sleep outlived the
  // 1 ms statement_timeout the first migration set for its session.
  CHECK(db.has_table("public.landed"));
  CHECK_FALSE(db.has_table("s1.landed"));
  CHECK(db.scalar("select tableowner from pg_tables where tablename = 'landed'") == "postgres");
  CHECK(db.ledger_rows() == 2);
  CHECK_EXIT(run_tool(with_url(db.url(), {"down", "--all"}), ws.path()), 0);
}

TEST_CASE("killed with SIGKILL after a RESET ALL migration - the next migration never commits") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000250_reset.sql", "-- migrate:up\nreset all;\n-- migrate:down\nselect 1;\n");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_tx);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE_MESSAGE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s),
                  "the migration never reached the gate");
  kill(run.pid, SIGKILL);
  CHECK(wait_bounded(run, 30s).code == 128 + SIGKILL);
  // The RESET ALL did not disarm the kill check: the server sees the client gone while the gate is
  // still closed, and rolls back.
  bool gone = eventually([&] { return tool_sessions(db) == "0"; }, 30s);
  gate.open();
  CHECK_MESSAGE(gone, "the killed run's session went on working on the server after RESET ALL");
  CHECK(eventually([&] { return tool_sessions(db) == "0"; }, 30s));
  CHECK(db.ledger_rows() == 4);
  CHECK_FALSE(db.has_table("public.big"));
  CHECK(tool_locks(db) == "0");
}

TEST_CASE("a migration that releases the migration lock at run time is rolled back - and a racing run cannot commit "
          "either") {
  std::string key = std::to_string(core::migration_lock_key("autocrm_migrate", "schema_migrations"));
  it::Workspace ws;
  ws.write_migration("20260101000000_first.sql", "-- migrate:up\ncreate table first (id int);\n-- migrate:down\ndrop table first;\n");
  // The unlock hides in a DO body (discovery cannot see it), then the migration waits at the gate.
  ws.write_migration("20260101000100_unlock.sql", "-- migrate:up\ndo $$ begin perform pg_advisory_unlock(" + key +
                                                      "); end $$;\nselect pg_advisory_xact_lock(7340001);\n"
                                                      "create table unlocked (id int);\n-- migrate:down\nselect 1;\n");
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_tx);
  auto one = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
  // The first run let go of its lock: a second one gets it, and reaches the same migration.
  auto two = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "2"; }, 60s));
  gate.open();
  auto r1 = wait_bounded(one, 60s), r2 = wait_bounded(two, 60s);
  for (const auto* r : {&r1, &r2}) {
    CHECK_EXIT(*r, 1);
    CHECK(contains(r->err, "the migration lock was released while applying 20260101000100_unlock (up"));
  }
  CHECK_FALSE(db.has_table("public.unlocked"));
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where version = '20260101000100'") == "0");
  CHECK(db.ledger_rows() == 1);
}

TEST_CASE("SIGINT and SIGTERM during a transactional migration - cancelled, rolled back, said, exit 130 / 143") {
  for (int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    it::Workspace ws;
    ws.add_fixture("basic");
    ws.write_migration("20260101000300_long.sql", k_long_tx);
    it::TestDatabase db;
    Gate gate(it::server_conninfo(db.name()), k_gate_tx);
    auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
    REQUIRE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
    kill(run.pid, sig);
    auto r = wait_bounded(run, 10s);
    CHECK_EXIT(r, 128 + sig);
    CHECK(contains(r.err, std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                              " while applying 20260101000300_long (up): its statement was cancelled and its "
                              "transaction rolled back; nothing of it was applied"));
    CHECK(db.ledger_rows() == 3);
    CHECK_FALSE(db.has_table("public.big"));
    CHECK(eventually([&] { return tool_locks(db) == "1"; }, 10s));  // only the gate's own lock is left
  }
}

TEST_CASE("SIGINT during a transaction:false section - recorded failed with what took effect, exit 130") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_concurrent.sql", k_outside);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_outside);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_outside)) == "1"; }, 60s));
  kill(run.pid, SIGINT);
  auto r = wait_bounded(run, 10s);
  CHECK_EXIT(r, 130);
  CHECK(contains(r.err, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3 was cancelled by the interrupt; "
                        "statement 1 took effect; it is recorded failed"));
  CHECK(db.scalar("select state from autocrm_migrate.schema_migrations where version = '20260101000300'") == "failed");
  CHECK(contains(db.scalar("select error from autocrm_migrate.schema_migrations where version = '20260101000300'"),
                 "statement 1 took effect"));
}

TEST_CASE("a second SIGINT exits at once when the first cannot stop the statement") {
  it::Workspace ws;
  // A statement that swallows the cancel: only a second signal ends the run.
  ws.write_migration("20260101000000_stubborn.sql",
                     "-- migrate:up\ndo $$ begin loop begin perform pg_sleep(0.05); exception when query_canceled then "
                     "null; end; end loop; end $$;\n-- migrate:down\nselect 1;\n");
  it::TestDatabase db;
  auto run = it::spawn_tool(with_url(db.url(), {"up"}), ws.path());
  REQUIRE(eventually([&] { return tool_sessions(db) == "1" && db.ledger_rows() == 0 &&
                                  db.scalar("select count(*) from pg_stat_activity where datname = current_database() "
                                            "and query like 'do $$%'") == "1"; },
                     60s));
  kill(run.pid, SIGINT);
  usleep(300'000);  // the first one is swallowed by the statement
  kill(run.pid, SIGINT);
  auto r = wait_bounded(run, 5s);
  CHECK(r.code == 130);
  CHECK(eventually([&] { return tool_sessions(db) == "0"; }, 30s));  // the server sees the client gone
  CHECK(db.ledger_rows() == 0);
}

TEST_CASE("a terminated backend during a transactional migration names the migration, the server's words and what "
          "happens next") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_tx);
  for (const char* format : {"text", "json"}) {
    INFO(format);
    auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "--format", format, "up"}), ws.path());
    REQUIRE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
    db.scalar("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and "
              "application_name like 'autocrm-migrate up%'");
    auto r = wait_bounded(run, 30s);
    CHECK_EXIT(r, 1);
    INFO(r.err);
    CHECK(contains(r.err, "lost the connection to the server: terminating connection due to administrator command"));
    CHECK(contains(r.err, "while applying 20260101000300_long (up)"));
    CHECK(contains(r.err, "rolled back with its ledger row by the server: the next `autocrm-migrate up` applies it again"));
  }
  gate.open();
  CHECK(db.ledger_rows() == 3);
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 4);
}
