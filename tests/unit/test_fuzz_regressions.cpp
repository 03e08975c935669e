// Replays the fuzz targets' seed corpus and every input kept under tests/fuzz/regressions/ through
// the same code as the libFuzzer targets (tests/fuzz/fuzz_one.hpp): no crash, no exception other
// than a rejection, no broken invariant. Runs in every unit test run, with or without clang.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../fuzz/fuzz_one.hpp"

namespace fs = std::filesystem;

namespace {

fs::path fuzz_dir() {
  if (const char* src = std::getenv("AUTOCRM_SOURCE_DIR"); src && *src) return fs::path(src) / "tests" / "fuzz";
  return fs::path(__FILE__).parent_path().parent_path() / "fuzz";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int replay(const std::string& target, void (*one)(std::string_view)) {
  int count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    fs::path dir = fuzz_dir() / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      CAPTURE(entry.path().string());
      CHECK_NOTHROW(one(slurp(entry.path())));
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("fuzz seeds and regressions of the migration parser replay without a crash") {
  REQUIRE(fs::is_directory(fuzz_dir() / "regressions" / "migration"));
  CHECK(replay("migration", fuzz::migration_one) >= 25);
}

TEST_CASE("fuzz seeds and regressions of the configuration loader replay without a crash") {
  REQUIRE(fs::is_directory(fuzz_dir() / "regressions" / "config"));
  CHECK(replay("config", fuzz::config_one) >= 10);
}

TEST_CASE("fuzz seeds and regressions of the check declaration parser replay without a crash") {
  CHECK(replay("check_declaration", fuzz::check_declaration_one) >= 2);
}
