// How serious a finding is (check, and later lint); --fail-on picks the level that fails a run.
#pragma once

#include <string>
#include <vector>

namespace core {

// The levels, ordered: a run fails on findings at its fail level or above.
enum class Level { info = 0, warning = 1, error = 2 };

// "error", "warning" or "info".
const char* level_name(Level level);
// Parses "error", "warning" or "info"; throws UsageError otherwise.
Level parse_level(const std::string& text);

// How many findings there are at each level, suppressed ones counted apart.
struct LevelCounts {
  int error = 0, warning = 0, info = 0, suppressed = 0;
};
// Counts findings: anything with .level (Level) and .suppressed (bool), as check and lint have.
template <class Finding>
LevelCounts count_levels(const std::vector<Finding>& findings) {
  LevelCounts c;
  for (const auto& f : findings) {
    if (f.suppressed) ++c.suppressed;
    else if (f.level == Level::error) ++c.error;
    else if (f.level == Level::warning) ++c.warning;
    else ++c.info;
  }
  return c;
}

}  // namespace core
