#include "core/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"

namespace core {

const char* state_name(EntryState state) {
  switch (state) {
    case EntryState::applied: return "applied";
    case EntryState::pending: return "pending";
    case EntryState::out_of_order: return "out-of-order";
    case EntryState::changed: return "changed";
    case EntryState::missing: return "missing";
    case EntryState::failed: return "failed";
  }
  return "?";
}

std::vector<PlanEntry> build_plan(const std::vector<Migration>& files, const std::vector<LedgerRow>& rows) {
  std::map<std::string, PlanEntry> by_version;
  std::string newest_applied;
  for (const auto& row : rows) {
    PlanEntry e{row.version, row.name, row.state == "failed" ? EntryState::failed : EntryState::missing, nullptr, row};
    by_version.emplace(row.version, std::move(e));
    newest_applied = std::max(newest_applied, row.version);
  }
  for (const auto& file : files) {
    auto it = by_version.find(file.version);
    if (it == by_version.end()) {
      EntryState s = file.version < newest_applied ? EntryState::out_of_order : EntryState::pending;
      by_version.emplace(file.version, PlanEntry{file.version, file.name, s, &file, std::nullopt});
      continue;
    }
    PlanEntry& e = it->second;
    e.file = &file;
    e.name = file.name;
    if (e.state != EntryState::failed)
      e.state = e.row->checksum == file.checksum ? EntryState::applied : EntryState::changed;
  }
  std::vector<PlanEntry> out;
  out.reserve(by_version.size());
  for (auto& [v, e] : by_version) out.push_back(std::move(e));
  return out;
}

namespace {

void require_known_version(const std::vector<PlanEntry>& plan, const std::string& version, const char* flag) {
  bool known = std::any_of(plan.begin(), plan.end(), [&](const PlanEntry& e) { return e.version == version; });
  if (!known && version != "0")
    throw UsageError(fmt::format("{} {}: no migration has this version", flag, version),
                     "`autocrm-migrate status` lists the versions");
}

std::string label(const PlanEntry& e) { return fmt::format("{}_{}", e.version, e.name); }

}  // namespace

std::vector<const PlanEntry*> select_up(const std::vector<PlanEntry>& plan, const UpSelection& sel) {
  if (sel.to) require_known_version(plan, *sel.to, "--to");
  if (sel.step && *sel.step < 1) throw UsageError("--step must be 1 or more");
  std::vector<std::string> failed, changed, out_of_order;
  std::string failed_details;
  for (const auto& e : plan) {
    if (e.state == EntryState::failed) failed.push_back(label(e));
    if (e.state == EntryState::failed && !e.row->error.empty())
      failed_details += fmt::format("\n  {}: {}", label(e), e.row->error);
    if (e.state == EntryState::changed) changed.push_back(e.file->display_path());
    if (e.state == EntryState::out_of_order) out_of_order.push_back(e.file->display_path());
  }
  if (!failed.empty())
    throw Failure(fmt::format("migration {} failed part-way outside a transaction; nothing was applied{}",
                              fmt::join(failed, ", "), failed_details),
                  "inspect the database, finish or undo what it did, then run `autocrm-migrate repair VERSION "
                  "--applied` or `--rolled-back`");
  if (!changed.empty() && !sel.allow_changed)
    throw Failure(fmt::format("applied migrations changed since they were applied: {}; nothing was applied",
                              fmt::join(changed, ", ")),
                  "restore the files (git), or pass --allow-changed if the change is deliberate");
  std::vector<const PlanEntry*> out;
  for (const auto& e : plan) {
    if (e.state != EntryState::pending && e.state != EntryState::out_of_order) continue;
    if (sel.to && e.version > *sel.to) break;
    if (e.state == EntryState::out_of_order && !sel.allow_out_of_order)
      throw Failure(fmt::format("{} is older than the newest applied migration (out of order); nothing was applied",
                                e.file->display_path()),
                    "give it a newer version (rename the file), or pass --allow-out-of-order");
    out.push_back(&e);
    if (sel.step && static_cast<int>(out.size()) >= *sel.step) break;
  }
  return out;
}

std::vector<const PlanEntry*> select_down(const std::vector<PlanEntry>& plan, const DownSelection& sel) {
  if (sel.to) require_known_version(plan, *sel.to, "--to");
  int step = sel.step.value_or(1);
  if (step < 1) throw UsageError("--step must be 1 or more");
  std::vector<const PlanEntry*> out;
  for (auto it = plan.rbegin(); it != plan.rend(); ++it) {
    const PlanEntry& e = *it;
    if (!e.row) continue;
    if (sel.to && e.version <= *sel.to) break;
    out.push_back(&e);
    if (!sel.all && !sel.to && static_cast<int>(out.size()) >= step) break;
  }
  for (const PlanEntry* e : out) {
    if (e->state == EntryState::failed)
      throw Failure(fmt::format("migration {} failed part-way outside a transaction; nothing was reverted{}", label(*e),
                                e->row->error.empty() ? "" : "\n  " + label(*e) + ": " + e->row->error),
                    "resolve it first with `autocrm-migrate repair VERSION --applied` or `--rolled-back`");
    if (sel.use_file_down && !e->file)
      throw Failure(fmt::format("--use-file-down: migration {} has no file any more; nothing was reverted", label(*e)),
                    "restore the file, or revert without --use-file-down (with the SQL recorded in the ledger)");
    if (sel.use_file_down && e->file->down.irreversible)
      throw Failure(fmt::format("--use-file-down: the file of migration {} says '-- migrate:down irreversible'; "
                                "nothing was reverted",
                                label(*e)));
    if (e->row->down_missing && !e->row->irreversible && !sel.use_file_down)
      throw Failure(fmt::format("migration {} has no down SQL in the ledger (NULL: the row was written by hand or by "
                                "another tool); nothing was reverted",
                                label(*e)),
                    e->file ? fmt::format("pass --use-file-down to revert it with the down section of {}, or revert it "
                                          "by hand and delete its ledger row",
                                          e->file->display_path())
                            : "its file is gone too: revert it by hand and delete its ledger row");
    if (sel.use_file_down && !e->file->down.present)
      throw Failure(fmt::format("--use-file-down: {} has no down section; nothing was reverted",
                                e->file->display_path()),
                    "add '-- migrate:down' and the SQL that reverts it to the file");
    if (e->row->irreversible && !sel.use_file_down && e->file && !e->file->down.present && !e->file->down.irreversible)
      throw Failure(fmt::format("migration {} has no down section ({} is up-only, as the Supabase CLI writes "
                                "migrations); nothing was reverted",
                                label(*e), e->file->display_path()),
                    "add '-- migrate:down' with the SQL that reverts it to the file and run `down --use-file-down`, "
                    "or write a new migration that undoes it");
    if (e->row->irreversible && !sel.use_file_down)
      throw Failure(fmt::format("migration {} is irreversible ({}); nothing was reverted", label(*e),
                                e->file && e->file->down.irreversible
                                    ? "its file says '-- migrate:down irreversible'"
                                    : "it was applied without down SQL: '-- migrate:down irreversible' or no down section"),
                    "restore from a backup, or write a new migration that undoes it");
  }
  return out;
}

PlanSummary summarize(const std::vector<PlanEntry>& plan) {
  PlanSummary s;
  for (const auto& e : plan) {
    switch (e.state) {
      case EntryState::applied: ++s.applied; break;
      case EntryState::pending: ++s.pending; break;
      case EntryState::out_of_order: ++s.out_of_order; break;
      case EntryState::changed: ++s.changed; break;
      case EntryState::missing: ++s.missing; break;
      case EntryState::failed: ++s.failed; break;
    }
  }
  return s;
}

Json entry_json(const PlanEntry& e) {
  Json j = Json::object();
  j.set("version", e.version).set("name", e.name).set("state", state_name(e.state));
  j.set("file", e.file ? Json(e.file->display_path()) : Json());
  if (e.row) {
    j.set("applied_at", e.row->applied_at).set("applied_by", e.row->applied_by);
    j.set("execution_ms", e.row->execution_ms);
    if (!e.row->error.empty()) j.set("error", e.row->error);
  }
  return j;
}

}  // namespace core
