// The rule table: one row per rule, with the function that evaluates it (ninja's tool table is the
// model). Adding a rule means one row here, one function, one row in docs/checks.md, one test.
#pragma once

#include <string_view>
#include <vector>

#include "core/level.hpp"

namespace check {

class Context;

// A rule: its stable id, level, the group reports show it in, what it checks, and its function,
// which reports every finding of this rule through the context.
struct Rule {
  const char* id;
  core::Level level;
  const char* category;  // schema, rls, triggers, indexes, security, performance
  const char* summary;
  void (*evaluate)(Context& ctx);
  bool needs_declaration = false;  // skipped (and said so) when check runs without a declaration
  const char* equivalents = "";    // the same check elsewhere, space-separated: "splinter:function_search_path_mutable"
};

// Every rule, in the order reports list their groups.
const std::vector<Rule>& rules();
// The rule with this id, or nullptr.
const Rule* find_rule(std::string_view id);

}  // namespace check
