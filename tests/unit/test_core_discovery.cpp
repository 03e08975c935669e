// Discovery of a migrations folder: sorting, ignored files, duplicates, unreadable entries.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/discovery.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;

namespace {

// A temporary folder removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "autocrm-unit.XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

const char* k_body = "-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n";

std::string error_of(const fs::path& dir) {
  try {
    core::discover_migrations(dir);
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("files are sorted by version - other files and hidden files are ignored") {
  TempDir d;
  d.write("20260101000002_second.sql", k_body);
  d.write("20260101000001_first.sql", k_body);
  d.write("README.md", "not a migration");
  d.write(".20260101000003_hidden.sql", "garbage");
  auto files = core::discover_migrations(d.path);
  REQUIRE(files.size() == 2);
  CHECK(files[0].name == "first");
  CHECK(files[1].name == "second");
}

TEST_CASE("duplicate versions and several bad files are all reported") {
  TempDir d;
  d.write("20260101000001_first.sql", k_body);
  d.write("20260101000001_again.sql", k_body);
  d.write("20260101000002_bad.sql", "-- migrate:up\nselect 1;\n-- migrate:up\nselect 2;\n");
  std::string error = error_of(d.path);
  CHECK(error.starts_with("2 migration files are invalid:"));
  CHECK(error.find("20260101000001_first.sql: duplicate version 20260101000001 (also ") != std::string::npos);
  CHECK(error.find("20260101000002_bad.sql:3: repeated '-- migrate:up' (first at line 1)") != std::string::npos);
}

TEST_CASE("a symlink loop and a missing folder are clear errors") {
  TempDir d;
  fs::create_symlink(d.path / "20260101000001_loop.sql", d.path / "20260101000001_loop.sql");
  CHECK(error_of(d.path).find("20260101000001_loop.sql: cannot read: Too many levels of symbolic links") !=
        std::string::npos);
  CHECK(error_of(d.path / "nope").ends_with("nope: migrations folder not found"));
}
