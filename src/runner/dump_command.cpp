#include "runner/dump_command.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "catalog/managed_schemas.hpp"
#include "core/discovery.hpp"
#include "core/text_diff.hpp"
#include "db/conninfo.hpp"
#include "local/cluster.hpp"
#include "local/process.hpp"
#include "runner/session.hpp"

namespace fs = std::filesystem;

namespace runner {

namespace {

// The psql \restrict key pg_dump 15.14+ writes: fixed, so the file does not change at every dump.
constexpr const char* k_restrict_key = "autocrmmigrate";

// Sets PGPASSWORD for the programs started meanwhile, and puts the old value back after.
class PasswordEnvironment {
public:
  explicit PasswordEnvironment(const std::string& password) {
    if (password.empty()) return;
    if (const char* old = std::getenv("PGPASSWORD")) m_old = old;
    setenv("PGPASSWORD", password.c_str(), 1);
    m_set = true;
  }
  ~PasswordEnvironment() {
    if (!m_set) return;
    if (m_old) setenv("PGPASSWORD", m_old->c_str(), 1);
    else unsetenv("PGPASSWORD");
  }
  PasswordEnvironment(const PasswordEnvironment&) = delete;
  PasswordEnvironment& operator=(const PasswordEnvironment&) = delete;

private:
  std::optional<std::string> m_old;
  bool m_set = false;
};

// pg_dump's output without the lines that change between versions of pg_dump and the server.
std::string without_noise(const std::string& dump) {
  std::string out;
  out.reserve(dump.size());
  std::size_t start = 0;
  while (start < dump.size()) {
    std::size_t end = dump.find('\n', start);
    if (end == std::string::npos) end = dump.size();
    std::string_view line(dump.data() + start, end - start);
    if (!line.starts_with("-- Dumped from database version") && !line.starts_with("-- Dumped by pg_dump version")) {
      out.append(line);
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

void write_atomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush())
      throw core::Failure("cannot write " + tmp.generic_string(), "check that the folder exists and is writable");
  }
  fs::rename(tmp, path, ec);
  if (ec) throw core::Failure("cannot replace " + path.generic_string() + ": " + ec.message());
}

std::string display(const core::Config& config, const fs::path& path) {
  std::error_code ec;
  auto rel = fs::relative(path, config.project_dir(), ec);
  return (ec || rel.empty() || rel.native().starts_with("..")) ? path.generic_string() : rel.generic_string();
}

}  // namespace

std::string schema_dump(const core::Config& config, const std::string& conninfo, db::Ledger& ledger) {
  auto connection = db::for_program(conninfo);
  fs::path pg_dump = local::find_server_bindir() / "pg_dump";
  std::vector<std::string> argv{pg_dump.string(), "--schema-only", "--no-owner", "--no-tablespaces",
                                "--encoding=UTF8"};
  for (const auto& schema : catalog::managed_schemas()) argv.push_back("--exclude-schema=" + schema);
  argv.push_back("--exclude-schema=" + config.ledger_schema());
  for (const auto& pattern : config.ignore_tables()) argv.push_back("--exclude-table=" + pattern);
  auto help = local::run_process({pg_dump.string(), "--help"});
  if (help.output.find("--restrict-key") != std::string::npos) argv.push_back(std::string("--restrict-key=") + k_restrict_key);
  argv.push_back("--dbname=" + connection.conninfo);
  // The dump goes to a file of its own: pg_dump's warnings on stderr never mix into it.
  char name[] = "/tmp/autocrm-migrate-dump.XXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) throw core::Failure("cannot create a temporary file for pg_dump in /tmp");
  close(fd);
  argv.push_back(std::string("--file=") + name);
  local::ProcessResult result;
  {
    PasswordEnvironment password(connection.password);
    result = local::run_process(argv);
  }
  std::string dumped = result.exit_code == 0 ? core::read_file(name) : std::string();
  std::error_code ec;
  fs::remove(name, ec);
  if (result.exit_code != 0)
    throw core::Failure(fmt::format("pg_dump failed (exit {}): {}", result.exit_code, result.output),
                        "pg_dump must be as new as the server (install postgresql-client-NN for a newer server)");
  std::string out = without_noise(dumped);
  out += fmt::format("\n--\n-- autocrm-migrate: migrations applied (ledger {}.{})\n--\n\n", config.ledger_schema(),
                     config.ledger_table());
  for (const auto& row : ledger.recorded_ups())
    if (row.state == "applied") out += fmt::format("-- {} {}\n", row.version, row.name);
  return out;
}

Outcome cmd_dump(const core::Config& config, Reporter& reporter, bool check, const std::string& path_option) {
  fs::path path = path_option.empty() ? config.schema_file() : fs::path(path_option);
  if (path.empty())
    throw core::UsageError("schema_file is empty: there is no file to write", "set schema_file, or pass --file PATH");
  ReadSession s(config, reporter, "dump");
  std::string dump = schema_dump(config, s.target().conninfo, s.ledger());
  Outcome out;
  out.report.set("command", "dump").set("target", s.target().display).set("file", display(config, path));
  if (!check) {
    write_atomically(path, dump);
    reporter.progress(fmt::format("wrote {} ({} bytes)", display(config, path), dump.size()));
    out.report.set("written", true).set("bytes", dump.size());
    return out;
  }
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  std::string committed = exists ? core::read_file(path) : std::string();
  bool current = exists && committed == dump;
  out.report.set("check", true).set("current", current);
  if (current) {
    reporter.progress(fmt::format("{} is current", display(config, path)));
    return out;
  }
  std::string diff = exists ? core::unified_diff(committed, dump, display(config, path), "the database") : "";
  out.report.set("diff", diff);
  reporter.progress(exists ? fmt::format("{} differs from the database:\n{}", display(config, path), diff)
                           : fmt::format("{} does not exist", display(config, path)));
  reporter.progress("run `autocrm-migrate dump` and commit the file");
  out.code = core::ExitCode::problems;
  return out;
}

void refresh_schema_file(const core::Config& config, Reporter& reporter, const std::string& conninfo,
                         db::Ledger& ledger) {
  if (!config.schema_file_on_write()) return;
  try {
    write_atomically(config.schema_file(), schema_dump(config, conninfo, ledger));
    reporter.progress("wrote " + display(config, config.schema_file()));
  } catch (const std::exception& e) {
    reporter.notice(fmt::format("warning: the migrations ran, but {} was not rewritten: {}",
                                display(config, config.schema_file()), e.what()));
  }
}

}  // namespace runner
