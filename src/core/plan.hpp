// The plan: migration files joined with ledger rows, and which of them a command acts on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/migration.hpp"

namespace core {

// One row of the ledger, as read from the database.
struct LedgerRow {
  std::string version;
  std::string name;
  std::string checksum;
  std::string state;           // "applied" or "failed" (a non-transactional section stopped part-way)
  bool irreversible = false;   // recorded from the file's down marker
  std::string down_sql;        // the down section as applied
  bool down_missing = false;   // the ledger has no down SQL for it (NULL): written by hand or by another tool
  bool down_transaction = true;
  int down_line = 0;           // line of the down section's body in the file as applied
  std::string applied_at;
  std::string applied_by;
  std::int64_t execution_ms = 0;
  std::string error;           // for failed rows: what went wrong and where
};

// The state of one version, combining its file and its ledger row.
enum class EntryState {
  applied,       // in the ledger and the file matches its checksum
  pending,       // file only, newer than everything applied
  out_of_order,  // file only, older than the newest applied version
  changed,       // applied, but the file changed since (checksum differs)
  missing,       // applied, but no file has this version any more
  failed,        // a non-transactional section stopped part-way: needs `repair`
};

// The lowercase name of a state, as shown in status and JSON ("out-of-order", "changed"...).
const char* state_name(EntryState state);

// One version in the plan.
struct PlanEntry {
  std::string version;
  std::string name;
  EntryState state;
  const Migration* file = nullptr;     // nullptr when missing
  std::optional<LedgerRow> row;        // empty when pending or out of order
};

// Joins files (sorted by version) with ledger rows; the result is sorted by version.
std::vector<PlanEntry> build_plan(const std::vector<Migration>& files, const std::vector<LedgerRow>& rows);

// How `up` picks what to apply.
struct UpSelection {
  std::optional<std::string> to;  // apply up to and including this version
  std::optional<int> step;        // apply at most this many
  bool allow_out_of_order = false;
  bool allow_changed = false;
};
// The entries `up` applies, oldest first; throws Failure when the plan forbids applying
// (a failed migration, changed files, out-of-order files not allowed) or UsageError for a bad --to.
std::vector<const PlanEntry*> select_up(const std::vector<PlanEntry>& plan, const UpSelection& sel);

// How `down` picks what to revert.
struct DownSelection {
  std::optional<std::string> to;  // revert everything newer than this version
  std::optional<int> step;        // revert this many (default 1)
  bool all = false;               // revert everything
  bool use_file_down = false;     // revert with each file's down section instead of the recorded one
};
// The entries `down` reverts, newest first; throws Failure for a failed or irreversible migration
// among them (before anything runs) and UsageError for a bad --to.
std::vector<const PlanEntry*> select_down(const std::vector<PlanEntry>& plan, const DownSelection& sel);

// Counts of each state, and whether everything is applied and clean.
struct PlanSummary {
  int applied = 0, pending = 0, out_of_order = 0, changed = 0, missing = 0, failed = 0;
  bool clean() const { return pending == 0 && out_of_order == 0 && changed == 0 && missing == 0 && failed == 0; }
};
// Summarizes a plan.
PlanSummary summarize(const std::vector<PlanEntry>& plan);

// A plan entry as JSON: version, name, state, file, applied_at...
Json entry_json(const PlanEntry& e);

}  // namespace core
