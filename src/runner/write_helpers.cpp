#include "runner/write_helpers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/section_check.hpp"

namespace runner {

bool has_failed(const std::vector<core::PlanEntry>& plan) {
  return std::any_of(plan.begin(), plan.end(),
                     [](const core::PlanEntry& e) { return e.state == core::EntryState::failed; });
}

void confirm_production(const core::Config& config, Reporter& reporter, const WriteOptions& opt, WriteSession& s,
                        const std::string& action) {
  if (!config.production() || opt.yes || opt.dry_run) return;
  std::string env = config.env().text.empty() ? "production" : config.env().text;
  std::string question = fmt::format("{} on {} ({}, {})?", action, env, s.target().display, s.db().describe());
  if (!reporter.interactive())
    throw core::UsageError(fmt::format("refusing to {} without confirmation: environment '{}' is marked production",
                                       action, env),
                           "pass --yes to confirm");
  if (!reporter.confirm(question)) throw core::UsageError("not confirmed; nothing was changed");
}

core::Json applied_json(const Applied& a) {
  core::Json j = core::Json::object();
  j.set("version", a.version).set("name", a.name).set("statements", static_cast<long>(a.statements));
  j.set("transaction", a.transaction).set("duration_ms", static_cast<long long>(a.duration_ms));
  return j;
}

std::string recorded_file(const core::PlanEntry& e) {
  return e.file ? e.file->display_path() : fmt::format("{}_{}.sql (as recorded in the ledger)", e.version, e.name);
}

std::vector<std::pair<core::LedgerRow, core::StatementList>> downs_of(
    WriteSession& s, const std::vector<const core::PlanEntry*>& entries, std::int64_t lock_key) {
  std::vector<std::string> versions;
  for (const auto* e : entries) versions.push_back(e->version);
  auto rows = s.ledger().rows_with_down(versions);
  std::vector<std::pair<core::LedgerRow, core::StatementList>> out;
  std::vector<core::UsageError> errors;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string file = recorded_file(*entries[i]);
    try {
      auto statements = core::split_statements(rows[i].down_sql, file, rows[i].down_line);
      auto report = core::check_section(statements, {file, "down", rows[i].down_transaction, lock_key});
      errors.insert(errors.end(), report.errors.begin(), report.errors.end());
      for (const auto& w : report.warnings) s.reporter().progress("warning: " + w);
      out.emplace_back(std::move(rows[i]), std::move(statements));
    } catch (const core::UsageError& e) {
      errors.push_back(e);
    }
  }
  // Checked before anything is reverted: the recorded SQL may predate the checks.
  if (!errors.empty()) throw core::combine_errors(errors, "problems in the recorded down SQL; nothing was reverted");
  return out;
}

}  // namespace runner
