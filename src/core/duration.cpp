#include "core/duration.hpp"

#include <charconv>

#include "core/text.hpp"

namespace core {

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  text = trim(text);
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0 || end == text.data()) return std::nullopt;
  std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
  std::int64_t factor = 0;
  if (unit.empty() || unit == "ms") factor = 1;
  else if (unit == "s") factor = 1000;
  else if (unit == "min") factor = 60'000;
  else if (unit == "h") factor = 3'600'000;
  else if (unit == "d") factor = 86'400'000;
  else return std::nullopt;
  if (number > INT64_MAX / factor) return std::nullopt;
  return number * factor;
}

}  // namespace core
