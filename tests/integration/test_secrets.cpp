// Passwords never shown: from a URL, PGPASSWORD or .pgpass, in output, JSON, errors, config show or logs.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>

#include "core/url.hpp"
#include "faults_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using it::contains;
using it::run_tool;


TEST_CASE("passwords from a URL / PGPASSWORD and .pgpass never appear in output / JSON / errors / config show or "
          "logs") {
  it::OwnServer server("scram-sha-256");  // TCP connections need the password
  struct Source {
    std::string name, user, password, db;
  };
  const std::vector<Source> sources{{"url", "url_user", "Url-Secret:p@ss/w0rd%41", "app_url"},
                                    {"PGPASSWORD", "env_user", "Env-Secret-pw-4711", "app_env"},
                                    {".pgpass", "file_user", "Pgpass-Secret-pw-0815", "app_file"}};
  for (const auto& s : sources) {
    server.exec("postgres", "create role " + s.user + " login password '" + s.password + "'");
    server.exec("postgres", "create database " + s.db + " owner " + s.user);
  }
  it::Workspace ws;
  ws.add_fixture("basic");
  // A failing migration, so that SQL errors are among the outputs checked.
  ws.write_migration("20260101000300_broken.sql", "-- migrate:up\nselect 1/0;\n-- migrate:down\nselect 1;\n");
  fs::path home = ws.path() / "home";
  fs::create_directories(home);

  std::vector<std::string> outputs;
  for (const auto& s : sources) {
    CAPTURE(s.name);
    std::vector<std::string> conn;
    std::map<std::string, std::string> env;
    std::map<std::string, std::string> wrong_env;
    std::vector<std::string> wrong_conn;
    if (s.name == "url") {
      conn = {"--database-url", "postgresql://" + s.user + ":" + core::percent_encode(s.password, "-_.") + "@127.0.0.1:" +
                                    server.port() + "/" + s.db};
      wrong_conn = {"--database-url", "postgresql://" + s.user + ":Wrong-" + core::percent_encode(s.password, "-_.") +
                                          "@127.0.0.1:" + server.port() + "/" + s.db};
    } else {
      // libpq 15 looks for ~/.pgpass in the passwd entry's home, not $HOME: PGPASSFILE names the same file.
      env = {{"PGHOST", "127.0.0.1"}, {"PGPORT", server.port()}, {"PGUSER", s.user}, {"PGDATABASE", s.db},
             {"HOME", home.string()}, {"PGPASSFILE", (home / ".pgpass").string()}};
      wrong_env = env;
      if (s.name == "PGPASSWORD") {
        env["PGPASSWORD"] = s.password;
        wrong_env["PGPASSWORD"] = "Wrong-" + s.password;
      } else {
        std::ofstream(home / ".pgpass") << "127.0.0.1:" << server.port() << ":" << s.db << ":" << s.user << ":"
                                        << s.password << "\n";
        fs::permissions(home / ".pgpass", fs::perms::owner_read | fs::perms::owner_write);
      }
    }
    auto run = [&](std::vector<std::string> args, const std::vector<std::string>& c,
                   const std::map<std::string, std::string>& e) {
      args.insert(args.begin(), c.begin(), c.end());
      auto r = run_tool(args, ws.path(), e);
      outputs.push_back(r.out + r.err);
      return r;
    };
    auto up = run({"up"}, conn, env);
    CHECK_EXIT(up, 1);  // connected, applied three, and failed on the fourth
    CHECK(contains(up.err, "ERROR 22012: division by zero"));
    CHECK(server.scalar(s.db, "select count(*) from autocrm_migrate.schema_migrations") == "3");
    run({"--format", "json", "up"}, conn, env);
    CHECK_EXIT(run({"status"}, conn, env), 0);
    run({"--format", "json", "status"}, conn, env);
    run({"validate"}, conn, env);
    CHECK_EXIT(run({"config", "show"}, conn, env), 0);
    run({"--format", "json", "config", "show"}, conn, env);
    run({"up", "--dry-run"}, conn, env);
    if (s.name == ".pgpass")
      std::ofstream(home / ".pgpass") << "127.0.0.1:" << server.port() << ":" << s.db << ":" << s.user << ":Wrong-"
                                      << s.password << "\n";
    auto wrong = run({"status"}, s.name == "url" ? wrong_conn : conn, s.name == "url" ? env : wrong_env);
    CHECK_EXIT(wrong, 1);
    CHECK(contains(wrong.err, "password authentication failed for user \"" + s.user + "\""));
    auto wrong_json = run({"--format", "json", "status"}, s.name == "url" ? wrong_conn : conn,
                          s.name == "url" ? env : wrong_env);
    CHECK_EXIT(wrong_json, 1);
    CHECK(contains(wrong_json.out, "password authentication failed"));
  }
  for (const auto& s : sources) {
    for (const std::string& secret : {s.password, core::percent_encode(s.password, "-_.")}) {
      CAPTURE(secret);
      for (const auto& o : outputs) CHECK_FALSE(contains(o, secret));
      CHECK_FALSE(contains(server.log(), secret));
      CHECK(server.scalar(s.db, "select count(*) from autocrm_migrate.schema_migrations m where m::text like '%" +
                                    secret + "%'") == "0");
    }
  }
  CHECK(outputs.size() == 30);
}
