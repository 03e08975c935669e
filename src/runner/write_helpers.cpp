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

namespace {

// The down SQL of e as the file has it now (--use-file-down), in place of the recorded one.
core::StatementList file_down(const core::PlanEntry& e, core::LedgerRow& row, std::int64_t lock_key,
                              std::vector<core::UsageError>& errors) {
  auto checked = core::check_migration_section(*e.file, e.file->down, "down", lock_key);
  errors.insert(errors.end(), checked.report.errors.begin(), checked.report.errors.end());
  row.down_sql = std::string(e.file->down.body);
  row.down_transaction = e.file->down.transaction;
  row.down_line = e.file->down.body_line;
  return std::move(checked.statements);
}

// Says when the recorded down SQL is not the file's down section any more.
std::string recorded_note(const core::PlanEntry& e, const core::LedgerRow& row) {
  std::string label = fmt::format("{}_{}", e.version, e.name);
  if (!e.file) return fmt::format("{}: its file is gone: reverting it with the down SQL recorded in the ledger", label);
  if (e.file->down.body != row.down_sql)
    return fmt::format("{}: the down section of {} differs from the one recorded when it was applied: reverting with the "
                       "recorded one (--use-file-down takes the file's)",
                       label, e.file->display_path());
  return {};
}

}  // namespace

std::vector<Down> downs_of(WriteSession& s, const std::vector<const core::PlanEntry*>& entries, std::int64_t lock_key,
                           bool use_file_down) {
  std::vector<std::string> versions;
  for (const auto* e : entries) versions.push_back(e->version);
  auto rows = s.ledger().rows_with_down(versions);
  std::vector<Down> out;
  std::vector<core::UsageError> errors;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string file = recorded_file(*entries[i]);
    try {
      Down d{std::move(rows[i]), {}, use_file_down ? "file" : "ledger", {}};
      if (use_file_down) {
        d.statements = file_down(*entries[i], d.row, lock_key, errors);
        if (d.statements.empty())
          d.note = fmt::format("{}: its down section is empty: nothing to revert, only its ledger row is removed", file);
      } else {
        d.note = recorded_note(*entries[i], d.row);
        d.statements = core::split_statements(d.row.down_sql, file, d.row.down_line);
        if (d.statements.empty() && d.note.empty())
          d.note = fmt::format("{}: its down section is empty: nothing to revert, only its ledger row is removed",
                               file);
        auto report = core::check_section(d.statements, {file, "down", d.row.down_transaction, lock_key});
        errors.insert(errors.end(), report.errors.begin(), report.errors.end());
        for (const auto& w : report.warnings) s.reporter().progress("warning: " + w);
      }
      out.push_back(std::move(d));
    } catch (const core::UsageError& e) {
      errors.push_back(e);
    }
  }
  // Checked before anything is reverted: the recorded SQL may predate the checks.
  if (!errors.empty()) throw core::combine_errors(errors, "problems in the down SQL; nothing was reverted");
  return out;
}

}  // namespace runner
