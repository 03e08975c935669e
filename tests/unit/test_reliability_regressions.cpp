// Regression tests for what the fault and bad-input tests found in the core (docs/reliability.md).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/config.hpp"
#include "core/discovery.hpp"
#include "core/error.hpp"
#include "core/migration.hpp"
#include "core/plan.hpp"
#include "core/sql_error.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "autocrm-unit.XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

template <class F>
std::string usage_error_of(F f) {
  try {
    f();
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

core::Config load(const std::string& text, std::map<core::Key, std::string> flags = {}) {
  core::LoadOptions o;
  o.config_text = text;
  o.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  o.cwd = "/project";
  o.flags = std::move(flags);
  return core::Config::load(o);
}

}  // namespace

TEST_CASE("a NUL byte in a migration file is rejected with its line and column - not cut off silently") {
  std::string text("-- migrate:up\ncreate table a (id int);\0\ncreate table b (id int);\n-- migrate:down\nselect 1;\n",
                   87);
  REQUIRE(text.find('\0') == 38);
  CHECK(usage_error_of([&] { core::parse_migration(text, "20260101000000_x.sql", "migrations/20260101000000_x.sql"); }) ==
        "migrations/20260101000000_x.sql:2: NUL byte (0x00) at column 25: a migration file is text");
}

TEST_CASE("a migration file with a capitalised .SQL extension is reported - not ignored") {
  TempDir dir;
  dir.write("20260101000000_init.SQL", "-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n");
  dir.write("notes.txt", "not a migration");
  auto error = usage_error_of([&] { core::discover_migrations(dir.path); });
  CHECK(error.find("20260101000000_init.SQL: bad migration file name: the extension must be '.sql' in lowercase") !=
        std::string::npos);
}

TEST_CASE("a migrations folder that is a symlink loop says so - not just not found") {
  TempDir dir;
  fs::create_symlink(dir.path / "loop", dir.path / "loop");
  auto error = usage_error_of([&] { core::discover_migrations(dir.path / "loop"); });
  CHECK(error.find("loop: cannot open the migrations folder: Too many levels of symbolic links") != std::string::npos);
  CHECK(usage_error_of([&] { core::discover_migrations(dir.path / "absent"); }).find("migrations folder not found") !=
        std::string::npos);
}

TEST_CASE("a configuration file that is a folder is a usage error - not an out-of-memory crash") {
  TempDir dir;
  core::LoadOptions o;
  o.config_file = dir.path;
  o.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  CHECK(usage_error_of([&] { core::Config::load(o); }) ==
        dir.path.generic_string() + ": cannot read: it is a folder, not a file");
}

TEST_CASE("lock_retries is a whole number from 0 to 100 - from the file / a flag or the environment") {
  CHECK(load("").lock_retries() == 0);
  CHECK(load("lock_retries = 3\n").lock_retries() == 3);
  CHECK(load("lock_retries = \"4\"\n").lock_retries() == 4);
  CHECK(load("", {{core::Key::lock_retries, "5"}}).lock_retries() == 5);
  CHECK(usage_error_of([] { load("lock_retries = -1\n"); }) ==
        "autocrm-migrate.toml:1: lock_retries must be a whole number from 0 to 100, not '-1'");
  CHECK(usage_error_of([] { load("lock_retries = 101\n"); }).find("not '101'") != std::string::npos);
  CHECK(usage_error_of([] { load("lock_retries = 1.5\n"); }) ==
        "autocrm-migrate.toml:1: lock_retries must be a whole number from 0 to 100");
  CHECK(usage_error_of([] { load("", {{core::Key::lock_retries, "3x"}}); }) ==
        "flag --lock-retries: lock_retries must be a whole number from 0 to 100, not '3x'");
  CHECK(usage_error_of([] { load("lock_timeout = \"9223372036854775807d\"\n"); }).find("must be a duration") !=
        std::string::npos);
}

TEST_CASE("up refusing a failed migration repeats what its ledger row says went wrong") {
  core::LedgerRow row;
  row.version = "20260101000300";
  row.name = "concurrent";
  row.state = "failed";
  row.checksum = "c";
  row.error = "statement 2 of 3 at migrations/20260101000300_concurrent.sql:3 was started outside a transaction and "
              "did not finish (the run was interrupted); statement 1 took effect";
  auto plan = core::build_plan({}, {row});
  try {
    core::select_up(plan, {});
    FAIL("select_up accepted a failed migration");
  } catch (const core::Failure& e) {
    CHECK(std::string(e.what()) ==
          "migration 20260101000300_concurrent failed part-way outside a transaction; nothing was applied\n"
          "  20260101000300_concurrent: " + row.error);
  }
  try {
    core::select_down(plan, {});
    FAIL("select_down accepted a failed migration");
  } catch (const core::Failure& e) {
    CHECK(std::string(e.what()).find("nothing was reverted\n  20260101000300_concurrent: statement 2 of 3") !=
          std::string::npos);
  }
}

TEST_CASE("a SQL failure shows the blocking session and what was left behind - in text and JSON") {
  core::PgDiagnostics d;
  d.severity = "ERROR";
  d.sqlstate = "55P03";
  d.message = "canceling statement due to lock timeout";
  core::StatementOrigin o;
  o.file = "migrations/20260101000100_x.sql";
  o.line = 2;
  o.sql = "alter table widgets add column c int";
  o.what = "applying 20260101000100_x (up)";
  o.blocked_by = "AccessExclusiveLock on relation widgets, held by pid 42 (application psql)";
  o.advice = "invalid index public.i (on public.widgets): drop index concurrently public.i";
  core::SqlFailure f(d, o);
  CHECK(std::string(f.what()) ==
        "migrations/20260101000100_x.sql:2: ERROR 55P03: canceling statement due to lock timeout\n"
        "  while applying 20260101000100_x (up)\n"
        "  blocked by: waiting for AccessExclusiveLock on relation widgets, held by pid 42 (application psql)\n"
        "  left behind: invalid index public.i (on public.widgets): drop index concurrently public.i\n"
        "  2 | alter table widgets add column c int");
  CHECK(f.to_json()["blocked_by"].text() == o.blocked_by);
  CHECK(f.to_json()["left_behind"].text() == o.advice);
}
