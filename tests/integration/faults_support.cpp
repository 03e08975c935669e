#include "faults_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <doctest/doctest.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace it {

std::vector<std::string> with_url(const std::string& url, std::vector<std::string> args) {
  args.insert(args.begin(), {"--database-url", url});
  return args;
}

void exec_sql(const TestDatabase& db, const std::string& sql) {
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  tx.exec(sql);
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
it::RunResult wait_bounded(const it::Running& r, std::chrono::seconds limit) {
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

std::string waiting_at_gate_sql(long long key) {
  return "select count(*) from pg_locks where " + std::string(it::k_own_database) +
         " and locktype = 'advisory' and not granted and classid = 0 and objid = " +
         std::to_string(key);
}


// A long transactional migration: builds a table, then waits at the gate with its transaction open.
extern const char* const k_long_tx;
const char* const k_long_tx = "-- migrate:up\n"
                        "create table big as select g as id, md5(g::text) as payload from generate_series(1, 200000) g;\n"
                        "select pg_advisory_xact_lock(7340001);\n"
                        "alter table big add primary key (id);\n"
                        "-- migrate:down\n"
                        "drop table big;\n";

// A non-transactional migration that stops at its second statement, after the first took effect.
extern const char* const k_outside;
const char* const k_outside = "-- migrate:up transaction:false\n"
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
  // "/": a folder the postgres user can always enter.
  return it::wait_exit(it::spawn_process({argv, "/", it::current_environment(), log, log, true}));
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


}  // namespace it