// `lint` driven as a user runs it: the real binary on a project folder, no database anywhere (the
// workspace names none, and a database URL that cannot be reached is never tried).
#include <doctest/doctest.h>

#include <cstdlib>

#include "harness.hpp"

using it::run_tool;

namespace {

// A small chain: a table and its index (new: no lock findings), then changes to a table that
// exists before the chain (tickets), one of them ignored with a reason.
void write_chain(const it::Workspace& ws) {
  ws.write_migration("20260101000000_widgets.sql",
                     "-- migrate:up\n"
                     "create table app.widgets (id bigint generated always as identity primary key, name text);\n"
                     "create index widgets_name on app.widgets (name);\n"
                     "-- migrate:down\n"
                     "drop table app.widgets;\n");
  ws.write_migration("20260101000100_tickets.sql",
                     "-- migrate:up\n"
                     "create index tickets_title on public.tickets (title);\n"
                     "alter table public.tickets add column meta json;\n"
                     "-- autocrm-migrate:ignore set-not-null tickets has 40 rows, the scan is instant\n"
                     "alter table public.tickets alter column title set not null;\n"
                     "-- migrate:down\n"
                     "drop index tickets_title;\n");
}

// A database URL nothing listens on: lint must not need it.
const std::map<std::string, std::string> k_no_database = {{"DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none"}};

}  // namespace

TEST_CASE("lint --all reports each finding with file, line and rule, exits 3 on errors, and needs no database") {
  it::Workspace ws;
  write_chain(ws);
  auto r = run_tool({"--format", "json", "lint", "--all"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 3);
  const std::string& out = r.out;
  CHECK(out.find("\"command\":\"lint\"") != std::string::npos);
  CHECK(out.find("\"rule\":\"create-index-not-concurrently\",\"level\":\"error\",\"file\":\"migrations/"
                 "20260101000100_tickets.sql\",\"line\":2,\"column\":1") != std::string::npos);
  CHECK(out.find("\"rule\":\"prefer-jsonb\",\"level\":\"warning\",\"file\":\"migrations/"
                 "20260101000100_tickets.sql\",\"line\":3") != std::string::npos);
  CHECK(out.find("\"squawk:require-concurrent-index-creation\"") != std::string::npos);
  // The ignored one is there, suppressed with its reason; the new table's index is not there at all.
  CHECK(out.find("\"reason\":\"tickets has 40 rows, the scan is instant\"") != std::string::npos);
  CHECK(out.find("widgets") == std::string::npos);
  // The second ALTER TABLE on tickets in that file is a warning of its own.
  CHECK(out.find("\"rule\":\"multiple-alter-table\",\"level\":\"warning\",\"file\":\"migrations/"
                 "20260101000100_tickets.sql\",\"line\":5") != std::string::npos);
  // The default configuration sets no statement_timeout: lint says so once per section, as info.
  CHECK(out.find("\"rule\":\"statement-timeout-missing\",\"level\":\"info\",\"file\":\"migrations/"
                 "20260101000100_tickets.sql\",\"line\":2") != std::string::npos);
  CHECK(out.find("\"errors\":1,\"warnings\":2,\"info\":1,\"suppressed\":1,\"files\":2") != std::string::npos);

  // The same in text: file:line:col, the line, a caret, the fix.
  r = run_tool({"lint"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 3);
  CHECK(r.out.find("migrations/20260101000100_tickets.sql:2:1: error create-index-not-concurrently:") !=
        std::string::npos);
  CHECK(r.out.find("  create index tickets_title on public.tickets (title);\n  ^\n  fix: CREATE INDEX CONCURRENTLY") !=
        std::string::npos);

  // GitHub annotations.
  r = run_tool({"--format", "github", "lint"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 3);
  CHECK(r.out.find("::error file=migrations/20260101000100_tickets.sql,line=2,col=1,title=autocrm-migrate "
                   "create-index-not-concurrently::") != std::string::npos);
}

TEST_CASE("lint FILE alone does not know the chain, --fail-on picks the failing level") {
  it::Workspace ws;
  write_chain(ws);
  // Only the first file: its index is on its own new table, so nothing fires.
  auto r = run_tool({"lint", "migrations/20260101000000_widgets.sql"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("PASSED (fail on error): 0 error(s), 0 warning(s)") != std::string::npos);
  // Warnings only fail with --fail-on warning.
  ws.write_migration("20260101000200_json.sql", "alter table public.tickets add column extra json;\n");
  CHECK_EXIT(run_tool({"lint", "migrations/20260101000200_json.sql"}, ws.path(), k_no_database), 0);
  CHECK_EXIT(run_tool({"lint", "--fail-on", "warning", "migrations/20260101000200_json.sql"}, ws.path(),
                      k_no_database),
             3);
}

TEST_CASE("lint exits 2 naming file and line for a file that does not parse, and refuses FILE with --all") {
  it::Workspace ws;
  ws.write_migration("20260101000000_ok.sql", "create table app.ok (id bigint);\n");
  ws.write_migration("20260101000100_broken.sql", "-- migrate:up\nselect 1;\ncreate table app.t (x int;\n");
  auto r = run_tool({"lint", "--all"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 2);
  CHECK(r.err.find("migrations/20260101000100_broken.sql:3") != std::string::npos);
  CHECK_EXIT(run_tool({"lint", "--all", "migrations/20260101000000_ok.sql"}, ws.path(), k_no_database), 2);
}

TEST_CASE("lint --all on the repository's own AutoCRM chain runs and passes") {
  auto r = run_tool({"--format", "json", "lint", "--all"}, it::source_dir());
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("\"failed\":false") != std::string::npos);
}

TEST_CASE("lint with no FILE lints the pending migrations of the configured database, up shows the lint summary") {
  it::Workspace ws;
  ws.write_migration("20260101000000_items.sql", "-- migrate:up\ncreate table items (id bigint primary key, v text);\n"
                                                 "alter table items enable row level security;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
  ws.write_migration("20260101000100_index.sql", "-- migrate:up\ncreate index items_v on items (v);\n");
  {
    auto c = db.connect();
    pqxx::nontransaction tx(*c);
    tx.exec("insert into items select g, g::text from generate_series(1, 20000) g; analyze items");
  }
  auto catalog = run_tool({"--database-url", db.url(), "lint", "--catalog"}, ws.path());
  CHECK_EXIT(catalog, 3);
  CHECK(catalog.out.find("(public.items has about 20,000 rows on the target)") != std::string::npos);
  auto pending = run_tool({"--database-url", db.url(), "--format", "json", "lint"}, ws.path());
  CHECK_EXIT(pending, 3);
  CHECK(pending.out.find("\"scope\":\"the 1 pending migration(s) of") != std::string::npos);
  CHECK(pending.out.find("\"rule\":\"create-index-not-concurrently\"") != std::string::npos);
  // up --dry-run prints the summary and the finding; up applies (lint_required is off) ...
  auto dry = run_tool({"--database-url", db.url(), "up", "--dry-run"}, ws.path());
  CHECK_EXIT(dry, 0);
  CHECK(dry.out.find("lint: 1 error(s), 0 warning(s), 1 info in the 1 migration(s) to apply") != std::string::npos);
  CHECK(dry.out.find("20260101000100_index.sql:2:1: error create-index-not-concurrently") != std::string::npos);
  // ... and with lint_required it applies nothing.
  auto refused = run_tool({"--database-url", db.url(), "--lint-required", "true", "up"}, ws.path());
  CHECK_EXIT(refused, 3);
  CHECK(refused.err.find("up refused: lint_required and lint found 1 error(s)") != std::string::npos);
  CHECK(db.ledger_rows() == 1);
  ws.write_migration("20260101000100_index.sql",
                     "-- migrate:up transaction:false\ncreate index concurrently items_v on items (v);\n");
  CHECK_EXIT(run_tool({"--database-url", db.url(), "--lint-required", "true", "up"}, ws.path()), 0);
  CHECK(db.ledger_rows() == 2);
}

TEST_CASE("lint --since GIT_REF lints only the files a branch adds or changes, --format sarif for code scanning") {
  it::Workspace ws;
  ws.write_migration("20260101000000_items.sql", "-- migrate:up\ncreate table items (id bigint primary key, v text);\n"
                                                 "alter table items enable row level security;\n");
  std::string git = "cd '" + ws.path().string() + "' && git -c init.defaultBranch=main init -q && git add -A && git -c "
                    "user.name=t -c user.email=t@example.com commit -qm base";
  REQUIRE(std::system(git.c_str()) == 0);
  ws.write_migration("20260101000100_index.sql", "-- migrate:up\ncreate index items_v on items (v);\n");
  auto r = run_tool({"--format", "json", "lint", "--since", "HEAD"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 3);
  CHECK(r.out.find("\"scope\":\"the 1 file(s) added or changed since HEAD\"") != std::string::npos);
  CHECK(r.out.find("20260101000000_items.sql") == std::string::npos);
  CHECK(r.out.find("\"rule\":\"create-index-not-concurrently\"") != std::string::npos);
  auto sarif = run_tool({"--format", "sarif", "lint", "--since", "HEAD"}, ws.path(), k_no_database);
  CHECK_EXIT(sarif, 3);
  CHECK(sarif.out.starts_with("{\"version\":\"2.1.0\""));
  CHECK(sarif.out.find("\"results\":[{\"ruleId\":\"create-index-not-concurrently\",\"level\":\"error\"") !=
        std::string::npos);
  CHECK(sarif.out.find("\"region\":{\"startLine\":2,\"startColumn\":1}") != std::string::npos);
  auto bad = run_tool({"lint", "--since", "no-such-ref"}, ws.path(), k_no_database);
  CHECK_EXIT(bad, 2);
  CHECK(bad.err.find("--since no-such-ref: git failed") != std::string::npos);
}

TEST_CASE("the configuration's [lint] table turns a rule off or re-levels it, and names the line of an unknown rule") {
  it::Workspace ws;
  write_chain(ws);
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\n[lint]\n"
                                   "create-index-not-concurrently = \"warning\"\nprefer-jsonb = \"off\"\n");
  auto r = run_tool({"--format", "json", "lint", "--all"}, ws.path(), k_no_database);
  CHECK_EXIT(r, 0);  // the one error is a warning now
  CHECK(r.out.find("\"rule\":\"create-index-not-concurrently\",\"level\":\"warning\"") != std::string::npos);
  CHECK(r.out.find("prefer-jsonb") == std::string::npos);
  CHECK_EXIT(run_tool({"lint", "--all", "--fail-on", "warning"}, ws.path(), k_no_database), 3);
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\n[lint]\nprefer-jsonbb = \"off\"\n");
  auto bad = run_tool({"lint", "--all"}, ws.path(), k_no_database);
  CHECK_EXIT(bad, 2);
  CHECK(bad.err.find("autocrm-migrate.toml:3: [lint] names no lint rule 'prefer-jsonbb'") != std::string::npos);
}
