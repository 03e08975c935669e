// What each migration command does, independent of how its results are printed.
#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/plan.hpp"
#include "runner/reporter.hpp"

namespace runner {

// A command's outcome: its JSON report and the exit code it asks for.
struct Outcome {
  core::Json report = core::Json::object();
  core::ExitCode code = core::ExitCode::ok;
};

// Options shared by the commands that change the database.
struct WriteOptions {
  bool dry_run = false;
  bool yes = false;  // confirmed in advance (needed for production environments without a terminal)
  bool allow_changed = false;
  bool allow_out_of_order = false;
};

// `up`: applies pending migrations in version order.
Outcome cmd_up(const core::Config& config, Reporter& reporter, const core::UpSelection& sel, const WriteOptions& opt);
// `down`: reverts applied migrations, newest first, with the down SQL recorded in the ledger.
Outcome cmd_down(const core::Config& config, Reporter& reporter, const core::DownSelection& sel,
                 const WriteOptions& opt);
// `redo`: reverts the newest applied migration and applies it again.
Outcome cmd_redo(const core::Config& config, Reporter& reporter, const WriteOptions& opt);
// `status`: every version with its state; with exit_code, anything not applied and clean exits 3.
Outcome cmd_status(const core::Config& config, Reporter& reporter, bool exit_code);
// `validate`: files parse, checksums match the ledger, order is right; exits 3 naming each problem.
Outcome cmd_validate(const core::Config& config, Reporter& reporter);
// `repair VERSION`: resolves a failed non-transactional migration as applied or rolled back.
Outcome cmd_repair(const core::Config& config, Reporter& reporter, const std::string& version, bool applied,
                   const WriteOptions& opt);
// `baseline VERSION`: records every migration up to VERSION as applied without running it.
Outcome cmd_baseline(const core::Config& config, Reporter& reporter, const std::string& version,
                     const WriteOptions& opt);
// `baseline --from TOOL`: records as applied what another tool's ledger says it applied (the
// versions that have files here), refusing a dirty or failed ledger; lists versions on one side only.
Outcome cmd_baseline_from(const core::Config& config, Reporter& reporter, const std::string& tool,
                          const std::string& table, const WriteOptions& opt);

}  // namespace runner
