// libFuzzer target: the documented schema that `check` compares the database with
// (core::parse_declaration, src/core/declaration.hpp); rejections (core::UsageError) are expected.
#include <cstddef>
#include <cstdint>

#include "fuzz_one.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::check_declaration_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
