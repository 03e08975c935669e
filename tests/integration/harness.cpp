#include "harness.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <fstream>
#include <random>
#include <sstream>

#include <doctest/doctest.h>

#include "../support/text_file.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace it {

namespace {

std::string require_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v)
    throw std::runtime_error(std::string(name) + " is not set: run the integration tests through scripts/test, which "
                                                 "starts the test PostgreSQL");
  return v;
}

std::string random_suffix() {
  static std::mt19937_64 rng(std::random_device{}() ^ static_cast<std::uint64_t>(getpid()));
  static const char* chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s += chars[rng() % 36];
  return s;
}

fs::path make_temp_dir(const char* prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + ".XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// The template database with every AutoCRM migration applied, made once per test run: the first
// test that needs it applies the chain (with the real binary) while holding an advisory lock, the
// others wait for it and copy it. Its name carries a hash of the migration files.
std::string autocrm_template() {
  std::string files;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(source_dir() / "migrations")) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) files += p.filename().string() + "\n" + slurp(p);
  std::string name = "tpl_autocrm_" + std::to_string(std::hash<std::string>{}(files) % 1000000007ULL);
  pqxx::connection admin(server_conninfo("postgres"));
  pqxx::nontransaction tx(admin);
  tx.exec("select pg_advisory_lock(7349001)");
  bool ready = !tx.exec_params("select 1 from pg_database where datname = $1 and datistemplate", name).empty();
  if (!ready) {
    tx.exec("drop database if exists " + tx.quote_name(name));
    tx.exec("create database " + tx.quote_name(name));
    auto up = run_tool({"--database-url", "postgresql://postgres@127.0.0.1:" + server_port() + "/" + name, "up"},
                       source_dir());
    if (up.code != 0) {
      tx.exec("select pg_advisory_unlock(7349001)");
      throw std::runtime_error("applying the AutoCRM chain to the template failed:\n" + up.out + up.err);
    }
    tx.exec("alter database " + tx.quote_name(name) + " is_template true");
  }
  tx.exec("select pg_advisory_unlock(7349001)");
  return name;
}

}  // namespace

fs::path source_dir() {
  const char* v = std::getenv("AUTOCRM_SOURCE_DIR");
  return v ? fs::path(v) : fs::path(AUTOCRM_SOURCE_DIR);
}

std::string server_conninfo(const std::string& dbname) {
  return "host=" + require_env("AUTOCRM_TEST_PGHOST") + " port=" + require_env("AUTOCRM_TEST_PGPORT") +
         " user=postgres dbname=" + dbname;
}

std::string server_port() { return require_env("AUTOCRM_TEST_PGPORT"); }

Workspace::Workspace() : m_path(make_temp_dir("autocrm-it")) {
  fs::create_directories(migrations());
  write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nlock_wait = \"30s\"\n");
}

Workspace::~Workspace() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

void Workspace::add_fixture(const std::string& name) const {
  for (const auto& entry : fs::directory_iterator(source_dir() / "tests" / "fixtures" / name))
    fs::copy_file(entry.path(), migrations() / entry.path().filename(), fs::copy_options::overwrite_existing);
}

void Workspace::write_migration(const std::string& file, const std::string& text) const {
  std::ofstream(migrations() / file, std::ios::binary) << text;
}

void Workspace::write(const std::string& relative, const std::string& text) const {
  fs::create_directories((m_path / relative).parent_path());
  std::ofstream(m_path / relative, std::ios::binary) << text;
}

TestDatabase::TestDatabase(Schema schema) : m_name("it_" + random_suffix()) {
  std::string from = schema == Schema::autocrm ? " template " + autocrm_template() : "";
  pqxx::connection admin(server_conninfo("postgres"));
  pqxx::nontransaction tx(admin);
  tx.exec("create database " + tx.quote_name(m_name) + from);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(server_conninfo("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("drop database if exists " + tx.quote_name(m_name) + " with (force)");
  } catch (...) {
  }
}

std::string TestDatabase::url() const { return "postgresql://postgres@127.0.0.1:" + server_port() + "/" + m_name; }

std::unique_ptr<pqxx::connection> TestDatabase::connect() const {
  return std::make_unique<pqxx::connection>(server_conninfo(m_name));
}

std::string TestDatabase::scalar(const std::string& sql) const {
  auto c = connect();
  pqxx::nontransaction tx(*c);
  auto r = tx.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

bool TestDatabase::has_table(const std::string& relation) const {
  return scalar("select to_regclass('" + relation + "') is not null") == "t";
}

int TestDatabase::ledger_rows() const {
  if (!has_table("autocrm_migrate.schema_migrations")) return 0;
  return std::stoi(scalar("select count(*) from autocrm_migrate.schema_migrations"));
}

std::string slurp(const fs::path& p) { return test_support::read_text_file(p); }

std::vector<std::string> current_environment() {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) out.emplace_back(*e);
  return out;
}

pid_t spawn_process(const ProcessSpec& spec) {
  std::vector<std::string> argv = spec.argv, env = spec.env;
  pid_t pid = fork();
  if (pid == 0) {
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) _exit(126);
    int mode = O_WRONLY | O_CREAT | (spec.append ? O_APPEND : O_TRUNC);
    int out = open(spec.out.c_str(), mode, 0644);
    int err = spec.err == spec.out ? out : open(spec.err.c_str(), mode, 0644);
    int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    for (auto& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    execvpe(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Running spawn_tool(const std::vector<std::string>& args, const fs::path& cwd,
                   const std::map<std::string, std::string>& env) {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path();
  std::string tag = std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" + random_suffix();
  Running r{0, dir / ("autocrm-it-" + tag + ".out"), dir / ("autocrm-it-" + tag + ".err")};
  ProcessSpec spec{{AUTOCRM_BINARY}, cwd, {}, r.out, r.err};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (const auto& kv : current_environment()) {
    if (kv.starts_with("DATABASE_URL=") || kv.starts_with("PG") || kv.starts_with("AUTOCRM_MIGRATE_")) continue;
    spec.env.push_back(kv);
  }
  for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);
  r.pid = spawn_process(spec);
  return r;
}

RunResult wait_tool(const Running& r) {
  RunResult result;
  result.code = wait_exit(r.pid);
  result.out = slurp(r.out);
  result.err = slurp(r.err);
  fs::remove(r.out);
  fs::remove(r.err);
  return result;
}

RunResult run_tool(const std::vector<std::string>& args, const fs::path& cwd,
                   const std::map<std::string, std::string>& env) {
  return wait_tool(spawn_tool(args, cwd, env));
}

}  // namespace it
