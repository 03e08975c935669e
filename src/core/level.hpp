// How serious a finding is (check, and later lint); --fail-on picks the level that fails a run.
#pragma once

#include <string>

namespace core {

// The levels, ordered: a run fails on findings at its fail level or above.
enum class Level { info = 0, warning = 1, error = 2 };

// "error", "warning" or "info".
const char* level_name(Level level);
// Parses "error", "warning" or "info"; throws UsageError otherwise.
Level parse_level(const std::string& text);

}  // namespace core
