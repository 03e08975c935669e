// Replays the fuzz targets' seed corpus and every input kept under tests/fuzz/regressions/ through
// the same code as the libFuzzer targets (tests/fuzz/fuzz_one.hpp): no crash, no exception other
// than a rejection, no broken invariant. Runs in every unit test run, with or without clang.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "../fuzz/fuzz_one.hpp"
#include "../support/text_file.hpp"

namespace fs = std::filesystem;

namespace {

fs::path fuzz_dir() {
  if (const char* src = std::getenv("AUTOCRM_SOURCE_DIR"); src && *src) return fs::path(src) / "tests" / "fuzz";
  return fs::path(__FILE__).parent_path().parent_path() / "fuzz";
}

int replay(const std::string& target, void (*one)(std::string_view), std::vector<fs::path> extra_dirs = {}) {
  int count = 0;
  std::vector<fs::path> dirs{fuzz_dir() / "corpus" / target, fuzz_dir() / "regressions" / target};
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      CAPTURE(entry.path().string());
      CHECK_NOTHROW(one(test_support::read_text_file(entry.path())));
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("fuzz seeds and regressions of the migration parser replay without a crash") {
  REQUIRE(fs::is_directory(fuzz_dir() / "regressions" / "migration"));
  // The project's own migrations are seeds too, read where they are rather than copied.
  CHECK(replay("migration", fuzz::migration_one, {fuzz_dir().parent_path().parent_path() / "migrations"}) >= 25);
}

TEST_CASE("fuzz seeds and regressions of the configuration loader replay without a crash") {
  REQUIRE(fs::is_directory(fuzz_dir() / "regressions" / "config"));
  CHECK(replay("config", fuzz::config_one) >= 10);
}

TEST_CASE("fuzz seeds and regressions of the check declaration parser replay without a crash") {
  CHECK(replay("check_declaration", fuzz::check_declaration_one) >= 2);
}
