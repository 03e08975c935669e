// libFuzzer target: configuration text (core::Config::load with LoadOptions.config_text).
#include <cstddef>
#include <cstdint>

#include "fuzz_one.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::config_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
