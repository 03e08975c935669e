#include "local/cluster.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "db/client.hpp"
#include "local/process.hpp"

namespace fs = std::filesystem;

namespace local {

namespace {

bool is_root() { return geteuid() == 0; }

// True when a user other than the owner can reach p (every ancestor has o+x).
bool reachable_by_others(const fs::path& p) {
  for (fs::path dir = p; !dir.empty(); dir = dir.parent_path()) {
    struct stat st{};
    if (stat(dir.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH)) return false;
    if (dir == dir.root_path()) break;
  }
  return true;
}

std::string short_hash(const std::string& s) { return core::sha256_hex(s).substr(0, 12); }

// An exclusive file lock for the duration of a scope: one process at a time sets the cluster up.
class FileLock {
public:
  explicit FileLock(const fs::path& p) : m_fd(open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (m_fd >= 0) flock(m_fd, LOCK_EX);
  }
  ~FileLock() {
    if (m_fd >= 0) close(m_fd);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int m_fd;
};

void check(const ProcessResult& r, const std::string& what, const fs::path& log) {
  if (r.exit_code == 0) return;
  std::string tail;
  if (!log.empty()) {
    std::ifstream in(log);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    for (std::size_t i = lines.size() > 10 ? lines.size() - 10 : 0; i < lines.size(); ++i) tail += "\n  " + lines[i];
  }
  throw core::Failure(fmt::format("{} failed (exit {}): {}{}", what, r.exit_code, core::trim(r.output),
                                  tail.empty() ? "" : "\nlast lines of " + log.string() + ":" + tail));
}

}  // namespace

fs::path find_server_bindir() {
  auto has_server = [](const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "initdb", ec) && fs::exists(dir / "pg_ctl", ec) && fs::exists(dir / "postgres", ec);
  };
  auto r = run_process({"pg_config", "--bindir"});
  if (r.exit_code == 0) {
    fs::path dir(std::string(core::trim(r.output)));
    if (has_server(dir)) return dir;
  }
  fs::path best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && has_server(entry.path() / "bin")) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  if (best.empty())
    throw core::Failure("no PostgreSQL server programs found (pg_config --bindir, /usr/lib/postgresql/*/bin)",
                        "install them: apt-get install -y postgresql-15, or set database_url to an existing server");
  return best;
}

LocalCluster::LocalCluster(fs::path local_dir, std::string database)
    : m_local_dir(std::move(local_dir)), m_database(std::move(database)) {
  m_root = m_local_dir / "pg";
  if (is_root() && !reachable_by_others(m_local_dir.parent_path()))
    m_root = fs::path("/var/tmp") / ("autocrm-migrate-" + short_hash(fs::absolute(m_local_dir).string()));
  m_data = m_root / "data";
  m_log = m_root / "server.log";
  m_socket_dir = m_root / "run";
  if ((m_socket_dir / ".s.PGSQL.5432").string().size() > 100)
    m_socket_dir = fs::path("/tmp") / ("autocrm-migrate-" + short_hash(fs::absolute(m_local_dir).string()));
}

std::string LocalCluster::url() const {
  return fmt::format("postgresql://postgres@/{}?host={}&port={}", m_database, core::percent_encode(m_socket_dir.string(), "/-_."),
                     m_port);
}

bool LocalCluster::initialized() const {
  std::error_code ec;
  return fs::exists(m_data / "PG_VERSION", ec);
}

bool LocalCluster::running() const {
  if (!initialized()) return false;
  fs::path bindir = m_bindir.empty() ? find_server_bindir() : m_bindir;
  std::optional<RunAs> as = is_root() ? postgres_user() : std::nullopt;
  return run_process({(bindir / "pg_ctl").string(), "status", "-D", m_data.string()}, as).exit_code == 0;
}

void LocalCluster::prepare_owned(const fs::path& p, bool directory) const {
  std::error_code ec;
  if (directory) {
    fs::create_directories(p, ec);
    if (ec) throw core::Failure(fmt::format("cannot create {}: {}", p.string(), ec.message()));
  } else {
    std::ofstream touch(p, std::ios::app);
  }
  if (is_root()) {
    auto pg = postgres_user();
    if (chown(p.c_str(), pg->uid, pg->gid) != 0)
      throw core::Failure(fmt::format("cannot hand {} to the postgres user", p.string()));
  }
  chmod(p.c_str(), directory ? (p == m_data ? 0700 : 0755) : 0644);
}

void LocalCluster::initialize(const std::function<void(const std::string&)>& progress) {
  if (is_root() && !postgres_user())
    throw core::Failure("running as root, the embedded database runs as the 'postgres' system user, which is missing",
                        "apt-get install -y postgresql-15 creates it (or: useradd --system postgres)");
  progress(fmt::format("initializing the embedded PostgreSQL in {}", m_root.string()));
  std::error_code ec;
  fs::create_directories(m_root, ec);
  chmod(m_root.c_str(), 0755);
  prepare_owned(m_data, true);
  std::optional<RunAs> as = is_root() ? postgres_user() : std::nullopt;
  check(run_process({(m_bindir / "initdb").string(), "-D", m_data.string(), "-U", "postgres", "--auth=trust", "-E",
                     "UTF8", "--locale=C.UTF-8", "--no-sync"},
                    as),
        "initdb", {});
  std::ofstream conf(m_data / "postgresql.auto.conf", std::ios::app);
  conf << "# written by autocrm-migrate: a private, socket-only development server\n"
       << "listen_addresses = ''\n"
       << "port = " << m_port << "\n"
       << "unix_socket_directories = '" << m_socket_dir.string() << "'\n"
       << "synchronous_commit = off\n"
       << "max_connections = 50\n";
}

void LocalCluster::start(const std::function<void(const std::string&)>& progress) {
  progress(fmt::format("starting the embedded PostgreSQL (log: {})", m_log.string()));
  prepare_owned(m_socket_dir, true);
  prepare_owned(m_log, false);
  std::optional<RunAs> as = is_root() ? postgres_user() : std::nullopt;
  check(run_process({(m_bindir / "pg_ctl").string(), "start", "-D", m_data.string(), "-l", m_log.string(), "-w", "-t",
                     "60"},
                    as),
        "pg_ctl start", m_log);
}

void LocalCluster::create_database_if_missing(bool recreate) {
  db::Client admin(fmt::format("host={} port={} user=postgres dbname=postgres",
                               core::quote_conninfo_value(m_socket_dir.string()), m_port),
                   "autocrm-migrate dev", {});
  std::string name = core::quote_identifier(m_database);
  if (recreate) admin.query("drop database if exists " + name + " with (force)");
  if (admin.query("select 1 from pg_database where datname = $1", {m_database}).empty())
    admin.query("create database " + name);
}

void LocalCluster::ensure_running(const std::function<void(const std::string&)>& progress) {
  std::error_code ec;
  fs::create_directories(m_local_dir, ec);
  if (ec) throw core::Failure(fmt::format("cannot create {}: {}", m_local_dir.string(), ec.message()));
  FileLock lock(m_local_dir / "setup.lock");
  if (m_bindir.empty()) m_bindir = find_server_bindir();
  if (!initialized()) initialize(progress);
  if (!running()) start(progress);
  create_database_if_missing(false);
}

void LocalCluster::stop() {
  if (!initialized()) return;
  if (m_bindir.empty()) m_bindir = find_server_bindir();
  if (!running()) return;
  std::optional<RunAs> as = is_root() ? postgres_user() : std::nullopt;
  check(run_process({(m_bindir / "pg_ctl").string(), "stop", "-D", m_data.string(), "-m", "fast", "-w"}, as),
        "pg_ctl stop", m_log);
}

void LocalCluster::reset(const std::function<void(const std::string&)>& progress) {
  ensure_running(progress);
  progress(fmt::format("dropping and recreating database {}", m_database));
  create_database_if_missing(true);
}

core::Json LocalCluster::status_json() const {
  core::Json j = core::Json::object();
  bool up = running();
  j.set("initialized", initialized()).set("running", up).set("root", m_root.string());
  j.set("data", m_data.string()).set("socket_dir", m_socket_dir.string()).set("log", m_log.string());
  j.set("database", m_database).set("url", url());
  return j;
}

}  // namespace local
