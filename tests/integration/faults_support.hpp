// What the fault tests share: bounded waits, a gate that stops a migration at a known point, long
// migrations that wait at it, and a throwaway server of a test's own that can be stopped under a run.
#pragma once

#include <pqxx/pqxx>
#include <pwd.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace it {

namespace fs = std::filesystem;

// args with --database-url url in front.
std::vector<std::string> with_url(const std::string& url, std::vector<std::string> args);
// True when haystack contains needle.
bool contains(const std::string& haystack, const std::string& needle);
// Runs sql (one or more statements) on db outside a transaction.
void exec_sql(const TestDatabase& db, const std::string& sql);
// Polls pred until it holds or limit passes; true when it held.
bool eventually(const std::function<bool()>& pred, std::chrono::seconds limit);
// Waits for a spawned run, at most limit; a run still going then is killed and the test fails.
RunResult wait_bounded(const Running& r, std::chrono::seconds limit = std::chrono::seconds(120));
// Counts the sessions of the asking database that wait at the gate with this key.
std::string waiting_at_gate_sql(long long key);
// Runs a command (as the postgres user when we are root), output appended to log; returns its exit code.
int run_command(const std::vector<std::string>& args, const std::filesystem::path& log);
// A free TCP port on 127.0.0.1.
std::string free_port();

inline constexpr long long k_gate_tx = 7340001;
inline constexpr long long k_gate_outside = 7340002;
// A long transactional migration: builds a table, then waits at the gate with its transaction open.
extern const char* const k_long_tx;
// A non-transactional migration that stops at its second statement, after the first took effect.
extern const char* const k_outside;

// A session that holds an advisory lock a test migration waits for (`select pg_advisory_xact_lock(KEY)`),
// so that the migration stops exactly there, with its transaction open, until the test says so.
class Gate {
public:
  Gate(const std::string& conninfo, long long key) : m_conn(conninfo), m_key(key) {
    pqxx::nontransaction tx(m_conn);
    tx.exec("select pg_advisory_lock(" + std::to_string(m_key) + ")");
  }
  void open() {
    pqxx::nontransaction tx(m_conn);
    tx.exec("select pg_advisory_unlock(" + std::to_string(m_key) + ")");
  }

private:
  pqxx::connection m_conn;
  long long m_key;
};

// A throwaway PostgreSQL of one test's own, from the binaries scripts/test found
// (AUTOCRM_TEST_PGBIN), so that it can be stopped and started under a running migration without
// touching the shared test server. As root it runs as the postgres user.
class OwnServer {
public:
  // listen: the addresses the server listens on; host_auth: its pg_hba method for TCP.
  explicit OwnServer(const std::string& host_auth = "trust", std::string listen = "127.0.0.1")
      : m_listen(std::move(listen)) {
    const char* bin = std::getenv("AUTOCRM_TEST_PGBIN");
    REQUIRE_MESSAGE(bin, "AUTOCRM_TEST_PGBIN is not set: run the tests through scripts/test");
    m_bin = bin;
    std::string tmpl = (fs::temp_directory_path() / "autocrm-own-pg.XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()));
    m_root = tmpl;
    fs::permissions(m_root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    fs::create_directories(m_root / "data");
    fs::create_directories(m_root / "sock");
    std::ofstream(m_root / "log").flush();
    std::ofstream(m_root / "commands.log").flush();
    if (geteuid() == 0) {
      passwd* pw = getpwnam("postgres");
      REQUIRE_MESSAGE(pw, "running as root needs a postgres user");
      for (const char* p : {"data", "sock", "log", "commands.log"})
        REQUIRE(chown((m_root / p).c_str(), pw->pw_uid, pw->pw_gid) == 0);
    }
    int rc = run_command({m_bin + "/initdb", "-D", (m_root / "data").string(), "-U", "postgres",
                          "--auth-local=trust", "--auth-host=" + host_auth, "-E", "UTF8", "--locale=C.UTF-8",
                          "--no-sync"},
                         m_root / "commands.log");
    REQUIRE_MESSAGE(rc == 0, "initdb failed:\n" << slurp(m_root / "commands.log"));
    m_port = free_port();
    start();
  }
  ~OwnServer() {
    run_command({m_bin + "/pg_ctl", "-D", (m_root / "data").string(), "-m", "immediate", "-w", "stop"},
                m_root / "commands.log");
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;

  void start() {
    int rc = run_command({m_bin + "/pg_ctl", "-D", (m_root / "data").string(), "-l", (m_root / "log").string(), "-w",
                          "-t", "60", "-o",
                          "-p " + m_port + " -c listen_addresses=" + m_listen + " -c unix_socket_directories=" +
                              (m_root / "sock").string() + " -c fsync=off -c max_connections=40",
                          "start"},
                         m_root / "commands.log");
    REQUIRE_MESSAGE(rc == 0, "the test's own server did not start:\n" << slurp(m_root / "log"));
  }
  // Stops the server: mode "fast" (sessions terminated with an error) or "immediate" (killed).
  void stop(const std::string& mode) {
    int rc = run_command({m_bin + "/pg_ctl", "-D", (m_root / "data").string(), "-m", mode, "-w", "-t", "60", "stop"},
                         m_root / "commands.log");
    REQUIRE_MESSAGE(rc == 0, "the test's own server did not stop:\n" << slurp(m_root / "log"));
  }
  std::string conninfo(const std::string& db) const {
    return "host=" + (m_root / "sock").string() + " port=" + m_port + " user=postgres dbname=" + db;
  }
  std::string url(const std::string& db, const std::string& userinfo = "postgres") const {
    return "postgresql://" + userinfo + "@127.0.0.1:" + m_port + "/" + db;
  }
  const std::string& port() const { return m_port; }
  // Adds a line to pg_hba.conf (read at the next start).
  void allow(const std::string& hba_line) const {
    std::ofstream(m_root / "data" / "pg_hba.conf", std::ios::app) << hba_line << "\n";
  }
  std::string log() const { return slurp(m_root / "log"); }
  void exec(const std::string& db, const std::string& sql) const {
    pqxx::connection c(conninfo(db));
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }
  std::string scalar(const std::string& db, const std::string& sql) const {
    pqxx::connection c(conninfo(db));
    pqxx::nontransaction tx(c);
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
  }

private:
  std::string m_bin, m_port, m_listen;
  fs::path m_root;
};

}  // namespace it
