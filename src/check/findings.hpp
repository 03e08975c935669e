// What `check` finds: every rule evaluated over a catalog snapshot, suppressions applied.
#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.hpp"
#include "check/declaration.hpp"
#include "core/config.hpp"
#include "core/level.hpp"

namespace check {

using core::Level;

// One way the database falls short.
struct Finding {
  std::string rule;
  Level level = Level::error;
  std::string object;       // e.g. "public.tickets", "public.tickets.customer_id", "public.f(uuid)"
  std::string message;
  std::string remediation;  // one line: what to do
  bool suppressed = false;
  std::string suppression_reason;
};

// Evaluates every rule of the rule table; findings are sorted by level (errors first), rule, object.
std::vector<Finding> run_checks(const Declaration& declaration, const catalog::Snapshot& snapshot);

// Throws core::UsageError naming the configuration line of a suppression whose rule does not exist.
void validate_suppressions(const std::vector<core::Suppression>& suppressions);

// Marks the findings that a suppression matches.
void apply_suppressions(std::vector<Finding>& findings, const std::vector<core::Suppression>& suppressions);

// True when an unsuppressed finding is at fail_on or above.
bool fails(const std::vector<Finding>& findings, Level fail_on);

}  // namespace check
