// Faults survived, each against a real server: the tool killed mid-run, the server stopped under
// it (a throwaway server of the test's own), concurrent runs, lock contention, a failed
// CREATE INDEX CONCURRENTLY. Every wait is bounded; nothing depends on how long something takes.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using it::run_tool;

namespace {

std::vector<std::string> with_url(const std::string& url, std::vector<std::string> args) {
  args.insert(args.begin(), {"--database-url", url});
  return args;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Polls pred until it holds or limit passes; true when it held.
bool eventually(const std::function<bool()>& pred, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

// Waits for a spawned run, at most limit; a run still going then is killed and the test fails.
it::RunResult wait_bounded(const it::Running& r, std::chrono::seconds limit = 120s) {
  bool exited = eventually(
      [&] {
        siginfo_t info{};
        return waitid(P_PID, static_cast<id_t>(r.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == r.pid;
      },
      limit);
  if (!exited) {
    kill(r.pid, SIGKILL);
    FAIL_CHECK("the run did not end within " << limit.count() << " s; killed it");
  }
  return it::wait_tool(r);
}

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

std::string waiting_at_gate_sql(long long key) {
  return "select count(*) from pg_locks where locktype = 'advisory' and not granted and classid = 0 and objid = " +
         std::to_string(key);
}

constexpr long long k_gate_tx = 7340001;
constexpr long long k_gate_outside = 7340002;

// A long transactional migration: builds a table, then waits at the gate with its transaction open.
const char* k_long_tx = "-- migrate:up\n"
                        "create table big as select g as id, md5(g::text) as payload from generate_series(1, 200000) g;\n"
                        "select pg_advisory_xact_lock(7340001);\n"
                        "alter table big add primary key (id);\n"
                        "-- migrate:down\n"
                        "drop table big;\n";

// A non-transactional migration that stops at its second statement, after the first took effect.
const char* k_outside = "-- migrate:up transaction:false\n"
                        "create index concurrently widgets_name_lower_idx on widgets (lower(name));\n"
                        "select pg_advisory_xact_lock(7340002);\n"
                        "create index concurrently widgets_color_name_idx on widgets (color, name);\n"
                        "-- migrate:down transaction:false\n"
                        "drop index concurrently if exists widgets_color_name_idx;\n"
                        "drop index concurrently if exists widgets_name_lower_idx;\n";

// Runs a command (as the postgres user when we are root), output appended to log; returns its exit code.
int run_command(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> argv;
  if (geteuid() == 0) argv = {"runuser", "-u", "postgres", "--"};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (chdir("/") != 0) _exit(126);  // a folder the postgres user can always enter
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    execvp(c[0], c.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

}  // namespace

namespace it {

// A throwaway PostgreSQL of one test's own, from the binaries scripts/test found
// (AUTOCRM_TEST_PGBIN), so that it can be stopped and started under a running migration without
// touching the shared test server. As root it runs as the postgres user.
class OwnServer {
public:
  explicit OwnServer(const std::string& host_auth = "trust") {
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
                          "-p " + m_port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" +
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
  std::string m_bin, m_port;
  fs::path m_root;
};

}  // namespace it

TEST_CASE("killed with SIGKILL during a transactional migration - nothing of it stays and the next up completes") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_tx);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE_MESSAGE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s),
                  "the migration never reached the gate");
  kill(run.pid, SIGKILL);
  auto killed = wait_bounded(run, 30s);
  CHECK(killed.code == 128 + SIGKILL);
  // The server notices that its client is gone and rolls back, releasing every lock, instead of
  // running the rest of the pipeline (and committing) once the gate opens.
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  gate.open();
  REQUIRE_MESSAGE(gone, "the killed run's session went on working on the server");
  CHECK(db.ledger_rows() == 3);
  CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where version = '20260101000300'") == "0");
  CHECK_FALSE(db.has_table("public.big"));
  CHECK(db.scalar("select count(*) from pg_locks where locktype = 'advisory'") == "0");

  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "3 applied, 1 pending"));
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 0);
  CHECK(db.ledger_rows() == 4);
  CHECK(db.scalar("select count(*) from big") == "200000");
}

TEST_CASE("killed with SIGKILL during a non-transactional migration - the ledger names the statement and up waits "
          "for repair") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_concurrent.sql", k_outside);
  it::TestDatabase db;
  Gate gate(it::server_conninfo(db.name()), k_gate_outside);
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  REQUIRE_MESSAGE(eventually([&] { return db.scalar(waiting_at_gate_sql(k_gate_outside)) == "1"; }, 60s),
                  "the migration never reached the gate");
  kill(run.pid, SIGKILL);
  CHECK(wait_bounded(run, 30s).code == 128 + SIGKILL);
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  gate.open();
  REQUIRE_MESSAGE(gone, "the killed run's session went on working on the server");

  std::string row = "from autocrm_migrate.schema_migrations where version = '20260101000300'";
  CHECK(db.scalar("select state " + row) == "failed");
  std::string error = db.scalar("select error " + row);
  CHECK(contains(error, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3 was started outside a "
                        "transaction and did not finish"));
  CHECK(contains(error, "statement 1 took effect"));
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_lower_idx'") == "1");
  CHECK(db.scalar("select count(*) from pg_indexes where indexname = 'widgets_color_name_idx'") == "0");

  // up and down refuse, naming what to inspect; status shows it.
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "migration 20260101000300_concurrent failed part-way outside a transaction; nothing was "
                         "applied"));
  CHECK(contains(up.err, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3"));
  CHECK(contains(up.err, "repair VERSION --applied"));
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 1);
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(contains(status.out, "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3"));

  // The operator finishes the section by hand and records it: everything is clean and reversible.
  db.scalar("create index concurrently widgets_color_name_idx on widgets (color, name)");
  CHECK_EXIT(run_tool(with_url(db.url(), {"repair", "20260101000300", "--applied"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(db.url(), {"down"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname like 'widgets_%name%_idx'") == "1");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_indexes where indexname like 'widgets_%name%_idx'") == "3");
}

TEST_CASE("killed during create index concurrently - status and repair name the invalid index to drop") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_color_idx.sql",
                     "-- migrate:up transaction:false\n"
                     "create index concurrently widgets_color_idx on widgets (color);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_color_idx;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000200"}), ws.path()), 0);
  // An open transaction that wrote to widgets: the index build waits for it, its catalog entry made.
  auto writer = db.connect();
  pqxx::work tx(*writer);
  tx.exec("insert into widgets (name) values ('in flight')");
  auto run = it::spawn_tool(with_url(db.url(), {"--lock-timeout", "0", "up"}), ws.path());
  bool waiting = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and application_name "
                         "like 'autocrm-migrate up%' and wait_event_type = 'Lock'") == "1";
      },
      60s);
  kill(run.pid, SIGKILL);
  wait_bounded(run, 30s);
  REQUIRE(waiting);
  bool gone = eventually(
      [&] {
        return db.scalar("select count(*) from pg_stat_activity where datname = current_database() and "
                         "application_name like 'autocrm-migrate up%'") == "0";
      },
      30s);
  tx.commit();
  REQUIRE(gone);
  CHECK(db.scalar("select count(*) from pg_index where not indisvalid and indexrelid = 'widgets_color_idx'::regclass") ==
        "1");

  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 3);
  CHECK(contains(status.out, "invalid index public.widgets_color_idx (on public.widgets): drop index concurrently "
                             "public.widgets_color_idx"));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "status"}), ws.path());
  CHECK(contains(json.out, "\"invalid_indexes\":[{\"index\":\"public.widgets_color_idx\""));
  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "drop index concurrently public.widgets_color_idx"));
  auto repair = run_tool(with_url(db.url(), {"repair", "20260101000300", "--rolled-back"}), ws.path());
  CHECK_EXIT(repair, 0);
  CHECK(contains(repair.out, "warning: invalid index public.widgets_color_idx (on public.widgets) is still there"));
  CHECK(contains(repair.out, "drop index concurrently public.widgets_color_idx;"));
  db.scalar("drop index concurrently public.widgets_color_idx");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_index where not indisvalid") == "0");
}

TEST_CASE("a failed create index concurrently leaves an invalid index - the error / ledger / status and repair say "
          "what to drop") {
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_unique_names.sql",
                     "-- migrate:up transaction:false\n"
                     "create unique index concurrently widgets_name_key on widgets (name);\n"
                     "-- migrate:down transaction:false\n"
                     "drop index concurrently if exists widgets_name_key;\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000200"}), ws.path()), 0);
  db.scalar("insert into widgets (name) values ('twin'), ('twin')");

  auto up = run_tool(with_url(db.url(), {"up"}), ws.path());
  CHECK_EXIT(up, 1);
  CHECK(contains(up.err, "migrations/20260101000300_unique_names.sql:2: ERROR 23505"));
  CHECK(contains(up.err, "left behind: invalid index public.widgets_name_key (on public.widgets): drop index "
                         "concurrently public.widgets_name_key"));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "status"}), ws.path());
  CHECK(contains(json.out, "\"advice\":\"drop index concurrently public.widgets_name_key\""));
  std::string error = db.scalar("select error from autocrm_migrate.schema_migrations where version = '20260101000300'");
  CHECK(contains(error, "statement 1 of 1 failed at migrations/20260101000300_unique_names.sql:2: 23505"));
  CHECK(contains(error, "drop index concurrently public.widgets_name_key"));
  auto status = run_tool(with_url(db.url(), {"status"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "drop index concurrently public.widgets_name_key"));
  // Mentioned once: the ledger's text already says it.
  CHECK(status.out.find("drop index concurrently public.widgets_name_key") ==
        status.out.rfind("drop index concurrently public.widgets_name_key"));
  auto repair = run_tool(with_url(db.url(), {"repair", "20260101000300", "--rolled-back"}), ws.path());
  CHECK_EXIT(repair, 0);
  CHECK(contains(repair.out, "drop index concurrently public.widgets_name_key;"));
  // The operator drops it, removes the duplicate, and the migration applies.
  db.scalar("drop index concurrently widgets_name_key");
  db.scalar("delete from widgets where ctid = (select max(ctid) from widgets where name = 'twin')");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(db.scalar("select indisvalid from pg_index where indexrelid = 'widgets_name_key'::regclass") == "t");
}

namespace {

// The server stopped (fast or immediate) mid-migration, in a transaction and outside one.
void server_goes_away(const std::string& mode) {
  it::OwnServer server;
  server.exec("postgres", "create database app");
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  std::string url = server.url("app");
  {
    Gate gate(server.conninfo("app"), k_gate_tx);
    auto run = it::spawn_tool(with_url(url, {"--lock-timeout", "0", "up"}), ws.path());
    REQUIRE(eventually([&] { return server.scalar("app", waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
    server.stop(mode);
    auto r = wait_bounded(run, 60s);
    CHECK_EXIT(r, 1);
    CHECK(contains(r.err, "autocrm-migrate: error: lost the connection to the server: "));
    CHECK(contains(r.err, "a migration that was running in a transaction was rolled back with its ledger row"));
    CHECK_FALSE(contains(r.err, "internal error"));
  }
  server.start();
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations") == "3");
  CHECK(server.scalar("app", "select to_regclass('public.big') is null") == "t");

  // Outside a transaction: the next up completes the pending migration, then stops in the new one.
  ws.write_migration("20260101000400_concurrent.sql", k_outside);
  {
    Gate gate(server.conninfo("app"), k_gate_outside);
    auto run = it::spawn_tool(with_url(url, {"--lock-timeout", "0", "up"}), ws.path());
    REQUIRE(eventually([&] { return server.scalar("app", waiting_at_gate_sql(k_gate_outside)) == "1"; }, 60s));
    server.stop(mode);
    auto r = wait_bounded(run, 60s);
    CHECK_EXIT(r, 1);
    CHECK(contains(r.out, "applied  20260101000300_long"));
    CHECK(contains(r.err, "autocrm-migrate: error: lost the connection to the server: "));
    CHECK_FALSE(contains(r.err, "internal error"));
  }
  server.start();
  CHECK(server.scalar("app", "select count(*) from big") == "200000");
  CHECK(server.scalar("app", "select state from autocrm_migrate.schema_migrations where version = '20260101000400'") ==
        "failed");
  CHECK(contains(server.scalar("app", "select error from autocrm_migrate.schema_migrations where version = "
                                      "'20260101000400'"),
                 "statement 2 of 3 at migrations/20260101000400_concurrent.sql:3"));
  auto refused = run_tool(with_url(url, {"up"}), ws.path());
  CHECK_EXIT(refused, 1);
  CHECK(contains(refused.err, "statement 2 of 3 at migrations/20260101000400_concurrent.sql:3"));
  server.exec("app", "drop index concurrently widgets_name_lower_idx");
  CHECK_EXIT(run_tool(with_url(url, {"repair", "20260101000400", "--rolled-back"}), ws.path()), 0);
  CHECK_EXIT(run_tool(with_url(url, {"up"}), ws.path()), 0);
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations where state = 'applied'") == "5");

  // A server that is down when the run starts: exit 1 with a clear message.
  server.stop(mode);
  auto down = run_tool(with_url(url, {"status"}), ws.path());
  CHECK_EXIT(down, 1);
  CHECK(contains(down.err, "cannot connect to " + url));
}

}  // namespace

TEST_CASE("server stopped in fast mode mid-migration - exit 1 with a clear message and the ledger stays true") {
  server_goes_away("fast");
}

TEST_CASE("server stopped in immediate mode mid-migration - exit 1 with a clear message and the ledger stays true") {
  server_goes_away("immediate");
}

namespace {

// True when the ledger and the schema agree: each fixture migration's objects exist exactly when
// its ledger row does.
void check_ledger_matches_schema(const it::TestDatabase& db) {
  bool ledger = db.has_table("autocrm_migrate.schema_migrations");
  auto recorded = [&](const char* v) {
    return ledger && db.scalar(std::string("select count(*) from autocrm_migrate.schema_migrations where version = '") +
                               v + "' and state = 'applied'") == "1";
  };
  CHECK(recorded("20260101000000") == db.has_table("public.widgets"));
  CHECK(recorded("20260101000100") ==
        (db.scalar("select count(*) from pg_proc where proname = 'widget_count'") == "1"));
  CHECK(recorded("20260101000200") ==
        (db.scalar("select count(*) from pg_indexes where indexname = 'widgets_name_idx'") == "1"));
  if (ledger) CHECK(db.scalar("select count(*) from autocrm_migrate.schema_migrations where state <> 'applied'") == "0");
}

}  // namespace

TEST_CASE("down racing up - every run succeeds or waits and the ledger matches the schema") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  // Round 1 on a fresh database (the ledger is created while downs look for it), round 2 on a migrated one.
  for (int round = 1; round <= 2; ++round) {
    CAPTURE(round);
    std::vector<it::Running> runs;
    for (int i = 0; i < 8; ++i) {
      std::vector<std::string> args = i % 2 ? std::vector<std::string>{"up"} : std::vector<std::string>{"down"};
      runs.push_back(it::spawn_tool(with_url(db.url(), args), ws.path()));
    }
    for (const auto& r : runs) {
      auto result = wait_bounded(r);
      CHECK_EXIT(result, 0);
      CHECK_FALSE(contains(result.err, "ERROR"));
      CHECK_FALSE(contains(result.err, "database error"));
      CHECK_FALSE(contains(result.err, "internal error"));
    }
    check_ledger_matches_schema(db);
    CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  }
  auto status = run_tool(with_url(db.url(), {"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(db.ledger_rows() == 3);
}

TEST_CASE("lock_timeout names the lock and the session that blocked it") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  auto blocker = db.connect();
  pqxx::nontransaction(*blocker).exec("set application_name = 'fault-test blocker'");
  pqxx::work tx(*blocker);
  std::string pid = tx.exec("select pg_backend_pid()")[0][0].as<std::string>();
  tx.exec("lock table widgets in access share mode");

  auto r = run_tool(with_url(db.url(), {"--lock-timeout", "1s", "up", "--to", "20260101000100"}), ws.path());
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "ERROR 55P03: canceling statement due to lock timeout"));
  CHECK(contains(r.err, "blocked by: waiting for AccessExclusiveLock on relation widgets, held by pid " + pid +
                            " (application fault-test blocker, user postgres, from local, idle in transaction since "));
  CHECK(contains(r.err, "holding AccessShareLock)"));
  CHECK(contains(r.out, "  waiting for AccessExclusiveLock on relation widgets, held by pid " + pid));
  auto json = run_tool(with_url(db.url(), {"--format", "json", "--lock-timeout", "1s", "up"}), ws.path());
  CHECK_EXIT(json, 1);
  CHECK(contains(json.out, "\"blocked_by\":\"AccessExclusiveLock on relation widgets, held by pid " + pid));
  CHECK(db.ledger_rows() == 1);
  tx.abort();
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
}

TEST_CASE("--lock-retries retries a migration that hit lock_timeout with backoff / a bounded number of times") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--step", "1"}), ws.path()), 0);
  auto blocker = db.connect();
  auto tx = std::make_unique<pqxx::work>(*blocker);
  std::string pid = tx->exec("select pg_backend_pid()")[0][0].as<std::string>();
  tx->exec("lock table widgets in access share mode");

  // Never released: three attempts, then the error names the blocker.
  auto gave_up = run_tool(
      with_url(db.url(), {"--lock-timeout", "1s", "--lock-retries", "2", "up", "--to", "20260101000100"}), ws.path());
  CHECK_EXIT(gave_up, 1);
  CHECK(contains(gave_up.out, "rolled back, retrying in 500 ms (retry 1 of 2)"));
  CHECK(contains(gave_up.out, "rolled back, retrying in 1000 ms (retry 2 of 2)"));
  CHECK_FALSE(contains(gave_up.out, "retry 3"));
  CHECK(contains(gave_up.err, "while applying 20260101000100_add_widget_color (up, attempt 3 of 3)"));
  CHECK(contains(gave_up.err, "held by pid " + pid));
  CHECK(db.ledger_rows() == 1);

  // The config file sets it too; released after the first timeout, the retry applies everything.
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nlock_retries = 10\nlock_timeout = \"300ms\"\n");
  auto run = it::spawn_tool(with_url(db.url(), {"up"}), ws.path());
  bool retried = eventually([&] { return contains(slurp(run.out), "(retry 1 of 10)"); }, 60s);
  tx->abort();
  auto done = wait_bounded(run);
  REQUIRE(retried);
  CHECK_EXIT(done, 0);
  CHECK(db.ledger_rows() == 3);
  auto show = run_tool({"--format", "json", "config", "show"}, ws.path());
  CHECK(contains(show.out, "{\"key\":\"lock_retries\",\"value\":\"10\",\"origin\":\"autocrm-migrate.toml:2\"}"));
}

namespace {

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

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
      conn = {"--database-url", "postgresql://" + s.user + ":" + percent_encode(s.password) + "@127.0.0.1:" +
                                    server.port() + "/" + s.db};
      wrong_conn = {"--database-url", "postgresql://" + s.user + ":Wrong-" + percent_encode(s.password) +
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
    for (const std::string& secret : {s.password, percent_encode(s.password)}) {
      CAPTURE(secret);
      for (const auto& o : outputs) CHECK_FALSE(contains(o, secret));
      CHECK_FALSE(contains(server.log(), secret));
      CHECK(server.scalar(s.db, "select count(*) from autocrm_migrate.schema_migrations m where m::text like '%" +
                                    secret + "%'") == "0");
    }
  }
  CHECK(outputs.size() == 30);
}

TEST_CASE("the AutoCRM schema applied while another database creates the API roles does not fail") {
  // Regression: anon, authenticated and service_role are cluster-wide. When another database of
  // the cluster is creating them at the same moment, the migration saw them missing, waited on
  // pg_authid's unique index and failed with 23505 once the other transaction committed. A fresh
  // cluster of this test's own has no such roles; a transaction holding an uncommitted
  // `create role anon` stands for the other database deterministically.
  it::OwnServer server;
  server.exec("postgres", "create database app");
  pqxx::connection other(server.conninfo("postgres"));
  pqxx::work creating(other);
  creating.exec("create role anon nologin noinherit");
  auto run = it::spawn_tool({"--database-url", server.url("app"), "up"}, it::source_dir());
  // Let the migration reach the role and wait for our transaction, then commit it.
  for (int i = 0; i < 100; ++i) {
    if (server.scalar("postgres", "select count(*) from pg_stat_activity where wait_event_type = 'Lock' or "
                                  "wait_event = 'transactionid'") != "0")
      break;
    usleep(50'000);
  }
  creating.commit();
  CHECK_EXIT(it::wait_tool(run), 0);
  CHECK(server.scalar("postgres", "select count(*) from pg_roles where rolname in ('anon', 'authenticated', "
                                  "'service_role')") == "3");
}
