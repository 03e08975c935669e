// libFuzzer target: migration files (core::parse_migration, core::section_statements, file names).
#include <cstddef>
#include <cstdint>

#include "fuzz_one.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::migration_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
