// Pieces the writing commands share: refusals that name what a failed migration left behind,
// production confirmation, report rows, and the recorded down SQL of a selection.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/json.hpp"
#include "core/plan.hpp"
#include "core/sql_split.hpp"
#include "runner/apply.hpp"
#include "runner/commands.hpp"
#include "runner/leftovers.hpp"
#include "runner/session.hpp"

namespace runner {

// True when a migration of the plan failed part-way.
bool has_failed(const std::vector<core::PlanEntry>& plan);

// Runs a selection, adding what a failed migration left behind to the refusal it may throw.
template <class Select>
auto select_or_explain(WriteSession& s, const std::vector<core::PlanEntry>& plan, Select select) {
  try {
    return select();
  } catch (const core::Failure& e) {
    if (!has_failed(plan)) throw;
    std::string advice = find_leftovers(s.db()).advice();
    if (advice.empty()) throw;
    throw core::Failure(std::string(e.what()) + "\n  left behind: " + advice, e.hint());
  }
}

// In a production environment, asks on a terminal or requires --yes; throws UsageError otherwise.
void confirm_production(const core::Config& config, Reporter& reporter, const WriteOptions& opt, WriteSession& s,
                        const std::string& action);

// A migration applied, reverted or planned, as a report row.
core::Json applied_json(const Applied& a);

// The file an entry came from, or what the ledger recorded of it when the file is gone.
std::string recorded_file(const core::PlanEntry& e);

// What a migration is reverted with.
struct Down {
  core::LedgerRow row;              // its ledger row (down SQL and settings as used)
  core::StatementList statements;   // split and checked
  std::string source;               // "ledger" (as recorded when applied) or "file" (--use-file-down)
  std::string note;                 // set when the recorded SQL is not the file's any more, or the file is gone
};

// The down SQL of each entry (recorded in the ledger, read in one query; or the file's with
// use_file_down), split and checked against how it runs (core::check_section). Throws
// core::UsageError naming every problem before anything is reverted.
std::vector<Down> downs_of(WriteSession& s, const std::vector<const core::PlanEntry*>& entries, std::int64_t lock_key,
                           bool use_file_down);

}  // namespace runner
