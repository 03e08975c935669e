#include "runner/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "core/discovery.hpp"
#include "db/diagnose.hpp"
#include "db/lock.hpp"
#include "runner/apply.hpp"
#include "runner/session.hpp"

namespace runner {

namespace {

Timeouts timeouts_of(const core::Config& config) {
  return {config.get("lock_timeout"), config.get("statement_timeout"), static_cast<int>(config.count("lock_retries"))};
}

// Splits every section of every file (up, and down unless irreversible) before any connection:
// a syntax error or psql meta-command anywhere is a file error (exit 2) and touches no database.
// Returns the up statements by version.
std::map<std::string, std::vector<core::Statement>> parse_all(const std::vector<core::Migration>& files) {
  std::map<std::string, std::vector<core::Statement>> up;
  for (const auto& m : files) {
    up[m.version] = core::section_statements(m, m.up);
    if (!m.down.irreversible) core::section_statements(m, m.down);
  }
  return up;
}

// Invalid indexes in the database, as advice for a failed migration ("" when none or unknown).
std::string left_behind(Session& s) {
  try {
    return db::invalid_index_advice(db::invalid_indexes(s.conn()));
  } catch (const std::exception&) {
    return {};
  }
}

bool has_failed(const std::vector<core::PlanEntry>& plan) {
  return std::any_of(plan.begin(), plan.end(),
                     [](const core::PlanEntry& e) { return e.state == core::EntryState::failed; });
}

// Runs a selection, adding what a failed migration left behind to the refusal it may throw.
template <class Select>
auto select_or_explain(Session& s, const std::vector<core::PlanEntry>& plan, Select select) {
  try {
    return select();
  } catch (const core::Failure& e) {
    if (!has_failed(plan)) throw;
    std::string advice = left_behind(s);
    if (advice.empty()) throw;
    throw core::Failure(std::string(e.what()) + "\n  left behind: " + advice, e.hint());
  }
}

// Takes the migration lock for a writing command, reporting when it has to wait.
std::unique_ptr<db::MigrationLock> take_lock(const core::Config& config, Session& s, Reporter& reporter) {
  return std::make_unique<db::MigrationLock>(
      s.conn(), db::lock_key(config.get("ledger_schema"), config.get("ledger_table")), config.duration_ms("lock_wait"),
      [&](const std::string& holder) { reporter.progress("waiting for the migration lock held by " + holder); });
}

// In a production environment, asks on a terminal or requires --yes; throws UsageError otherwise.
void confirm_production(const core::Config& config, Reporter& reporter, const WriteOptions& opt, Session& s,
                        const std::string& action) {
  if (!config.boolean("production") || opt.yes || opt.dry_run) return;
  std::string env = config.env().text.empty() ? "production" : config.env().text;
  std::string question = fmt::format("{} on {} ({}, {})?", action, env, s.target().display, s.conn().describe());
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

// The down statements of e as recorded in the ledger.
// The down SQL recorded for each entry, split into statements: one query for all of them, not one
// round trip per migration.
std::vector<std::pair<core::LedgerRow, std::vector<core::Statement>>> downs_of(
    Session& s, const std::vector<const core::PlanEntry*>& entries) {
  std::vector<std::string> versions;
  for (const auto* e : entries) versions.push_back(e->version);
  auto rows = s.ledger().rows_with_down(versions);
  std::vector<std::pair<core::LedgerRow, std::vector<core::Statement>>> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto statements = core::split_statements(rows[i].down_sql, recorded_file(*entries[i]), rows[i].down_line);
    out.emplace_back(std::move(rows[i]), std::move(statements));
  }
  return out;
}

}  // namespace

Outcome cmd_up(const core::Config& config, Reporter& reporter, const core::UpSelection& sel, const WriteOptions& opt) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  // Every section is parsed before anything runs, before connecting even: a syntax error in the
  // third file applies nothing and touches no database.
  auto parsed = parse_all(files);
  Session s(config, reporter, "up");
  std::unique_ptr<db::MigrationLock> lock;
  if (!opt.dry_run) {
    lock = take_lock(config, s, reporter);
    s.ledger().ensure();
  }
  auto plan = core::build_plan(files, s.ledger().rows());
  core::UpSelection selection = sel;
  selection.allow_changed = opt.allow_changed;
  selection.allow_out_of_order = opt.allow_out_of_order;
  auto chosen = select_or_explain(s, plan, [&] { return core::select_up(plan, selection); });

  std::vector<std::vector<core::Statement>> statements;
  for (const auto* e : chosen) statements.push_back(parsed.at(e->version));

  Outcome out;
  out.report.set("command", "up").set("dry_run", opt.dry_run).set("target", s.target().display);
  core::Json list = core::Json::array();
  if (opt.dry_run) {
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      const auto& m = *chosen[i]->file;
      reporter.progress(fmt::format("would apply {}_{} ({} statements{})", m.version, m.name, statements[i].size(),
                                    m.up.transaction ? "" : ", outside a transaction"));
      list.push(applied_json({m.version, m.name, statements[i].size(), m.up.transaction, 0}));
    }
    out.report.set("migrations", list);
    return out;
  }
  if (!chosen.empty())
    confirm_production(config, reporter, opt, s, fmt::format("apply {} migration(s)", chosen.size()));
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& m = *chosen[i]->file;
    reporter.progress(fmt::format("applying {}_{}", m.version, m.name));
    auto applied = apply_up(s, m, statements[i], timeouts_of(config));
    reporter.progress(fmt::format("applied  {}_{} in {} ms", m.version, m.name, applied.duration_ms));
    list.push(applied_json(applied));
  }
  out.report.set("migrations", list);
  if (chosen.empty()) reporter.progress("nothing to apply: the database is up to date");
  return out;
}

Outcome cmd_down(const core::Config& config, Reporter& reporter, const core::DownSelection& sel,
                 const WriteOptions& opt) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  Session s(config, reporter, "down");
  std::unique_ptr<db::MigrationLock> lock;
  if (!opt.dry_run) lock = take_lock(config, s, reporter);
  auto plan = core::build_plan(files, s.ledger().rows());
  auto chosen = select_or_explain(s, plan, [&] { return core::select_down(plan, sel); });

  auto downs = downs_of(s, chosen);

  Outcome out;
  out.report.set("command", "down").set("dry_run", opt.dry_run).set("target", s.target().display);
  core::Json list = core::Json::array();
  if (!opt.dry_run && !chosen.empty())
    confirm_production(config, reporter, opt, s, fmt::format("revert {} migration(s)", chosen.size()));
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& [row, statements] = downs[i];
    if (opt.dry_run) {
      reporter.progress(fmt::format("would revert {}_{} ({} statements)", row.version, row.name, statements.size()));
      list.push(applied_json({row.version, row.name, statements.size(), row.down_transaction, 0}));
      continue;
    }
    reporter.progress(fmt::format("reverting {}_{}", row.version, row.name));
    auto done = apply_down(s, row, statements, recorded_file(*chosen[i]), timeouts_of(config));
    reporter.progress(fmt::format("reverted {}_{} in {} ms", row.version, row.name, done.duration_ms));
    list.push(applied_json(done));
  }
  out.report.set("migrations", list);
  if (chosen.empty()) reporter.progress("nothing to revert");
  return out;
}

Outcome cmd_redo(const core::Config& config, Reporter& reporter, const WriteOptions& opt) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  auto parsed = parse_all(files);
  Session s(config, reporter, "redo");
  std::unique_ptr<db::MigrationLock> lock;
  if (!opt.dry_run) lock = take_lock(config, s, reporter);
  auto plan = core::build_plan(files, s.ledger().rows());
  auto chosen = select_or_explain(s, plan, [&] { return core::select_down(plan, core::DownSelection{}); });
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
  auto [row, down_statements] = downs_of(s, {&e}).front();
  auto up_statements = parsed.at(e.version);

  Outcome out;
  out.report.set("command", "redo").set("dry_run", opt.dry_run).set("target", s.target().display);
  out.report.set("version", e.version);
  if (opt.dry_run) {
    reporter.progress(fmt::format("would revert and re-apply {}_{}", e.version, e.name));
    return out;
  }
  confirm_production(config, reporter, opt, s, fmt::format("redo {}_{}", e.version, e.name));
  reporter.progress(fmt::format("reverting {}_{}", e.version, e.name));
  auto reverted = apply_down(s, row, down_statements, recorded_file(e), timeouts_of(config));
  reporter.progress(fmt::format("applying {}_{}", e.version, e.name));
  auto applied = apply_up(s, *e.file, up_statements, timeouts_of(config));
  reporter.progress(fmt::format("redone   {}_{} in {} ms", e.version, e.name, reverted.duration_ms + applied.duration_ms));
  out.report.set("reverted", applied_json(reverted)).set("applied", applied_json(applied));
  return out;
}

Outcome cmd_status(const core::Config& config, Reporter& reporter, bool exit_code) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  Session s(config, reporter, "status");
  auto rows = s.ledger().rows();
  // A failed migration may have left invalid indexes (a CREATE INDEX CONCURRENTLY that failed or was
  // interrupted): each failed row says which, and what to drop.
  core::Json invalid = core::Json::array();
  if (std::any_of(rows.begin(), rows.end(), [](const core::LedgerRow& r) { return r.state == "failed"; })) {
    std::vector<db::InvalidIndex> indexes;
    try {
      indexes = db::invalid_indexes(s.conn());
    } catch (const std::exception&) {
    }
    for (const auto& i : indexes)
      invalid.push(core::Json::object().set("index", i.name).set("table", i.table).set(
          "advice", "drop index concurrently " + i.name));
    for (auto& r : rows) {
      if (r.state != "failed") continue;
      std::vector<db::InvalidIndex> unmentioned;
      for (const auto& i : indexes)
        if (r.error.find("drop index concurrently " + i.name) == std::string::npos) unmentioned.push_back(i);
      if (!unmentioned.empty())
        r.error += (r.error.empty() ? "" : "; ") + ("left behind: " + db::invalid_index_advice(unmentioned));
    }
  }
  auto plan = core::build_plan(files, rows);
  auto summary = core::summarize(plan);
  Outcome out;
  core::Json list = core::Json::array();
  for (const auto& e : plan) list.push(core::entry_json(e));
  core::Json counts = core::Json::object();
  counts.set("applied", summary.applied).set("pending", summary.pending).set("out_of_order", summary.out_of_order);
  counts.set("changed", summary.changed).set("missing", summary.missing).set("failed", summary.failed);
  out.report.set("command", "status").set("target", s.target().display).set("ledger", s.ledger().display_name());
  out.report.set("migrations", list).set("summary", counts).set("clean", summary.clean());
  if (invalid.size() > 0) out.report.set("invalid_indexes", invalid);
  if (exit_code && !summary.clean()) out.code = core::ExitCode::problems;
  return out;
}

Outcome cmd_validate(const core::Config& config, Reporter& reporter) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  for (const auto& m : files) {
    core::section_statements(m, m.up);
    if (!m.down.irreversible) core::section_statements(m, m.down);
  }
  Session s(config, reporter, "validate");
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
  if (problems.size() > 0) out.code = core::ExitCode::problems;
  return out;
}

Outcome cmd_repair(const core::Config& config, Reporter& reporter, const std::string& version, bool applied,
                   const WriteOptions& opt) {
  Session s(config, reporter, "repair");
  auto lock = take_lock(config, s, reporter);
  auto rows = s.ledger().rows();
  auto it = std::find_if(rows.begin(), rows.end(), [&](const core::LedgerRow& r) { return r.version == version; });
  if (it == rows.end() || it->state != "failed")
    throw core::Failure(fmt::format("version {} is not a failed migration; there is nothing to repair", version),
                        "`autocrm-migrate status` shows failed migrations");
  Outcome out;
  out.report.set("command", "repair").set("version", version).set("resolution", applied ? "applied" : "rolled-back");
  out.report.set("error", it->error);
  // What a failed CREATE INDEX CONCURRENTLY left behind is never used and slows writes: say what to drop.
  core::Json invalid = core::Json::array();
  std::vector<db::InvalidIndex> indexes;
  try {
    indexes = db::invalid_indexes(s.conn());
  } catch (const std::exception&) {
  }
  for (const auto& i : indexes) {
    invalid.push(core::Json::object().set("index", i.name).set("table", i.table).set(
        "advice", "drop index concurrently " + i.name));
    reporter.progress(fmt::format("warning: invalid index {} (on {}) is still there, never used and slowing writes: "
                                  "drop index concurrently {};{}",
                                  i.name, i.table, i.name,
                                  applied ? "" : " (re-applying the migration would fail on it)"));
  }
  out.report.set("invalid_indexes", invalid);
  if (opt.dry_run) return out;
  confirm_production(config, reporter, opt, s, fmt::format("mark {} as {}", version, applied ? "applied" : "rolled back"));
  if (applied) s.ledger().mark_applied(version, it->execution_ms);
  else s.ledger().remove(version);
  reporter.progress(fmt::format("{} marked {}", version, applied ? "applied" : "rolled back (removed from the ledger)"));
  return out;
}

Outcome cmd_baseline(const core::Config& config, Reporter& reporter, const std::string& version,
                     const WriteOptions& opt) {
  auto files = core::discover_migrations(config.path("migrations_dir"));
  if (std::none_of(files.begin(), files.end(), [&](const core::Migration& m) { return m.version == version; }))
    throw core::UsageError(fmt::format("baseline {}: no migration file has this version", version));
  Session s(config, reporter, "baseline");
  std::unique_ptr<db::MigrationLock> lock;
  if (!opt.dry_run) {
    lock = take_lock(config, s, reporter);
    s.ledger().ensure();
  }
  auto plan = core::build_plan(files, s.ledger().rows());
  std::vector<const core::Migration*> adopt;
  for (const auto& e : plan) {
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
  confirm_production(config, reporter, opt, s, fmt::format("record {} migration(s) as applied", adopt.size()));
  s.ledger().record_baseline(adopt, s.applied_from());
  reporter.progress(fmt::format("recorded {} migration(s) up to {} as applied (not run)", adopt.size(), version));
  return out;
}

}  // namespace runner
