// Faults survived: concurrent runs racing each other, lock contention, lock_timeout and its retries.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>

#include "faults_support.hpp"

using namespace std::chrono_literals;
using it::contains;
using it::eventually;
using it::run_tool;
using it::wait_bounded;
using it::with_url;

namespace {

// True when the ledger and the schema agree: each fixture migration's objects exist exactly when
// its ledger row does.
void check_ledger_matches_schema(const it::TestDatabase& db) {
  bool ledger = db.has_table("autocrm_migrate.schema_migrations");
  auto recorded = [&](const char* v) {
    return ledger && db.scalar(std::string("select count(*) from autocrm_migrate.schema_migrations where version = '") +
                               v + "' and state = 'applied'") == "1";
  };
  CHECK(recorded("20260101000000") == db.has_table("public.widgets"));
  CHECK(recorded("20260101000100") ==
        (db.scalar("select count(*) from pg_proc where proname = 'widget_count'") == "1"));
  CHECK(recorded("20260101000200") ==
        (db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_idx'") == "1"));
  if (ledger) CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where state <> 'applied'") == "0");
}

}  // namespace

TEST_CASE("down racing up - every run succeeds or waits and the ledger matches the schema") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  // Round 1 on a fresh database (the ledger is created while downs look for it), round 2 on a migrated one.
  for (int round = 1; round <= 2; ++round) {
    CAPTURE(round);
    std::vector<it::Running> runs;
    for (int i = 0; i < 8; ++i) {
      std::vector<std::string> args = i % 2 ? std::vector<std::string>{"up"} : std::vector<std::string>{"down"};
      runs.push_back(it::spawn_tool(with_url(db.url(), args), ws.path()));
    }
    for (const auto& r : runs) {
      auto result = wait_bounded(r);
      CHECK_EXIT(result, 0);
      CHECK_FALSE(contains(result.err, "ERROR"));
      CHECK_FALSE(contains(result.err, "database error"));
      CHECK_FALSE(contains(result.err, "internal error"));
    }
    check_ledger_matches_schema(db);
    CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  }
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(db.ledger_rows() == 3);
}

TEST_CASE("lock_timeout names the lock and the session that blocked it") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  auto blocker = db.connect();
  pqxx::nontransaction(*blocker).exec("set application_name = 'fault-test blocker'");
  pqxx::work tx(*blocker);
  std::string pid = tx.exec("select pg_backend_pid()")[0][0].as<std::string>();
  tx.exec("lock table widgets in access share mode");

  auto r = run_tool(with_url(db.url(), {"--lock-timeout", "1s", "up", "--to", "20260101000100"}), ws.path());
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "ERROR 55P03: canceling statement due to lock timeout"));
  CHECK(contains(r.err, "blocked by: waiting for AccessExclusiveLock on relation widgets, held by pid " + pid +
                            " (application fault-test blocker, user postgres, from local, idle in transaction since "));
  CHECK(contains(r.err, "holding AccessShareLock)"));
  CHECK(contains(r.out, "  waiting for AccessExclusiveLock on relation widgets, held by pid " + pid));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "--lock-timeout", "1s", "up"}), ws.path());
  CHECK_EXIT(json, 1);
  CHECK(contains(json.out, "\"blocked_by\":\"AccessExclusiveLock on relation widgets, held by pid " + pid));
  CHECK(db.ledger_rows() == 1);
  tx.abort();
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
}

TEST_CASE("--lock-retries retries a migration that hit lock_timeout with backoff / a bounded number of times") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  auto blocker = db.connect();
  auto tx = std::make_unique<pqxx::work>(*blocker);
  std::string pid = tx->exec("select pg_backend_pid()")[0][0].as<std::string>();
  tx->exec("lock table widgets in access share mode");

  // Never released: three attempts, then the error names the blocker.
  auto gave_up = run_tool(
      with_url(db.url(), {"--lock-timeout", "1s", "--lock-retries", "2", "up", "--to", "20260101000100"}), ws.path());
  CHECK_EXIT(gave_up, 1);
  CHECK(contains(gave_up.out, "rolled back, retrying in 500 ms (retry 1 of 2)"));
  CHECK(contains(gave_up.out, "rolled back, retrying in 1000 ms (retry 2 of 2)"));
  CHECK_FALSE(contains(gave_up.out, "retry 3"));
  CHECK(contains(gave_up.err, "while applying 20260101000100_add_widget_color (up, attempt 3 of 3)"));
  CHECK(contains(gave_up.err, "held by pid " + pid));
  CHECK(db.ledger_rows() == 1);

  // The config file sets it too; released after the first timeout, the retry applies everything.
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nlock_retries = 10\nlock_timeout = \"300ms\"\n");
  auto run = it::spawn_tool(with_url(db.url(), {"up"}), ws.path());
  bool retried = eventually([&] { return contains(it::slurp(run.out), "(retry 1 of 10)"); }, 60s);
  tx->abort();
  auto done = wait_bounded(run);
  REQUIRE(retried);
  CHECK_EXIT(done, 0);
  CHECK(db.ledger_rows() == 3);
  auto show = run_tool({"--format", "json", "config", "show"}, ws.path());
  CHECK(contains(show.out, "{\"key\":\"lock_retries\",\"value\":\"10\",\"origin\":\"autocrm-migrate.toml:2\"}"));
}
