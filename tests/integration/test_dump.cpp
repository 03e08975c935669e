// `dump`: a deterministic schema file; `dump --check` for CI; the repository's schema/schema.sql
// is current; dump, down N, up N, dump gives identical bytes for every N; up and down rewrite the
// file when schema_file is set.
#include <doctest/doctest.h>

#include <filesystem>

#include "harness.hpp"

using it::run_tool;
namespace fs = std::filesystem;

namespace {

void exec(const it::TestDatabase& db, const std::string& sql) {
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  tx.exec(sql);
}

int migration_files() {
  int n = 0;
  for (const auto& f : fs::directory_iterator(it::source_dir() / "migrations"))
    if (f.path().extension() == ".sql") ++n;
  return n;
}

}  // namespace

TEST_CASE("dump --check: the committed schema/schema.sql is what the migrations make") {
  it::TestDatabase db(it::Schema::autocrm);
  auto r = run_tool({"--database-url", db.url(), "dump", "--check"}, it::source_dir());
  INFO("if this fails after a new migration: run `autocrm-migrate up && autocrm-migrate dump` and commit "
       "schema/schema.sql");
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("schema/schema.sql is current") != std::string::npos);
}

TEST_CASE("dump writes identical bytes for identical schemas, without pg_dump's noise, --check finds a change") {
  it::TestDatabase db(it::Schema::autocrm);
  it::Workspace ws;
  auto a = ws.path() / "a.sql", b = ws.path() / "b.sql";
  CHECK_EXIT(run_tool({"--database-url", db.url(), "dump", "--file", a.string()}, it::source_dir()), 0);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "dump", "--file", b.string()}, it::source_dir()), 0);
  std::string first = it::slurp(a);
  CHECK(first == it::slurp(b));
  CHECK(first.find("-- Dumped by pg_dump version") == std::string::npos);
  CHECK(first.find("-- Dumped from database version") == std::string::npos);
  CHECK(first.find("\\restrict autocrmmigrate\n") != std::string::npos);
  CHECK(first.find("CREATE TABLE public.tickets (") != std::string::npos);
  CHECK(first.find("GRANT SELECT") != std::string::npos);            // privileges kept
  CHECK(first.find("autocrm_migrate.schema_migrations") != std::string::npos);  // named in the footer only
  CHECK(first.find("CREATE TABLE autocrm_migrate") == std::string::npos);
  CHECK(first.find("audit_logs_y2") == std::string::npos);  // ignore_tables: the date-made partitions
  CHECK(first.find("-- 20260101001900 fixed_search_path_everywhere\n") != std::string::npos);

  exec(db, "alter table public.tickets add column rogue int");
  auto r = run_tool({"--database-url", db.url(), "--format", "json", "dump", "--check", "--file", a.string()},
                    it::source_dir());
  CHECK_EXIT(r, 3);
  CHECK(r.out.find("\"current\":false") != std::string::npos);
  CHECK(r.out.find("+    rogue integer") != std::string::npos);
  CHECK(it::slurp(a) == first);  // --check writes nothing
  auto missing = run_tool({"--database-url", db.url(), "dump", "--check", "--file", (ws.path() / "none.sql").string()},
                          it::source_dir());
  CHECK_EXIT(missing, 3);
  CHECK(missing.out.find("does not exist") != std::string::npos);
}

TEST_CASE("dump, down N, up N, dump: identical bytes for every N") {
  it::TestDatabase db;
  it::Workspace ws;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
  auto before = ws.path() / "before.sql", after = ws.path() / "after.sql";
  CHECK_EXIT(run_tool({"--database-url", db.url(), "dump", "--file", before.string()}, it::source_dir()), 0);
  const std::string expected = it::slurp(before);
  REQUIRE(!expected.empty());
  const int n = migration_files();
  for (int k = 1; k <= n; ++k) {
    CAPTURE(k);
    CHECK_EXIT(run_tool({"--database-url", db.url(), "down", "--step", std::to_string(k)}, it::source_dir()), 0);
    CHECK(db.ledger_rows() == n - k);
    CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
    CHECK_EXIT(run_tool({"--database-url", db.url(), "dump", "--file", after.string()}, it::source_dir()), 0);
    CHECK(it::slurp(after) == expected);
  }
}

TEST_CASE("up, down and redo rewrite schema_file when it is set") {
  it::Workspace ws;
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nschema_file = \"db/schema.sql\"\n");
  ws.write_migration("20260101000000_widgets.sql",
                     "-- migrate:up\ncreate table widgets (id int);\n-- migrate:down\ndrop table widgets;\n");
  ws.write_migration("20260101000001_gadgets.sql",
                     "-- migrate:up\ncreate table gadgets (id int);\n-- migrate:down\ndrop table gadgets;\n");
  it::TestDatabase db;
  auto file = ws.path() / "db" / "schema.sql";
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
  CHECK(it::slurp(file).find("CREATE TABLE public.gadgets") != std::string::npos);
  CHECK(it::slurp(file).find("-- 20260101000001 gadgets\n") != std::string::npos);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "down"}, ws.path()), 0);
  CHECK(it::slurp(file).find("gadgets") == std::string::npos);
  CHECK(it::slurp(file).find("CREATE TABLE public.widgets") != std::string::npos);
  fs::remove(file);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "redo"}, ws.path()), 0);
  CHECK(it::slurp(file).find("CREATE TABLE public.widgets") != std::string::npos);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "dump", "--check"}, ws.path()), 0);
  // Unset, only `dump` writes it.
  it::Workspace plain;
  plain.write_migration("20260101000000_widgets.sql", "-- migrate:up\ncreate table widgets (id int);\n");
  it::TestDatabase db2;
  CHECK_EXIT(run_tool({"--database-url", db2.url(), "up"}, plain.path()), 0);
  CHECK(!fs::exists(plain.path() / "schema" / "schema.sql"));
}
