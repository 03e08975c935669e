// Runtime behaviour: timeouts, server notices, `new`, JSON reports.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "harness.hpp"

using it::run_tool;

TEST_CASE("lock_timeout stops a migration stuck behind another session's lock and rolls it back") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up", "--step", "1"}, ws.path()), 0);
  ws.write_migration("20260101000900_alter_busy.sql",
                     "-- migrate:up\ncreate table side (id int);\nalter table widgets add column busy int;\n"
                     "-- migrate:down\nalter table widgets drop column busy;\ndrop table side;\n");
  auto blocker = db.connect();
  pqxx::work tx(*blocker);
  tx.exec("lock table widgets in access share mode");
  std::vector<std::string> args{"--database-url", db.url(), "--lock-timeout", "300ms", "up", "--to", "20260101000100"};
  // Applying 000100 (alter table widgets) needs an exclusive lock the open transaction prevents.
  auto r = run_tool(args, ws.path());
  tx.abort();
  CHECK_EXIT(r, 1);
  CHECK(r.err.find("ERROR 55P03: canceling statement due to lock timeout") != std::string::npos);
  CHECK(r.err.find("migrations/20260101000100_add_widget_color.sql:2") != std::string::npos);
  CHECK(r.err.find("hint: a lock was not granted within lock_timeout") != std::string::npos);
  CHECK(db.ledger_rows() == 1);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
}

TEST_CASE("server notices and warnings are shown and kept in the JSON report") {
  it::Workspace ws;
  ws.write_migration("20260101000000_noisy.sql",
                     "-- migrate:up\ndo $$ begin raise notice 'vector support skipped: no pgvector'; "
                     "raise warning 'careful'; end $$;\n-- migrate:down\nselect 1;\n");
  it::TestDatabase db;
  auto r = run_tool({"--database-url", db.url(), "--format", "json", "up"}, ws.path());
  CHECK_EXIT(r, 0);
  CHECK(r.err.find("NOTICE:  vector support skipped: no pgvector") != std::string::npos);
  CHECK(r.err.find("WARNING:  careful") != std::string::npos);
  CHECK(r.out.find("\"notices\":[\"NOTICE:  vector support skipped: no pgvector\"") != std::string::npos);
  CHECK(r.out.find("\"command\":\"up\"") != std::string::npos);
}

TEST_CASE("new creates timestamped files from templates with unique versions") {
  it::Workspace ws;
  std::filesystem::copy(it::source_dir() / "templates", ws.path() / "templates");
  auto a = run_tool({"--format", "json", "new", "create_slas", "-t", "table"}, ws.path());
  auto b = run_tool({"--format", "json", "new", "create_slas_again", "-t", "table"}, ws.path());
  CHECK_EXIT(a, 0);
  CHECK_EXIT(b, 0);
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(ws.migrations())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 2);
  CHECK(names[0].substr(0, 14) != names[1].substr(0, 14));
  std::ifstream in(ws.migrations() / names[0]);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("create table public.slas (") != std::string::npos);
  CHECK(text.find("alter table public.slas enable row level security;") != std::string::npos);
  auto bad = run_tool({"new", "Bad-Name"}, ws.path());
  CHECK_EXIT(bad, 2);
  auto missing = run_tool({"new", "x", "-t", "nope"}, ws.path());
  CHECK_EXIT(missing, 2);
  CHECK(missing.err.find("templates: plain, table") != std::string::npos);
}
