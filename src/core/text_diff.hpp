// Line-based unified diffs of two texts (for changed function bodies and view definitions).
#pragma once

#include <string>

namespace core {

// A unified diff from before to after with `context` lines around each change, headed by
// "--- before_label" and "+++ after_label"; "" when the texts are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_label,
                         const std::string& after_label, int context = 3);

}  // namespace core
