// Durations as PostgreSQL spells them ("500ms", "5s", "2min", "1h", "0").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace core {

// Milliseconds of a duration like "250ms", "5s", "2min", "1h", "1d" or a bare number of
// milliseconds; nothing when the text is not such a duration.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace core
