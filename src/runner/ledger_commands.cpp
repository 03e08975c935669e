// `repair` and `baseline`: commands that change the ledger without running migrations.
#include <fmt/format.h>

#include <algorithm>

#include "runner/commands.hpp"
#include "runner/leftovers.hpp"
#include "runner/preamble.hpp"
#include "runner/write_helpers.hpp"

namespace runner {

namespace {

// Reports each invalid index left behind (never used, slowing writes) and returns them as JSON.
core::Json report_invalid_indexes(WriteSession& s, Reporter& reporter, bool applied) {
  core::Json invalid = core::Json::array();
  Leftovers left = find_leftovers(s.db());
  if (!left.lookup_error.empty()) reporter.progress("warning: " + left.advice());
  for (const auto& i : left.indexes) {
    invalid.push(core::Json::object().set("index", i.name).set("table", i.table).set(
        "advice", "drop index concurrently " + i.name));
    reporter.progress(fmt::format("warning: invalid index {} (on {}) is still there, never used and slowing writes: "
                                  "drop index concurrently {};{}",
                                  i.name, i.table, i.name,
                                  applied ? "" : " (re-applying the migration would fail on it)"));
  }
  return invalid;
}

}  // namespace

Outcome cmd_repair(const core::Config& config, Reporter& reporter, const std::string& version, bool applied,
                   const WriteOptions& opt) {
  // The lock is taken even for a dry run: what it shows must not change under it.
  auto p = prepare_write(config, reporter, "repair", {.discover = false});
  WriteSession& s = *p.session;
  const auto& plan = p.plan;
  auto it = std::find_if(plan.begin(), plan.end(), [&](const core::PlanEntry& e) { return e.version == version; });
  if (it == plan.end() || it->state != core::EntryState::failed)
    throw core::Failure(fmt::format("version {} is not a failed migration; there is nothing to repair", version),
                        "`autocrm-migrate status` shows failed migrations");
  Outcome out;
  out.report.set("command", "repair").set("version", version).set("resolution", applied ? "applied" : "rolled-back");
  out.report.set("error", it->row->error);
  // What a failed CREATE INDEX CONCURRENTLY left behind is never used and slows writes: say what to drop.
  out.report.set("invalid_indexes", report_invalid_indexes(s, reporter, applied));
  if (opt.dry_run) return out;
  confirm_production(config, reporter, opt, s, fmt::format("mark {} as {}", version, applied ? "applied" : "rolled back"));
  if (applied) s.ledger().mark_applied(version, it->row->execution_ms);
  else s.ledger().remove(version);
  reporter.progress(fmt::format("{} marked {}", version, applied ? "applied" : "rolled back (removed from the ledger)"));
  return out;
}

Outcome cmd_baseline(const core::Config& config, Reporter& reporter, const std::string& version,
                     const WriteOptions& opt) {
  auto known = [&](const std::vector<core::Migration>& files) {
    if (std::none_of(files.begin(), files.end(), [&](const core::Migration& m) { return m.version == version; }))
      throw core::UsageError(fmt::format("baseline {}: no migration file has this version", version));
  };
  auto p = prepare_write(config, reporter, "baseline",
                         {.ensure_ledger = true, .adopt = true, .dry_run = opt.dry_run, .before_connect = known});
  std::vector<const core::Migration*> adopt;
  for (const auto& e : p.plan) {
    if (e.state == core::EntryState::failed)
      throw core::Failure(fmt::format("migration {} failed; repair it before a baseline", e.version));
    if (e.version <= version && (e.state == core::EntryState::pending || e.state == core::EntryState::out_of_order))
      adopt.push_back(e.file);
  }
  Outcome out;
  core::Json list = core::Json::array();
  for (const auto* m : adopt) list.push(core::Json::object().set("version", m->version).set("name", m->name));
  out.report.set("command", "baseline").set("version", version).set("dry_run", opt.dry_run).set("recorded", list);
  if (opt.dry_run || adopt.empty()) return out;
  confirm_production(config, reporter, opt, *p.session, fmt::format("record {} migration(s) as applied", adopt.size()));
  p.session->ledger().record_baseline(adopt, p.session->applied_from());
  reporter.progress(fmt::format("recorded {} migration(s) up to {} as applied (not run)", adopt.size(), version));
  return out;
}

}  // namespace runner
