#include "core/level.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace core {

const char* level_name(Level level) {
  switch (level) {
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "?";
}

Level parse_level(const std::string& text) {
  if (text == "error") return Level::error;
  if (text == "warning") return Level::warning;
  if (text == "info") return Level::info;
  throw UsageError(fmt::format("unknown level '{}': use error, warning or info", text));
}

}  // namespace core
