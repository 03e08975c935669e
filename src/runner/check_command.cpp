#include "runner/check_command.hpp"

#include <chrono>

#include "check/declaration.hpp"
#include "check/rule.hpp"
#include "check/scope.hpp"
#include "core/discovery.hpp"
#include "db/catalog_reader.hpp"
#include "runner/session.hpp"

namespace runner {

namespace {

check::CheckStats stats_of(const catalog::Snapshot& snapshot) {
  check::CheckStats stats;
  for (const auto& r : snapshot.relations)
    if (r.kind == 'r' || r.kind == 'p') ++stats.tables;
  stats.policies = snapshot.policies.size();
  stats.triggers = snapshot.triggers.size();
  stats.indexes = snapshot.indexes.size();
  stats.functions = snapshot.functions.size();
  stats.queries = snapshot.queries;
  return stats;
}

}  // namespace

CheckOutcome cmd_check(const core::Config& config, Reporter& reporter, const CheckOptions& options) {
  check::validate_suppressions(config.suppressions());
  auto path = config.declaration();
  std::error_code ec;
  bool configured = config.value(core::Key::declaration).origin != "default";
  bool without = options.no_declaration || (!configured && !std::filesystem::exists(path, ec));
  if (!without && !std::filesystem::exists(path, ec))
    throw core::UsageError(path.generic_string() + ": declaration file not found (" +
                               config.value(core::Key::declaration).origin + ")",
                           "fix `declaration`, or run check --no-declaration for the rules that need none");
  auto declaration = without ? check::no_declaration(options.exposed_schemas)
                             : check::parse_declaration(core::read_file(path), path.filename().string());
  if (!without && options.exposed_schemas_given) declaration.exposed_schemas = options.exposed_schemas;
  ReadSession s(config, reporter, "check");
  auto start = std::chrono::steady_clock::now();
  auto snapshot = check::without_managed(db::read_catalog(s.db(), declaration.api_roles), {config.ledger_schema()});
  CheckOutcome out;
  out.findings = check::run_checks(declaration, snapshot);
  check::apply_suppressions(out.findings, config.suppressions());
  out.stats = stats_of(snapshot);  // the time covers reading the catalog and running every rule
  out.stats.declaration = declaration.present;
  if (!declaration.present)
    for (const auto& rule : check::rules())
      if (rule.needs_declaration) out.stats.skipped_rules.emplace_back(rule.id);
  out.stats.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  out.target = s.target().display;
  out.fail_on = options.fail_on;
  if (check::fails(out.findings, options.fail_on)) out.code = core::ExitCode::problems;
  return out;
}

}  // namespace runner
