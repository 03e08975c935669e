// The embedded local database: created from nothing on first use, reused afterwards, managed by `dev`.
#include <doctest/doctest.h>

#include <regex>

#include "harness.hpp"

using it::run_tool;

TEST_CASE("with nothing configured the embedded database starts from nothing and is reused") {
  it::Workspace ws;
  ws.add_fixture("basic");
  auto first = run_tool({"up"}, ws.path());
  // Whatever happens below, the server started for this test is stopped and its files removed.
  struct Cleanup {
    const it::Workspace& ws;
    ~Cleanup() {
      auto status = run_tool({"--format", "json", "dev", "status"}, ws.path());
      run_tool({"dev", "stop"}, ws.path());
      std::smatch m;
      if (std::regex_search(status.out, m, std::regex("\"root\":\"([^\"]+)\""))) std::filesystem::remove_all(m[1].str());
    }
  } cleanup{ws};
  CHECK_EXIT(first, 0);
  CHECK(first.out.find("initializing the embedded PostgreSQL") != std::string::npos);
  CHECK(first.out.find("applied  20260101000200_index_widgets_concurrently") != std::string::npos);

  auto second = run_tool({"status", "--exit-code"}, ws.path());
  CHECK_EXIT(second, 0);
  CHECK(second.out.find("initializing") == std::string::npos);
  CHECK(second.out.find("starting") == std::string::npos);
  CHECK(second.out.find("3 applied (clean)") != std::string::npos);

  auto url = run_tool({"dev", "url"}, ws.path());
  CHECK_EXIT(url, 0);
  CHECK(url.out.starts_with("postgresql://postgres@/autocrm?host=/"));

  CHECK_EXIT(run_tool({"dev", "stop"}, ws.path()), 0);
  auto stopped = run_tool({"--format", "json", "dev", "status"}, ws.path());
  CHECK_EXIT(stopped, 0);
  CHECK(stopped.out.find("\"running\":false") != std::string::npos);

  // A stopped server is started again (not re-created), and the data is still there.
  auto again = run_tool({"status", "--exit-code"}, ws.path());
  CHECK_EXIT(again, 0);
  CHECK(again.out.find("starting the embedded PostgreSQL") != std::string::npos);
  CHECK(again.out.find("initializing") == std::string::npos);
  CHECK(again.out.find("3 applied (clean)") != std::string::npos);

  // reset drops and recreates the database: nothing applied any more.
  CHECK_EXIT(run_tool({"dev", "reset"}, ws.path()), 0);
  auto after_reset = run_tool({"--format", "json", "status"}, ws.path());
  CHECK_EXIT(after_reset, 0);
  CHECK(after_reset.out.find("\"pending\":3") != std::string::npos);
}
