#include "runner/check_command.hpp"

#include <chrono>

#include "core/check_report.hpp"
#include "core/declaration.hpp"
#include "core/discovery.hpp"
#include "db/catalog_reader.hpp"
#include "runner/session.hpp"

namespace runner {

Outcome cmd_check(const core::Config& config, Reporter& reporter, const CheckOptions& options) {
  auto path = config.path("declaration");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw core::UsageError(path.generic_string() + ": declaration file not found",
                           "set `declaration` in autocrm-migrate.toml to the schema declaration");
  auto declaration = core::parse_declaration(core::read_file(path), path.filename().string());
  Session s(config, reporter, "check");
  auto start = std::chrono::steady_clock::now();
  auto catalog = db::read_catalog(s.conn(), declaration.api_roles);
  auto findings = core::run_checks(declaration, catalog);
  core::apply_suppressions(findings, config.suppressions());
  core::CheckStats stats;
  for (const auto& r : catalog.relations)
    if (r.kind == 'r' || r.kind == 'p') ++stats.tables;
  stats.policies = catalog.policies.size();
  stats.triggers = catalog.triggers.size();
  stats.indexes = catalog.indexes.size();
  stats.functions = catalog.security_definer_functions.size();
  stats.queries = catalog.queries;
  stats.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();

  Outcome out;
  out.report = core::format_json(findings, stats, options.fail_on);
  out.report.set("target", s.target().display);
  out.report.set("text", core::format_text(findings, stats, options.fail_on, false));
  out.report.set("text_color", core::format_text(findings, stats, options.fail_on, true));
  out.report.set("junit", core::format_junit(findings, stats, options.fail_on));
  out.report.set("github", core::format_github(findings));
  if (core::fails(findings, options.fail_on)) out.code = core::ExitCode::problems;
  return out;
}

}  // namespace runner
