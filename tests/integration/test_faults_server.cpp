// Faults survived: the server stopped under a running migration (a throwaway server of the test's
// own), and cluster-wide roles created by another database at the same moment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "faults_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using it::contains;
using it::eventually;
using it::Gate;
using it::k_gate_outside;
using it::k_gate_tx;
using it::k_long_tx;
using it::k_outside;
using it::run_tool;
using it::wait_bounded;
using it::waiting_at_gate_sql;
using it::with_url;

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

namespace {

// A network of the test's own: a namespace whose only way out is a veth pair, so that the link
// can be cut (packets dropped, no FIN, no reset) under a running migration. Needs root.
class CutNetwork {
public:
  CutNetwork() {
    std::string id = std::to_string(getpid() % 100000);
    m_ns = "acm" + id;
    m_host_if = "acmh" + id;
    std::string net = "10.231." + std::to_string(getpid() % 250) + ".";
    m_host_ip = net + "1";
    for (const std::string& cmd : {"ip netns add " + m_ns, "ip link add " + m_host_if + " type veth peer name acmn" + id,
                                   "ip link set acmn" + id + " netns " + m_ns,
                                   "ip addr add " + m_host_ip + "/30 dev " + m_host_if, "ip link set " + m_host_if + " up",
                                   "ip netns exec " + m_ns + " ip addr add " + net + "2/30 dev acmn" + id,
                                   "ip netns exec " + m_ns + " ip link set acmn" + id + " up",
                                   "ip netns exec " + m_ns + " ip link set lo up"})
      REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    m_client_ip = net + "2";
  }
  ~CutNetwork() {
    std::system(("ip netns del " + m_ns + " 2>/dev/null; ip link del " + m_host_if + " 2>/dev/null").c_str());
  }
  CutNetwork(const CutNetwork&) = delete;
  CutNetwork& operator=(const CutNetwork&) = delete;
  const std::string& host_ip() const { return m_host_ip; }
  const std::string& client_ip() const { return m_client_ip; }
  // The command line that runs argv inside the namespace.
  std::vector<std::string> inside(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"ip", "netns", "exec", m_ns});
    return argv;
  }
  void cut() const { REQUIRE(std::system(("ip link set " + m_host_if + " down").c_str()) == 0); }
  void mend() const { REQUIRE(std::system(("ip link set " + m_host_if + " up").c_str()) == 0); }

private:
  std::string m_ns, m_host_if, m_host_ip, m_client_ip;
};

it::Running spawn_inside(const CutNetwork& net, const std::vector<std::string>& args, const it::Workspace& ws) {
  static int n = 0;
  fs::path out = fs::temp_directory_path() / ("autocrm-cut-" + std::to_string(getpid()) + "-" + std::to_string(++n));
  std::vector<std::string> argv{AUTOCRM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  it::Running r{0, out.string() + ".out", out.string() + ".err"};
  std::vector<std::string> env;
  for (const auto& kv : it::current_environment())
    if (!kv.starts_with("DATABASE_URL=") && !kv.starts_with("PG") && !kv.starts_with("AUTOCRM_MIGRATE_")) env.push_back(kv);
  r.pid = it::spawn_process({net.inside(argv), ws.path(), env, r.out, r.err});
  return r;
}

}  // namespace

TEST_CASE("a network cut (no FIN, no reset) during a transactional migration - found by keepalives, said, and the "
          "next up resumes") {
  if (geteuid() != 0) {
    MESSAGE("not root: a network namespace cannot be made, so the cut is not tried");
    return;
  }
  CutNetwork net;
  it::OwnServer server("trust", "127.0.0.1," + net.host_ip());
  server.allow("host all all " + net.client_ip() + "/32 trust");
  server.stop("fast");
  server.start();
  server.exec("postgres", "create database app");
  it::Workspace ws;
  ws.add_fixture("basic");
  ws.write_migration("20260101000300_long.sql", k_long_tx);
  // Short client keepalives so that the test does not wait the defaults' 25 s.
  std::string url = "postgresql://postgres@" + net.host_ip() + ":" + server.port() +
                    "/app?keepalives_idle=1&keepalives_interval=1&keepalives_count=2";
  Gate gate(server.conninfo("app"), k_gate_tx);
  auto run = spawn_inside(net, {"--database-url", url, "--lock-timeout", "0", "up"}, ws);
  REQUIRE(eventually([&] { return server.scalar("app", waiting_at_gate_sql(k_gate_tx)) == "1"; }, 60s));
  net.cut();
  auto r = wait_bounded(run, 60s);
  CHECK_EXIT(r, 1);
  CHECK(contains(r.err, "lost the connection to the server: "));
  CHECK(contains(r.err, "while applying 20260101000300_long (up)"));
  CHECK(contains(r.err, "the next `autocrm-migrate up` applies it again"));
  net.mend();  // the server's own probes now meet a closed socket: it rolls back and lets go
  gate.open();
  CHECK(eventually([&] { return server.scalar("app", "select count(*) from pg_stat_activity where application_name "
                                                     "like 'autocrm-migrate up%'") == "0"; },
                   60s));
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations") == "3");
  CHECK(server.scalar("app", "select to_regclass('public.big') is null") == "t");
  auto again = spawn_inside(net, {"--database-url", url, "up"}, ws);
  CHECK_EXIT(wait_bounded(again, 60s), 0);
  CHECK(server.scalar("app", "select count(*) from autocrm_migrate.schema_migrations") == "4");
}
