// The lint rule table: one row per rule (stable id, level, what it finds, the safe way to write it,
// the same rule's ids in other linters).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/level.hpp"

namespace lint {

using core::Level;

struct Rule {
  const char* id;           // stable: used in ignores, JSON and docs/lint.md
  Level level;
  const char* summary;      // what it finds, one line
  const char* remediation;  // the safe way to write it, one line
  const char* equivalents;  // space-separated: "squawk:require-concurrent-index-creation eugene:E6"
};

// Every rule, in the order docs/lint.md lists them.
const std::vector<Rule>& rules();
// The rule with that id, nullptr when there is none.
const Rule* find_rule(std::string_view id);
// The equivalents of a rule, one per element.
std::vector<std::string> equivalents_of(const Rule& rule);
// Our rules that a squawk rule name stands for (through equivalents); empty when none.
std::vector<std::string> rules_for_squawk(std::string_view squawk_name);

}  // namespace lint
