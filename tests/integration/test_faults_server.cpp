// Faults survived: the server stopped under a running migration (a throwaway server of the test's
// own), and cluster-wide roles created by another database at the same moment.
#include <doctest/doctest.h>

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

namespace {

// The server stopped (fast or immediate) mid-migration, in a transaction and outside one.
void server_goes_away(const std::string& mode) {
  it::OwnServer server;
  server.exec("postgres", "create database app");
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  std::string url = server.url("app");
  {
    Gate gate(server.conninfo("app"), k_gate_tx);
    auto run = it::spawn_tool(with_url(url, {"--lock-timeout", "0", "up"}), ws.path());
    REQUIRE(eventually([&] { return server.scalar("app", waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
    server.stop(mode);
    auto r = wait_bounded(run, 60s);
    CHECK_EXIT(r, 1);
    CHECK(contains(r.err, "autocrm-migrate: error: lost the connection to the server: "));
    CHECK(contains(r.err, "a migration that was running in a transaction was rolled back with its ledger row"));
    CHECK_FALSE(contains(r.err, "internal error"));
  }
  server.start();
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations") == "3");
  CHECK(server.scalar("app", "select to_regclass('public.big') is null") == "t");

  // Outside a transaction: the next up completes the pending migration, then stops in the new one.
  ws.write_migration("20260101000400_concurrent.sql", k_outside);
  {
    Gate gate(server.conninfo("app"), k_gate_outside);
    auto run = it::spawn_tool(with_url(url, {"--lock-timeout", "0", "up"}), ws.path());
    REQUIRE(eventually([&] { return server.scalar("app", waiting_at_gate_sql(k_gate_outside)) == "1"; }, 60s));
    server.stop(mode);
    auto r = wait_bounded(run, 60s);
    CHECK_EXIT(r, 1);
    CHECK(contains(r.out, "applied  20260101000300_long"));
    CHECK(contains(r.err, "autocrm-migrate: error: lost the connection to the server: "));
    CHECK_FALSE(contains(r.err, "internal error"));
  }
  server.start();
  CHECK(server.scalar("app", "select count(*) from big") == "200000");
  CHECK(server.scalar("app", "select state from autocrm_migrate.schema_migrations where version = '20260101000400'") ==
        "failed");
  CHECK(contains(server.scalar("app", "select error from autocrm_migrate.schema_migrations where version = "
                                      "'20260101000400'"),
                 "statement 2 of 3 at migrations/20260101000400_concurrent.sql:3"));
  auto refused = run_tool(with_url(url, {"up"}), ws.path());
  CHECK_EXIT(refused, 1);
  CHECK(contains(refused.err, "statement 2 of 3 at migrations/20260101000400_concurrent.sql:3"));
  server.exec("app", "drop index concurrently widgets_name_lower_idx");
  CHECK_EXIT(run_tool(with_url(url, {"repair", "20260101000400", "--rolled-back"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(url, {"up"}), ws.path()), 0);
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations where state = 'applied'") == "5");

  // A server that is down when the run starts: exit 1 with a clear message.
  server.stop(mode);
  auto down = run_tool(with_url(url, {"status"}), ws.path());
  CHECK_EXIT(down, 1);
  CHECK(contains(down.err, "cannot connect to " + url));
}

}  // namespace

TEST_CASE("server stopped in fast mode mid-migration - exit 1 with a clear message and the ledger stays true") {
  server_goes_away("fast");
}

TEST_CASE("server stopped in immediate mode mid-migration - exit 1 with a clear message and the ledger stays true") {
  server_goes_away("immediate");
}


TEST_CASE("the AutoCRM schema applied while another database creates the API roles does not fail") {
  // Regression: anon, authenticated and service_role are cluster-wide. When another database of
  // the cluster is creating them at the same moment, the migration saw them missing, waited on
  // pg_authid's unique index and failed with 23505 once the other transaction committed. A fresh
  // cluster of this test's own has no such roles; a transaction holding an uncommitted
  // `create role anon` stands for the other database deterministically.
  it::OwnServer server;
  server.exec("postgres", "create database app");
  pqxx::connection other(server.conninfo("postgres"));
  pqxx::work creating(other);
  creating.exec("create role anon nologin noinherit");
  auto run = it::spawn_tool({"--database-url", server.url("app"), "up"}, it::source_dir());
  // Let the migration reach the role and wait for our transaction, then commit it.
  for (int i = 0; i < 100; ++i) {
    if (server.scalar("postgres", "select count(*) from pg_stat_activity where wait_event_type = 'Lock' or "
                                  "wait_event = 'transactionid'") != "0")
      break;
    usleep(50'000);
  }
  creating.commit();
  CHECK_EXIT(it::wait_tool(run), 0);
  CHECK(server.scalar("postgres", "select count(*) from pg_roles where rolname in ('anon', 'authenticated', "
                                  "'service_role')") == "3");
}
