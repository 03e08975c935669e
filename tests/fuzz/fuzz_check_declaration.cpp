// libFuzzer target: the documented schema that `check` compares the database with
// (core::parse_declaration, src/core/declaration.hpp). Built only in the fuzz build, so a change of
// that API cannot break the normal build; rejections (core::UsageError) are expected.
// TODO(check declarations): once parse_declaration's signature is settled, move this body into
// fuzz_one.hpp (fuzz::check_declaration_one) and add a replay case for it to
// tests/unit/test_fuzz_regressions.cpp, like migration and config.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/declaration.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto d = core::parse_declaration(std::string(reinterpret_cast<const char*>(data), size), "autocrm.schema.toml");
    for (const auto& t : d.tables) (void)d.find(t.qualified());
  } catch (const core::UsageError&) {
  }
  return 0;
}
