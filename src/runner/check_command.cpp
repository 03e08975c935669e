#include "runner/check_command.hpp"

#include <chrono>

#include "check/declaration.hpp"
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
  stats.functions = snapshot.security_definer_functions.size();
  stats.queries = snapshot.queries;
  return stats;
}

}  // namespace

CheckOutcome cmd_check(const core::Config& config, Reporter& reporter, const CheckOptions& options) {
  check::validate_suppressions(config.suppressions());
  auto path = config.declaration();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw core::UsageError(path.generic_string() + ": declaration file not found",
                           "set `declaration` in autocrm-migrate.toml to the schema declaration");
  auto declaration = check::parse_declaration(core::read_file(path), path.filename().string());
  ReadSession s(config, reporter, "check");
  auto start = std::chrono::steady_clock::now();
  auto snapshot = db::read_catalog(s.db(), declaration.api_roles);
  CheckOutcome out;
  out.findings = check::run_checks(declaration, snapshot);
  check::apply_suppressions(out.findings, config.suppressions());
  out.stats = stats_of(snapshot);  // the time covers reading the catalog and running every rule
  out.stats.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  out.target = s.target().display;
  out.fail_on = options.fail_on;
  if (check::fails(out.findings, options.fail_on)) out.code = core::ExitCode::problems;
  return out;
}

}  // namespace runner
