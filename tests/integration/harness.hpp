// Integration test harness: a fresh database per test on the server scripts/test started, a
// temporary project folder, and the real autocrm-migrate binary run as a child process.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace it {

// What a finished run of the binary returned.
struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

// A temporary project folder with autocrm-migrate.toml and a migrations/ folder.
class Workspace {
public:
  Workspace();
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path migrations() const { return m_path / "migrations"; }
  // Copies every file of tests/fixtures/NAME into migrations/.
  void add_fixture(const std::string& name) const;
  // Writes migrations/FILE with text.
  void write_migration(const std::string& file, const std::string& text) const;
  // Writes a file relative to the workspace.
  void write(const std::string& relative, const std::string& text) const;

private:
  std::filesystem::path m_path;
};

// What a test database starts as.
enum class Schema {
  empty,    // a new, empty database
  autocrm,  // every AutoCRM migration applied (copied from a template database made once per run)
};

// A new database on the test server, dropped at the end of the test.
class TestDatabase {
public:
  explicit TestDatabase(Schema schema = Schema::empty);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& name() const { return m_name; }
  // A TCP URL for the binary: postgresql://postgres@127.0.0.1:PORT/NAME.
  std::string url() const;
  // A fresh connection for assertions.
  std::unique_ptr<pqxx::connection> connect() const;
  // Runs one query and returns the first column of the first row as text ("" when NULL or no row).
  std::string scalar(const std::string& sql) const;
  // True when relation (e.g. "public.widgets") exists.
  bool has_table(const std::string& relation) const;
  // Number of ledger rows (0 when there is no ledger).
  int ledger_rows() const;

private:
  std::string m_name;
};

// A pg_locks condition that keeps to the database of the session asking: integration tests run in
// parallel on one server, so counts over pg_locks or pg_stat_activity must never see other tests.
inline constexpr const char* k_own_database = "database = (select oid from pg_database where datname = current_database())";

// Connection string for database dbname on the test server (Unix socket).
std::string server_conninfo(const std::string& dbname);
// The test server's TCP port.
std::string server_port();

// A child process: argv run in cwd with exactly env (all of the caller's environment when empty
// is not wanted: pass it), stdin /dev/null, stdout and stderr to files.
struct ProcessSpec {
  std::vector<std::string> argv;            // argv[0] is looked up in PATH unless it has a '/'
  std::filesystem::path cwd;                // "" for the caller's
  std::vector<std::string> env;             // NAME=value entries
  std::filesystem::path out, err;           // where stdout and stderr go
  bool append = false;                      // append to out/err instead of truncating
};
// Starts spec; returns the child's pid.
pid_t spawn_process(const ProcessSpec& spec);
// Waits for pid; returns its exit code (128 + signal when killed).
int wait_exit(pid_t pid);
// The caller's environment as NAME=value entries.
std::vector<std::string> current_environment();

// The whole content of a file, "" when it cannot be read.
std::string slurp(const std::filesystem::path& p);

// Runs the binary with args in cwd. The child sees none of the caller's DATABASE_URL, PG* or
// AUTOCRM_MIGRATE_* variables, only those in env.
RunResult run_tool(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   const std::map<std::string, std::string>& env = {});

// Starts the binary without waiting; finish with wait_tool.
struct Running {
  pid_t pid;
  std::filesystem::path out, err;
};
Running spawn_tool(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   const std::map<std::string, std::string>& env = {});
RunResult wait_tool(const Running& r);

// The repository's source folder.
std::filesystem::path source_dir();

}  // namespace it

// Checks a run's exit code, printing its output when it differs.
#define CHECK_EXIT(result, expected)                                                                   \
  do {                                                                                                 \
    const auto& r_ = (result);                                                                         \
    INFO("exit " << r_.code << "\n--- stdout ---\n" << r_.out << "\n--- stderr ---\n" << r_.err);     \
    REQUIRE(r_.code == (expected));                                                                    \
  } while (0)
