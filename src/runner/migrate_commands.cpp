// `up`, `down` and `redo`: what they apply or revert, on top of the shared preamble.
#include <fmt/format.h>

#include <algorithm>

#include "runner/adoption_check.hpp"
#include "runner/apply.hpp"
#include "runner/drift_command.hpp"
#include "runner/dump_command.hpp"
#include "runner/lint_command.hpp"
#include "runner/commands.hpp"
#include "runner/interrupt.hpp"
#include "runner/leftovers.hpp"
#include "runner/preamble.hpp"
#include "runner/write_helpers.hpp"

namespace runner {

namespace {

// drift_check: applies nothing to a database that differs from what its applied migrations make.
// Runs under the migration lock the preamble took, so no other run changes the ledger meanwhile.
void refuse_drifted(const core::Config& config, Reporter& reporter, Prepared& p) {
  reporter.progress("drift_check: comparing the database with its applied migrations");
  auto found = drift_of(config, reporter, p.session->db(), p.session->ledger());
  if (found.differences.empty()) return;
  std::string listed;
  std::size_t shown = 0;
  for (const auto& d : found.differences) {
    if (++shown > 20) {
      listed += fmt::format("\n  ... and {} more", found.differences.size() - 20);
      break;
    }
    listed += fmt::format("\n  {} {} {}", drift::change_name(d.change), d.kind, d.identity);
  }
  throw core::Error(core::ExitCode::problems,
                    fmt::format("up refused: drift_check found {} difference(s) between the database and its applied "
                                "migrations; nothing was applied:{}",
                                found.differences.size(), listed),
                    "run `autocrm-migrate drift` for the details; undo the change by hand or make it a migration");
}

// Lints what up is about to apply (as one chain), says so in one line and lists the errors and
// warnings; with lint_required, lint errors stop the run before anything is applied.
core::Json lint_before_up(const core::Config& config, Reporter& reporter,
                          const std::vector<const core::PlanEntry*>& chosen) {
  std::vector<const core::Migration*> files;
  for (const auto* e : chosen) files.push_back(e->file);
  auto out = lint_migrations(files, core::Level::error, chain_options(config));
  auto counts = core::count_levels(out.findings);
  reporter.progress(fmt::format("lint: {} error(s), {} warning(s), {} info in the {} migration(s) to apply{}",
                                counts.error, counts.warning, counts.info, files.size(),
                                counts.error + counts.warning > 0 ? " (`autocrm-migrate lint` shows how to fix them)" : ""));
  std::string listed;
  for (const auto& f : out.findings) {
    if (f.suppressed || f.level == core::Level::info) continue;
    std::string line = fmt::format("  {}:{}:{}: {} {}: {}", f.file, f.line, f.column, core::level_name(f.level), f.rule,
                                   f.message);
    reporter.progress(line);
    if (f.level == core::Level::error) listed += "\n" + line;
  }
  if (config.lint_required() && counts.error > 0)
    throw core::Error(core::ExitCode::problems,
                      fmt::format("up refused: lint_required and lint found {} error(s) in the migrations to apply; "
                                  "nothing was applied:{}",
                                  counts.error, listed),
                      "rewrite them the safe way (`autocrm-migrate lint` says how), or accept one with `-- "
                      "autocrm-migrate:ignore RULE reason`");
  return core::Json::object().set("errors", counts.error).set("warnings", counts.warning).set("info", counts.info);
}

}  // namespace

Outcome cmd_up(const core::Config& config, Reporter& reporter, const core::UpSelection& sel, const WriteOptions& opt) {
  // Every section is parsed before anything runs, before connecting even: a syntax error in the
  // third file applies nothing and touches no database.
  auto p = prepare_write(config, reporter, "up", {.parse = true, .ensure_ledger = true, .dry_run = opt.dry_run});
  core::UpSelection selection = sel;
  selection.allow_changed = opt.allow_changed;
  selection.allow_out_of_order = opt.allow_out_of_order;
  auto chosen = select_or_explain(*p.session, p.plan, [&] { return core::select_up(p.plan, selection); });
  if (p.ledger_was_missing) refuse_unrecorded_objects(*p.session, chosen, p.up_statements);
  if (config.drift_check() && !chosen.empty() && !p.ledger_was_missing) refuse_drifted(config, reporter, p);

  Outcome out;
  out.report.set("command", "up").set("dry_run", opt.dry_run).set("target", p.session->target().display);
  if (!chosen.empty()) out.report.set("lint", lint_before_up(config, reporter, chosen));
  core::Json list = core::Json::array();
  if (opt.dry_run) {
    for (const auto* e : chosen) {
      const auto& m = *e->file;
      const auto& statements = p.up_statements.at(m.version);
      reporter.progress(fmt::format("would apply {}_{} ({} statements{})", m.version, m.name, statements.size(),
                                    m.up.transaction ? "" : ", outside a transaction"));
      list.push(applied_json({m.version, m.name, statements.size(), m.up.transaction, 0}));
    }
    out.report.set("migrations", list);
    return out;
  }
  if (!chosen.empty())
    confirm_production(config, reporter, opt, *p.session, fmt::format("apply {} migration(s)", chosen.size()));
  for (const auto* e : chosen) {
    const auto& m = *e->file;
    throw_if_interrupted(fmt::format("before applying {}_{}: {} migration(s) of this run were applied, nothing of it",
                                     m.version, m.name, list.size()));
    reporter.progress(fmt::format("applying {}_{}", m.version, m.name));
    auto applied = apply_up(*p.session, m, p.up_statements.at(m.version), timeouts_of(config));
    reporter.progress(fmt::format("applied  {}_{} in {} ms", m.version, m.name, applied.duration_ms));
    list.push(applied_json(applied));
  }
  out.report.set("migrations", list);
  if (chosen.empty()) reporter.progress("nothing to apply: the database is up to date");
  else refresh_schema_file(config, reporter, p.session->target().conninfo, p.session->ledger());
  return out;
}

Outcome cmd_down(const core::Config& config, Reporter& reporter, const core::DownSelection& sel,
                 const WriteOptions& opt) {
  auto p = prepare_write(config, reporter, "down", {.dry_run = opt.dry_run});
  auto chosen = select_or_explain(*p.session, p.plan, [&] { return core::select_down(p.plan, sel); });
  auto downs = downs_of(*p.session, chosen, lock_key_of(config), sel.use_file_down);

  Outcome out;
  out.report.set("command", "down").set("dry_run", opt.dry_run).set("target", p.session->target().display);
  core::Json list = core::Json::array();
  if (!opt.dry_run && !chosen.empty())
    confirm_production(config, reporter, opt, *p.session, fmt::format("revert {} migration(s)", chosen.size()));
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& [row, statements, source, note] = downs[i];
    if (!note.empty()) reporter.progress("note: " + note);
    if (opt.dry_run) {
      reporter.progress(fmt::format("would revert {}_{} ({} statements)", row.version, row.name, statements.size()));
      list.push(applied_json({row.version, row.name, statements.size(), row.down_transaction, 0})
                    .set("down_from", source).set("note", note.empty() ? core::Json() : core::Json(note)));
      continue;
    }
    throw_if_interrupted(fmt::format("before reverting {}_{}: {} migration(s) of this run were reverted, not it",
                                     row.version, row.name, list.size()));
    reporter.progress(fmt::format("reverting {}_{}", row.version, row.name));
    auto done = apply_down(*p.session, row, statements, recorded_file(*chosen[i]), timeouts_of(config));
    reporter.progress(fmt::format("reverted {}_{} in {} ms", row.version, row.name, done.duration_ms));
    list.push(applied_json(done).set("down_from", source).set("note", note.empty() ? core::Json() : core::Json(note)));
  }
  out.report.set("migrations", list);
  if (chosen.empty()) reporter.progress("nothing to revert");
  else if (!opt.dry_run) refresh_schema_file(config, reporter, p.session->target().conninfo, p.session->ledger());
  return out;
}

namespace {

// The newest applied entry, if redo may act on it; throws core::Failure saying why not otherwise.
const core::PlanEntry& redo_target(Prepared& p, const WriteOptions& opt) {
  auto chosen = select_or_explain(*p.session, p.plan, [&] { return core::select_down(p.plan, core::DownSelection{}); });
  if (chosen.empty()) throw core::Failure("nothing to redo: no migration is applied");
  const core::PlanEntry& e = *chosen.front();
  if (!e.file)
    throw core::Failure(fmt::format("cannot redo {}_{}: its file is missing, so it could not be applied again",
                                    e.version, e.name),
                        "restore the file, or use `down` alone");
  if (e.state == core::EntryState::changed && !opt.allow_changed)
    throw core::Failure(fmt::format("{} changed since it was applied; redo would apply different SQL than what ran",
                                    e.file->display_path()),
                        "pass --allow-changed to revert the recorded version and apply the file as it is now");
  return e;
}

}  // namespace

Outcome cmd_redo(const core::Config& config, Reporter& reporter, const WriteOptions& opt) {
  auto p = prepare_write(config, reporter, "redo", {.parse = true, .dry_run = opt.dry_run});
  const core::PlanEntry& e = redo_target(p, opt);
  auto down = std::move(downs_of(*p.session, {&e}, lock_key_of(config), false).front());
  if (!down.note.empty()) reporter.progress("note: " + down.note);
  const auto& row = down.row;
  const auto& down_statements = down.statements;
  const auto& up_statements = p.up_statements.at(e.version);

  Outcome out;
  out.report.set("command", "redo").set("dry_run", opt.dry_run).set("target", p.session->target().display);
  out.report.set("version", e.version);
  if (opt.dry_run) {
    reporter.progress(fmt::format("would revert and re-apply {}_{}", e.version, e.name));
    return out;
  }
  confirm_production(config, reporter, opt, *p.session, fmt::format("redo {}_{}", e.version, e.name));
  reporter.progress(fmt::format("reverting {}_{}", e.version, e.name));
  auto reverted = apply_down(*p.session, row, down_statements, recorded_file(e), timeouts_of(config));
  reporter.progress(fmt::format("applying {}_{}", e.version, e.name));
  auto applied = apply_up(*p.session, *e.file, up_statements, timeouts_of(config));
  reporter.progress(fmt::format("redone   {}_{} in {} ms", e.version, e.name, reverted.duration_ms + applied.duration_ms));
  out.report.set("reverted", applied_json(reverted)).set("applied", applied_json(applied));
  refresh_schema_file(config, reporter, p.session->target().conninfo, p.session->ledger());
  return out;
}

}  // namespace runner
