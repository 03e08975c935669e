// Errors at the database boundary: what the server refused, said with what the tool was doing and
// the SQLSTATE, through the libpq session (writing commands) and the libpqxx one (read-only).
#include <doctest/doctest.h>

#include "harness.hpp"

using it::run_tool;

TEST_CASE("a ledger the user may not read is named with the SQLSTATE by status / up and in JSON") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up", "--step", "1"}, ws.path()), 0);
  // A role of this test's own (roles are cluster-wide and tests run in parallel).
  std::string role = "nopriv_" + db.name();
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  tx.exec("create role " + role + " login");
  tx.exec("revoke all on schema autocrm_migrate from public");
  std::string url = "postgresql://" + role + "@127.0.0.1:" + it::server_port() + "/" + db.name();
  const std::string expected =
      "reading the ledger autocrm_migrate.schema_migrations: permission denied for schema autocrm_migrate (42501)";
  for (const char* command : {"status", "up"}) {
    INFO(command);
    auto r = run_tool({"--database-url", url, command}, ws.path());
    CHECK_EXIT(r, 1);
    CHECK(r.err.find("autocrm-migrate: error: " + expected) != std::string::npos);
    CHECK(r.err.find("database error") == std::string::npos);
    auto json = run_tool({"--database-url", url, "--format", "json", command}, ws.path());
    CHECK(json.out.find("\"sqlstate\":\"42501\"") != std::string::npos);
  }
  tx.exec("drop owned by " + role + "; drop role " + role);
  CHECK(db.ledger_rows() == 1);
}
