// Promises kept before anything runs: SQL that would break a migration's transaction, the lock or a
// later migration is refused at discovery (exit 2, file and line, what to write instead), with the
// database untouched; configuration values out of range likewise; unreadable files named.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "core/lock_key.hpp"
#include "faults_support.hpp"

using it::contains;
using it::run_tool;
using it::with_url;

namespace {

const char* k_first = "-- migrate:up\ncreate table first (id int);\n-- migrate:down\ndrop table first;\n";

// Applies ws's files to a fresh database; checks exit 2 with expected in stderr and nothing applied.
void refused(const it::Workspace& ws, const std::string& expected) {
  it::TestDatabase db;
  auto r = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(r, 2);
  CHECK(contains(r.err, expected));
  CHECK_FALSE(db.has_table("public.first"));
  CHECK(db.ledger_rows() == 0);
}

}  // namespace

TEST_CASE("commit / rollback / prepare transaction inside a transactional section are refused before anything runs") {
  for (const char* control : {"commit;", "rollback;", "end;", "prepare transaction 'x';"}) {
    INFO(control);
    it::Workspace ws;
    ws.write_migration("20260101000000_first.sql", k_first);
    ws.write_migration("20260101000100_second.sql", std::string("-- migrate:up\ncreate table part (id int);\n") +
                                                        control + "\ncreate table after (id int);\n"
                                                                  "-- migrate:down\ndrop table part;\n");
    refused(ws, "migrations/20260101000100_second.sql:3: ");
    refused(ws, "inside a transactional section");
  }
}

TEST_CASE("a section wrapped whole in BEGIN ... COMMIT runs as the one transaction - validate says so") {
  it::Workspace ws;
  ws.write_migration("20260101000000_wrapped.sql",
                     "-- migrate:up\nBEGIN;\ncreate table wrapped (id int);\ninsert into wrapped values (1);\nCOMMIT;\n"
                     "-- migrate:down\nbegin;\ndrop table wrapped;\ncommit;\n");
  it::TestDatabase db;
  auto v = run_tool(with_url(db.url(), {"validate"}), ws.path());
  CHECK_EXIT(v, 0);
  CHECK(contains(v.out, "note: migrations/20260101000000_wrapped.sql: the up section is wrapped whole in BEGIN ... "
                        "COMMIT: it runs as the tool's one transaction, with its ledger row"));
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from wrapped") == "1");
  CHECK(db.ledger_rows() == 1);
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 0);
  CHECK_FALSE(db.has_table("public.wrapped"));
  CHECK(db.ledger_rows() == 0);
}

TEST_CASE("statements that cannot run in a transaction block are refused at discovery - naming the marker") {
  for (const char* st : {"create index concurrently first_id on first (id);", "vacuum first;",
                         "drop index concurrently if exists first_id;", "reindex table concurrently first;"}) {
    INFO(st);
    it::Workspace ws;
    ws.write_migration("20260101000000_first.sql", k_first);
    ws.write_migration("20260101000100_second.sql",
                       std::string("-- migrate:up\n") + st + "\n-- migrate:down\nselect 1;\n");
    refused(ws, "migrations/20260101000100_second.sql:2: ");
    refused(ws, "cannot run inside a transaction block");
    refused(ws, "'-- migrate:up transaction:false'");
    auto dry = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "up", "--dry-run"}, ws.path());
    CHECK_EXIT(dry, 2);  // before connecting, even for a dry run
  }
}

TEST_CASE("an enum value used in the transaction that adds it is refused - its own migration is fine") {
  it::Workspace ws;
  ws.write_migration("20260101000000_first.sql",
                     "-- migrate:up\ncreate type mood as enum ('ok');\ncreate table first (m mood);\n"
                     "-- migrate:down\ndrop table first;\ndrop type mood;\n");
  ws.write_migration("20260101000100_add.sql", "-- migrate:up\nalter type mood add value 'great';\n"
                                               "insert into first values ('great');\n-- migrate:down\nselect 1;\n");
  refused(ws, "migrations/20260101000100_add.sql:3: uses 'great', the value that ALTER TYPE mood ADD VALUE adds at "
              "line 2 in the same transaction");
  ws.write_migration("20260101000100_add.sql", "-- migrate:up\nalter type mood add value 'great';\n"
                                               "-- migrate:down\nselect 1;\n");
  ws.write_migration("20260101000200_use.sql",
                     "-- migrate:up\ninsert into first values ('great');\n-- migrate:down\ndelete from first;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from first where m = 'great'") == "1");
}

TEST_CASE("statements that release the migration lock are refused at discovery") {
  std::string own_key = std::to_string(core::migration_lock_key("autocrm_migrate", "schema_migrations"));
  for (std::string st : {std::string("select pg_advisory_unlock_all();"), std::string("discard all;"),
                         "select pg_advisory_unlock(" + own_key + ");"}) {
    INFO(st);
    it::Workspace ws;
    ws.write_migration("20260101000000_first.sql", k_first);
    ws.write_migration("20260101000100_second.sql", "-- migrate:up transaction:false\n" + st + "\n-- migrate:down\nselect 1;\n");
    refused(ws, "migrations/20260101000100_second.sql:2: ");
    refused(ws, "migration lock");
  }
}

TEST_CASE("validate reports every problem of every file in one run") {
  it::Workspace ws;
  ws.write_migration("20260101000000_a.sql", "-- migrate:up\nselec 1;\n-- migrate:down\nselect 1;\n");
  ws.write_migration("20260101000100_b.sql", "-- migrate:up\nselect 1;\ncommit;\n-- migrate:down\nselect 1;\n");
  ws.write_migration("20260101000200_c.sql", "-- migrate:up\nselect 1;\n-- migrate:down\ndrop tabel x;\n");
  auto r = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "validate"}, ws.path());
  CHECK_EXIT(r, 2);
  CHECK(contains(r.err, "3 problems in the migration files:"));
  CHECK(contains(r.err, "migrations/20260101000000_a.sql:2: syntax error"));
  CHECK(contains(r.err, "migrations/20260101000100_b.sql:3: COMMIT inside a transactional section"));
  CHECK(contains(r.err, "migrations/20260101000200_c.sql:4: syntax error"));
}

TEST_CASE("a migrations folder entry that is a FIFO is named - a symlink out of the folder is reported by validate") {
  it::Workspace ws;
  ws.write_migration("20260101000000_first.sql", k_first);
  REQUIRE(mkfifo((ws.migrations() / "20260101000100_pipe.sql").c_str(), 0644) == 0);
  auto r = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "validate"}, ws.path());
  CHECK_EXIT(r, 2);
  CHECK(contains(r.err, "migrations/20260101000100_pipe.sql: cannot read: it is a FIFO (named pipe), not a file"));
  std::filesystem::remove(ws.migrations() / "20260101000100_pipe.sql");
  ws.write("elsewhere/20260101000200_shared.sql", "-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n");
  std::filesystem::create_symlink(ws.path() / "elsewhere" / "20260101000200_shared.sql",
                                  ws.migrations() / "20260101000200_shared.sql");
  it::TestDatabase db;
  auto v = run_tool(with_url(db.url(), {"validate"}), ws.path());
  CHECK_EXIT(v, 0);
  CHECK(contains(v.out, "warning: migrations/20260101000200_shared.sql: a symlink to "));
  CHECK(contains(v.out, "outside the migrations folder"));
}

TEST_CASE("timeouts beyond PostgreSQL's limit and waits that would overflow are configuration errors - exit 2, "
          "before connecting") {
  it::Workspace ws;
  ws.write_migration("20260101000000_first.sql", k_first);
  auto timeout = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "--statement-timeout", "30d", "up"},
                          ws.path());
  CHECK_EXIT(timeout, 2);
  CHECK(contains(timeout.err, "flag --statement-timeout: statement_timeout = '30d' is too long: at most 2147483647 ms "
                              "(about 24 days)"));
  auto wait = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "--lock-wait", "9223372036854775807", "up"},
                       ws.path());
  CHECK_EXIT(wait, 2);
  CHECK(contains(wait.err, "flag --lock-wait: lock_wait = '9223372036854775807' is too long"));
  ws.write("autocrm-migrate.toml", "lock_timeout = \"25d\"\n");
  auto file = run_tool({"--database-url", "postgresql://x@127.0.0.1:1/x", "status"}, ws.path());
  CHECK_EXIT(file, 2);
  CHECK(contains(file.err, "autocrm-migrate.toml:1: lock_timeout = '25d' is too long"));
}
