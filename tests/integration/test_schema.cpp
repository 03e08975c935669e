// The AutoCRM migrations as a whole: up, down --all, up again gives back exactly the same schema.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

using it::run_tool;

namespace {

// pg_dump --schema-only of db, without the ledger (which down --all leaves behind, empty).
std::string schema_dump(const it::TestDatabase& db) {
  std::string command = std::string(std::getenv("AUTOCRM_TEST_PGBIN")) + "/pg_dump --schema-only --no-owner " +
                        "--restrict-key=autocrmtest --exclude-schema=autocrm_migrate -h " +
                        std::getenv("AUTOCRM_TEST_PGHOST") + " -p " + it::server_port() + " -U postgres " + db.name();
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[65536];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  REQUIRE(pclose(pipe) == 0);
  return out;
}

}  // namespace

TEST_CASE("AutoCRM up then down --all then up gives identical schemas") {
  it::TestDatabase db;
  std::string before = schema_dump(db);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
  std::string applied = schema_dump(db);
  CHECK(applied.find("CREATE TABLE public.tickets") != std::string::npos);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "down", "--all"}, it::source_dir()), 0);
  std::string reverted = schema_dump(db);
  CHECK(reverted == before);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
  CHECK(schema_dump(db) == applied);
  auto status = run_tool({"--database-url", db.url(), "status", "--exit-code"}, it::source_dir());
  CHECK_EXIT(status, 0);
}

TEST_CASE("every AutoCRM migration reverts and re-applies from every depth") {
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
  std::string applied = schema_dump(db);
  auto files = run_tool({"--database-url", db.url(), "--format", "json", "status"}, it::source_dir());
  std::size_t count = 0;
  for (std::size_t p = 0; (p = files.out.find("\"state\":\"applied\"", p)) != std::string::npos; ++p) ++count;
  REQUIRE(count >= 10);
  // Revert the newest k migrations and apply them again, for every k: each down section undoes
  // exactly its up section whatever is applied below it.
  for (std::size_t k = 1; k <= count; ++k) {
    INFO("reverting the newest " << k);
    CHECK_EXIT(run_tool({"--database-url", db.url(), "down", "--step", std::to_string(k)}, it::source_dir()), 0);
    CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, it::source_dir()), 0);
    CHECK(schema_dump(db) == applied);
  }
}
