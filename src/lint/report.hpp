// Renders lint findings as text (file:line:col, the line with a caret, the fix), JSON or GitHub
// workflow annotations (called by cli).
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "lint/lint.hpp"

namespace lint {

// What a lint run looked at, for the summary.
struct LintStats {
  std::size_t files = 0, statements = 0;
  long long elapsed_ms = 0;
};

// Unsuppressed findings in file order, then a PASSED/FAILED summary line. Colour only when color.
std::string format_text(const std::vector<Finding>& findings, const LintStats& stats, Level fail_on, bool color);
// {"command":"lint","findings":[{rule, level, file, line, column, message, remediation, equivalents,
// suppressed, reason}], "summary":{...}}
core::Json format_json(const std::vector<Finding>& findings, const LintStats& stats, Level fail_on);
// ::error file=F,line=L,col=C,title=...::message Fix: remediation, one per unsuppressed finding.
std::string format_github(const std::vector<Finding>& findings);
// SARIF 2.1.0 for GitHub code scanning: every rule of the table and of extra_rules (id, summary,
// remediation as help, equivalents as properties) and one result per unsuppressed finding with its
// file, line and column.
core::Json format_sarif(const std::vector<Finding>& findings, const std::vector<Rule>& extra_rules = {});

}  // namespace lint
