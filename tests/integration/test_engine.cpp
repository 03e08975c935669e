// The engine against a real server: up, down, redo, --to/--step, dry runs, failures, repair,
// changed files, concurrency, locks, JSON output, production guard.
#include <doctest/doctest.h>

#include "harness.hpp"

using it::run_tool;

namespace {

std::vector<std::string> with_url(const it::TestDatabase& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--database-url", db.url()});
  return args;
}

const char* k_failing = "-- migrate:up\n"
                        "create table gadgets (id int primary key);\n"
                        "insert into gadgets values (1);\n"
                        "insert into gadgets\n"
                        "  values (1);\n"
                        "-- migrate:down\n"
                        "drop table gadgets;\n";

}  // namespace

TEST_CASE("up applies every pending migration with its ledger row - status shows them clean") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  auto up = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(up, 0);
  CHECK(db.has_table("public.widgets"));
  CHECK(db.scalar("select name from widgets") == "first; with a semicolon");
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_idx'") == "1");
  CHECK(db.ledger_rows() == 3);
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where state = 'applied' and checksum ~ "
                  "'^[0-9a-f]{64}$' and applied_by like 'postgres (%@%)'") == "3");
  CHECK(db.scalar("select format_version from autocrm_migrate.schema_migrations_meta") == "2");
  // Format 2 records each up section as applied, for replaying the database's history.
  CHECK(db.scalar("select up_sql from autocrm_migrate.schema_migrations where version = '20260101000200'") ==
        "create index concurrently widgets_name_idx on widgets (name);\n\n");
  auto status = run_tool(with_url(db, {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(status.out.find("3 applied (clean)") != std::string::npos);
  auto again = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(again, 0);
  CHECK(again.out.find("nothing to apply") != std::string::npos);
}

TEST_CASE("down reverts one by default / --step N / --to VERSION / --all - redo re-applies the newest") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db, {"down"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 2);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_idx'") == "0");
  CHECK_EXIT(run_tool(with_url(db, {"redo"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 2);
  CHECK(db.scalar("select count(*) from pg_proc where proname = 'widget_count'") == "1");
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db, {"down", "--to", "20260101000000"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 1);
  CHECK(db.has_table("public.widgets"));
  CHECK(db.scalar("select count(*) from information_schema.columns where table_name = 'widgets' and column_name = "
                  "'color'") == "0");
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db, {"down", "--step", "2"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 1);
  CHECK_EXIT(run_tool(with_url(db, {"down", "--all"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 0);
  CHECK_FALSE(db.has_table("public.widgets"));
}

TEST_CASE("up --to and --step stop where asked") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up", "--to", "20260101000100"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 2);
  CHECK_EXIT(run_tool(with_url(db, {"down", "--all"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db, {"up", "--step", "1"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 1);
  auto bad = run_tool(with_url(db, {"up", "--to", "20990101000000"}), ws.path());
  CHECK_EXIT(bad, 2);
  CHECK(bad.err.find("--to 20990101000000: no migration has this version") != std::string::npos);
}

TEST_CASE("--dry-run changes nothing / not even the ledger's creation") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  auto dry = run_tool(with_url(db, {"up", "--dry-run"}), ws.path());
  CHECK_EXIT(dry, 0);
  CHECK(dry.out.find("would apply 20260101000000_create_widgets (2 statements)") != std::string::npos);
  CHECK(dry.out.find("would apply 20260101000200_index_widgets_concurrently (1 statements, outside a transaction)") !=
        std::string::npos);
  CHECK_FALSE(db.has_table("public.widgets"));
  CHECK(db.scalar("select count(*) from pg_namespace where nspname = 'autocrm_migrate'") == "0");
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  auto dry_down = run_tool(with_url(db, {"down", "--all", "--dry-run"}), ws.path());
  CHECK_EXIT(dry_down, 0);
  CHECK(db.ledger_rows() == 3);
  CHECK(db.has_table("public.widgets"));
}

TEST_CASE("a failing migration leaves earlier ones applied and nothing of itself / and says where and why") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_broken.sql", k_failing);
  it::TestDatabase db;
  auto up = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(db.ledger_rows() == 3);
  CHECK_FALSE(db.has_table("public.gadgets"));
  CHECK(up.err.find("migrations/20260101000300_broken.sql:4: ERROR 23505: duplicate key value violates unique "
                    "constraint \"gadgets_pkey\"") != std::string::npos);
  CHECK(up.err.find("DETAIL: Key (id)=(1) already exists.") != std::string::npos);
  auto json = run_tool(with_url(db, {"--format", "json", "up"}), ws.path());
  CHECK_EXIT(json, 1);
  CHECK(json.out.find("\"sqlstate\":\"23505\"") != std::string::npos);
  CHECK(json.out.find("\"line\":4") != std::string::npos);
  CHECK(json.out.find("\"file\":\"migrations/20260101000300_broken.sql\"") != std::string::npos);
}

TEST_CASE("a syntax error in a later file stops the run before anything is applied") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_typo.sql", "-- migrate:up\nselect 1;\ncreate tabel x ();\n-- migrate:down\nselect 1;\n");
  it::TestDatabase db;
  auto up = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(up, 2);
  CHECK(up.err.find("migrations/20260101000300_typo.sql:3: syntax error at or near \"tabel\"") != std::string::npos);
  CHECK(db.ledger_rows() == 0);
  CHECK_FALSE(db.has_table("public.widgets"));
}

TEST_CASE("bad migration files are rejected with file and line without touching the database") {
  it::Workspace ws;
  ws.write_migration("20260101000000_bad.sql", "-- migrate:up\nselect 1;\n-- migrate:dwon\nselect 1;\n");
  // An unreachable URL: a rejection must come before any connection attempt.
  auto r = run_tool({"--database-url", "postgresql://nobody@127.0.0.1:1/none", "up"}, ws.path());
  CHECK_EXIT(r, 2);
  CHECK(r.err.find("migrations/20260101000000_bad.sql:3: unknown marker '-- migrate:dwon'") != std::string::npos);
}

TEST_CASE("a non-transactional failure is recorded / blocks up until repair / and repair resolves it") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_half.sql",
                     "-- migrate:up transaction:false\n"
                     "create index concurrently widgets_color_idx on widgets (color);\n"
                     "create index concurrently widgets_missing_idx on widgets (no_such_column);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_color_idx;\n");
  it::TestDatabase db;
  auto up = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(up.err.find("migrations/20260101000300_half.sql:3: ERROR 42703") != std::string::npos);
  CHECK(db.scalar("select state from autocrm_migrate.schema_migrations where version = '20260101000300'") == "failed");
  CHECK(db.scalar("select error from autocrm_migrate.schema_migrations where version = '20260101000300'")
            .find("statement 2 of 2 failed at migrations/20260101000300_half.sql:3") != std::string::npos);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_color_idx'") == "1");

  auto status = run_tool(with_url(db, {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(status.out.find("failed") != std::string::npos);
  auto blocked = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(blocked, 1);
  CHECK(blocked.err.find("failed part-way outside a transaction; nothing was applied") != std::string::npos);
  CHECK(blocked.err.find("repair") != std::string::npos);
  auto down_blocked = run_tool(with_url(db, {"down"}), ws.path());
  CHECK_EXIT(down_blocked, 1);

  CHECK_EXIT(run_tool(with_url(db, {"repair", "20260101000300"}), ws.path()), 2);
  CHECK_EXIT(run_tool(with_url(db, {"repair", "20260101000300", "--rolled-back"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 3);
  // The operator fixes the file; the migration now applies and can be repaired the other way too.
  ws.write_migration("20260101000300_half.sql",
                     "-- migrate:up transaction:false\n"
                     "create index concurrently if not exists widgets_color_idx on widgets (color);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_color_idx;\n");
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  CHECK(db.scalar("select state from autocrm_migrate.schema_migrations where version = '20260101000300'") == "applied");
  CHECK_EXIT(run_tool(with_url(db, {"repair", "20260101000300", "--applied"}), ws.path()), 1);
}

TEST_CASE("a file changed after it was applied is detected by status and validate / and refused by up") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up", "--to", "20260101000100"}), ws.path()), 0);
  ws.write_migration("20260101000100_add_widget_color.sql",
                     "-- migrate:up\nalter table widgets add column colour text;\n-- migrate:down\nalter table widgets "
                     "drop column colour;\n");
  auto status = run_tool(with_url(db, {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(status.out.find("changed") != std::string::npos);
  auto validate = run_tool(with_url(db, {"validate"}), ws.path());
  CHECK_EXIT(validate, 3);
  CHECK(validate.out.find("migrations/20260101000100_add_widget_color.sql: changed since it was applied") !=
        std::string::npos);
  auto up = run_tool(with_url(db, {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(db.ledger_rows() == 2);
  CHECK_EXIT(run_tool(with_url(db, {"up", "--allow-changed"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 3);
  // CRLF line endings and a BOM alone are not a change.
  std::string text = "\xEF\xBB\xBF-- migrate:up transaction:false\r\ncreate index concurrently widgets_name_idx on "
                     "widgets (name);\r\n\r\n-- migrate:down transaction:false\r\ndrop index concurrently "
                     "widgets_name_idx;\r\n";
  ws.write_migration("20260101000200_index_widgets_concurrently.sql", text);
  auto after = run_tool(with_url(db, {"validate"}), ws.path());
  CHECK_EXIT(after, 3);
  CHECK(after.out.find("20260101000200") == std::string::npos);
}

TEST_CASE("down uses the SQL recorded at apply time / even when the file is gone") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  std::filesystem::remove(ws.migrations() / "20260101000200_index_widgets_concurrently.sql");
  std::filesystem::remove(ws.migrations() / "20260101000100_add_widget_color.sql");
  auto status = run_tool(with_url(db, {"status"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(status.out.find("missing") != std::string::npos);
  CHECK_EXIT(run_tool(with_url(db, {"down", "--step", "2"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_proc where proname = 'widget_count'") == "0");
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_idx'") == "0");
  CHECK(db.ledger_rows() == 1);
}

TEST_CASE("an irreversible migration refuses down clearly") {
  it::Workspace ws;
  ws.write_migration("20260101000000_one_way.sql", "-- migrate:up\ncreate table t (id int);\n-- migrate:down irreversible\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up"}), ws.path()), 0);
  auto down = run_tool(with_url(db, {"down"}), ws.path());
  CHECK_EXIT(down, 1);
  CHECK(down.err.find("is irreversible") != std::string::npos);
  CHECK(db.has_table("public.t"));
}

TEST_CASE("eight concurrent up runs apply each migration exactly once") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  std::vector<it::Running> runs;
  for (int i = 0; i < 8; ++i) runs.push_back(it::spawn_tool(with_url(db, {"up"}), ws.path()));
  int applied_lines = 0;
  for (const auto& r : runs) {
    auto result = it::wait_tool(r);
    CHECK_EXIT(result, 0);
    for (std::size_t p = 0; (p = result.out.find("applied  ", p)) != std::string::npos; ++p) ++applied_lines;
  }
  CHECK(applied_lines == 3);
  CHECK(db.ledger_rows() == 3);
}

TEST_CASE("a held migration lock makes a second run wait / then name the holder") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"up", "--step", "1"}), ws.path()), 0);
  // The first run holds the lock through a slow migration while the second gives up waiting.
  ws.write_migration("20260101000300_slow.sql", "-- migrate:up\nselect pg_sleep(3);\n-- migrate:down\nselect 1;\n");
  auto slow = it::spawn_tool(with_url(db, {"up"}), ws.path());
  // Wait until the slow run holds the lock.
  for (int i = 0; i < 100; ++i) {
    if (db.scalar("select count(*) from pg_locks where locktype = 'advisory' and granted and " + std::string(it::k_own_database)) != "0") break;
    usleep(50'000);
  }
  auto second = run_tool(with_url(db, {"--lock-wait", "300ms", "down"}), ws.path());
  CHECK_EXIT(second, 1);
  CHECK(second.err.find("another run holds the migration lock: pid ") != std::string::npos);
  CHECK(second.err.find("autocrm-migrate up") != std::string::npos);
  CHECK_EXIT(it::wait_tool(slow), 0);
  CHECK(db.ledger_rows() == 4);
}

TEST_CASE("production environments need --yes without a terminal") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\n[env.production]\ndatabase_url = "
                                   "\"${PROD_URL}\"\nproduction = true\n");
  std::map<std::string, std::string> env{{"PROD_URL", db.url()}};
  auto refused = run_tool({"--env", "production", "up"}, ws.path(), env);
  CHECK_EXIT(refused, 2);
  CHECK(refused.err.find("pass --yes") != std::string::npos);
  CHECK(db.ledger_rows() == 0);
  CHECK_EXIT(run_tool({"--env", "production", "up", "--yes"}, ws.path(), env), 0);
  CHECK(db.ledger_rows() == 3);
}

TEST_CASE("baseline adopts an existing database without running anything") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"baseline", "20260101000100"}), ws.path()), 0);
  CHECK(db.ledger_rows() == 2);
  CHECK_FALSE(db.has_table("public.widgets"));
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where baseline") == "2");
}

TEST_CASE("baseline records each file's down SQL exactly - quotes, backslashes, braces and NULL for irreversible") {
  // Regression: baseline writes all rows in one statement from arrays; their elements must keep
  // any text as it is.
  it::Workspace ws;
  const std::string down = "select E'a\\\\b\"{c}', 'it''s', '{\"x\",NULL}';\ndrop table w;\n";
  ws.write_migration("20260101000000_w.sql", "-- migrate:up\ncreate table w (id int);\n-- migrate:down\n" + down);
  ws.write_migration("20260101000001_x.sql", "-- migrate:up\nselect 1;\n-- migrate:down irreversible\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db, {"baseline", "20260101000001"}), ws.path()), 0);
  CHECK(db.scalar("select down_sql from autocrm_migrate.schema_migrations where version = '20260101000000'") == down);
  CHECK(db.scalar("select down_sql is null and irreversible from autocrm_migrate.schema_migrations where version = "
                  "'20260101000001'") == "t");
  CHECK(db.scalar("select string_agg(down_line::text, ',' order by version) from autocrm_migrate.schema_migrations") ==
        "4,4");
}

TEST_CASE("DATABASE_URL and the libpq environment are honoured - passwords never printed") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  std::map<std::string, std::string> pgenv{{"PGHOST", "127.0.0.1"}, {"PGPORT", it::server_port()},
                                           {"PGUSER", "postgres"}, {"PGDATABASE", db.name()},
                                           {"PGPASSWORD", "never-shown-pw"}};
  auto up = run_tool({"up"}, ws.path(), pgenv);
  CHECK_EXIT(up, 0);
  CHECK(db.ledger_rows() == 3);
  std::map<std::string, std::string> url_env{
      {"DATABASE_URL", "postgresql://postgres:top-secret-pw@127.0.0.1:" + it::server_port() + "/" + db.name()}};
  auto show = run_tool({"--format", "json", "config", "show"}, ws.path(), url_env);
  CHECK_EXIT(show, 0);
  CHECK(show.out.find("top-secret-pw") == std::string::npos);
  CHECK(show.out.find("postgres:****@127.0.0.1") != std::string::npos);
  auto status = run_tool({"status"}, ws.path(), url_env);
  CHECK_EXIT(status, 0);
  CHECK(status.out.find("top-secret-pw") == std::string::npos);
  auto unreachable = run_tool({"--database-url", "postgresql://u:pw-in-url-123@127.0.0.1:1/x", "status"}, ws.path());
  CHECK_EXIT(unreachable, 1);
  CHECK(unreachable.err.find("pw-in-url-123") == std::string::npos);
  CHECK(unreachable.err.find("cannot connect to postgresql://u:****@127.0.0.1:1/x") != std::string::npos);
}
