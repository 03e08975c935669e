// Renders check findings as text, JSON, JUnit XML or GitHub workflow annotations (called by cli).
#pragma once

#include <string>
#include <vector>

#include "check/findings.hpp"
#include "core/json.hpp"

namespace check {

// What a check run looked at, for the summary lines.
struct CheckStats {
  std::size_t tables = 0, policies = 0, triggers = 0, indexes = 0, functions = 0;
  int queries = 0;
  long long elapsed_ms = 0;
  bool declaration = true;                  // false: run without a declaration
  std::vector<std::string> skipped_rules;   // rules that need a declaration, when there is none
};

// Grouped by category, errors first; suppressed findings listed with their reasons. Colour codes
// only when color is true.
std::string format_text(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on, bool color);
// One object per finding (rule, level, object, message, remediation, suppressed, reason) and a summary.
core::Json format_json(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on);
// A JUnit report: one test case per rule (failing with one <failure> per finding at or above fail_on).
std::string format_junit(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on);
// GitHub Actions workflow commands: ::error / ::warning / ::notice, one line per unsuppressed finding.
std::string format_github(const std::vector<Finding>& findings);

}  // namespace check
