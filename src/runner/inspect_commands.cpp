// `status` and `validate`: read-only commands over the files and the ledger.
#include <fmt/format.h>

#include <algorithm>

#include "core/discovery.hpp"
#include "runner/commands.hpp"
#include "core/lock_key.hpp"
#include "runner/leftovers.hpp"
#include "runner/preamble.hpp"
#include "runner/session.hpp"

namespace runner {

namespace {

// Invalid indexes as JSON rows, and each failed ledger row's error completed with the ones it does
// not name yet (a CREATE INDEX CONCURRENTLY that failed or was interrupted leaves one behind).
core::Json explain_failed_rows(ReadSession& s, std::vector<core::LedgerRow>& rows) {
  core::Json invalid = core::Json::array();
  Leftovers left = find_leftovers(s.db());
  for (const auto& i : left.indexes)
    invalid.push(core::Json::object().set("index", i.name).set("table", i.table).set(
        "advice", "drop index concurrently " + i.name));
  for (auto& r : rows) {
    if (r.state != "failed") continue;
    std::vector<db::InvalidIndex> unmentioned;
    for (const auto& i : left.indexes)
      if (r.error.find("drop index concurrently " + i.name) == std::string::npos) unmentioned.push_back(i);
    std::string advice = left.lookup_error.empty() ? db::invalid_index_advice(unmentioned) : left.advice();
    if (!advice.empty()) r.error += (r.error.empty() ? "" : "; ") + ("left behind: " + advice);
  }
  return invalid;
}

core::Json summary_json(const core::PlanSummary& summary) {
  core::Json counts = core::Json::object();
  counts.set("applied", summary.applied).set("pending", summary.pending).set("out_of_order", summary.out_of_order);
  counts.set("changed", summary.changed).set("missing", summary.missing).set("failed", summary.failed);
  return counts;
}

}  // namespace

Outcome cmd_status(const core::Config& config, Reporter& reporter, bool exit_code) {
  auto files = discover_files(config, reporter).files;
  ReadSession s(config, reporter, "status");
  auto rows = s.ledger().rows();
  // Every INVALID index of the database, whatever left it (a failed or interrupted CREATE INDEX
  // CONCURRENTLY, by this tool or not): never used, slowing every write.
  core::Json invalid = explain_failed_rows(s, rows);
  auto plan = core::build_plan(files, rows);
  auto summary = core::summarize(plan);
  Outcome out;
  core::Json list = core::Json::array();
  for (const auto& e : plan) list.push(core::entry_json(e));
  out.report.set("command", "status").set("target", s.target().display).set("ledger", s.ledger().display_name());
  out.report.set("migrations", list).set("summary", summary_json(summary)).set("clean", summary.clean());
  out.report.set("invalid_indexes", invalid);
  if (exit_code && (!summary.clean() || invalid.size() > 0)) out.code = core::ExitCode::problems;
  return out;
}

Outcome cmd_validate(const core::Config& config, Reporter& reporter) {
  auto found = discover_files(config, reporter);
  const auto& files = found.files;
  // Every problem of every file in one run; any of them is a file error (exit 2).
  FileCheck checked = check_files(files, lock_key_of(config), true);
  if (!checked.errors.empty()) throw core::combine_errors(checked.errors, "problems in the migration files");
  ReadSession s(config, reporter, "validate");
  auto plan = core::build_plan(files, s.ledger().rows());
  Outcome out;
  core::Json problems = core::Json::array();
  for (const auto& e : plan) {
    std::string message;
    switch (e.state) {
      case core::EntryState::changed: message = "changed since it was applied (checksum differs)"; break;
      case core::EntryState::missing: message = "applied, but its file is missing"; break;
      case core::EntryState::out_of_order: message = "older than the newest applied migration, not applied"; break;
      case core::EntryState::failed: message = "failed part-way outside a transaction: " + e.row->error; break;
      default: continue;
    }
    core::Json p = core::Json::object();
    p.set("version", e.version).set("name", e.name).set("state", core::state_name(e.state));
    p.set("file", e.file ? core::Json(e.file->display_path()) : core::Json()).set("message", message);
    problems.push(p);
  }
  out.report.set("command", "validate").set("files", static_cast<long>(files.size())).set("problems", problems);
  out.report.set("valid", problems.size() == 0);
  core::Json warnings = core::Json::array(), notes = core::Json::array();
  for (const auto& m : files)
    if (!m.link_target.empty())
      warnings.push(fmt::format("{}: a symlink to {}, outside the migrations folder: the migration can change without "
                                "a change to this repository",
                                m.display_path(), m.link_target));
  for (const auto& w : found.skipped) warnings.push(w);
  for (const auto& w : found.warnings) warnings.push(w);
  for (const auto& w : checked.warnings) warnings.push(w);
  for (const auto& n : checked.notes) notes.push(n);
  out.report.set("warnings", warnings).set("notes", notes);
  if (problems.size() > 0) out.code = core::ExitCode::problems;
  return out;
}

}  // namespace runner
