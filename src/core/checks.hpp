// The check rules: the documented schema and good-practice lints, evaluated over a catalog snapshot.
#pragma once

#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/declaration.hpp"

namespace core {

// How serious a finding is; --fail-on picks the level that fails a run.
enum class Level { info = 0, warning = 1, error = 2 };

// "error", "warning" or "info".
const char* level_name(Level level);
// Parses "error", "warning" or "info"; throws UsageError otherwise.
Level parse_level(const std::string& text);

// A rule: its stable id, level, the group it is shown in, and what it checks.
struct RuleInfo {
  const char* id;
  Level level;
  const char* category;  // rls, triggers, indexes, security, performance, schema
  const char* summary;
};

// Every rule, in the order reports list their groups.
const std::vector<RuleInfo>& check_rules();
// The rule with this id, or nullptr.
const RuleInfo* find_rule(const std::string& id);

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

// A finding the configuration chooses to accept, with the reason it must give.
struct Suppression {
  std::string rule;
  std::string object;  // exact object, or "*" for every object of the rule
  std::string reason;
  std::string origin;  // "autocrm-migrate.toml:12"
};

// Evaluates every rule; findings are sorted by level (errors first), rule, object.
std::vector<Finding> run_checks(const Declaration& declaration, const CatalogSnapshot& catalog);

// Marks the findings that a suppression matches.
void apply_suppressions(std::vector<Finding>& findings, const std::vector<Suppression>& suppressions);

// True when an unsuppressed finding is at fail_on or above.
bool fails(const std::vector<Finding>& findings, Level fail_on);

}  // namespace core
