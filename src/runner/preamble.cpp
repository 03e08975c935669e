#include "runner/preamble.hpp"

#include "core/discovery.hpp"
#include "core/lock_key.hpp"
#include "core/section_check.hpp"
#include "runner/interrupt.hpp"

namespace runner {

FileCheck check_files(const std::vector<core::Migration>& files, std::int64_t lock_key, bool down_is_fatal) {
  FileCheck out;
  auto take = [&](core::CheckedSection&& c, bool fatal = true) {
    auto& r = c.report;
    if (fatal) out.errors.insert(out.errors.end(), r.errors.begin(), r.errors.end());
    else
      for (const auto& e : r.errors)
        out.warnings.push_back(std::string(e.what()) +
                               "\n  (a down section: not run by this command; `validate` and `down` refuse it)");
    out.warnings.insert(out.warnings.end(), r.warnings.begin(), r.warnings.end());
    out.notes.insert(out.notes.end(), r.notes.begin(), r.notes.end());
    return std::move(c.statements);
  };
  for (const auto& m : files) {
    out.up[m.version] = take(core::check_migration_section(m, m.up, "up", lock_key));
    if (m.down.present && !m.down.irreversible)
      take(core::check_migration_section(m, m.down, "down", lock_key), down_is_fatal);
  }
  return out;
}

namespace {

// Splits and checks every section before any connection: any problem anywhere is a file error
// (exit 2) that touches no database, and every one is reported. Returns the up statements.
std::map<std::string, core::StatementList> parse_all(const std::vector<core::Migration>& files, std::int64_t key,
                                                     Reporter& reporter) {
  FileCheck checked = check_files(files, key, false);
  for (const auto& w : checked.warnings) reporter.progress("warning: " + w);
  if (!checked.errors.empty())
    throw core::combine_errors(checked.errors, "problems in the migration files; nothing was applied");
  return std::move(checked.up);
}

}  // namespace

core::Discovered discover_files(const core::Config& config, Reporter& reporter) {
  auto found = core::discover(config.migrations_dir(),
                              config.strict_names() ? core::NameRules::strict : core::NameRules::compatible);
  for (const auto& s : found.skipped) reporter.progress("warning: " + s);
  return found;
}

std::int64_t lock_key_of(const core::Config& config) {
  return core::migration_lock_key(config.ledger_schema(), config.ledger_table());
}

std::unique_ptr<db::MigrationLock> take_lock(const core::Config& config, WriteSession& s) {
  auto lock = std::make_unique<db::MigrationLock>(
      s.db(), lock_key_of(config), config.lock_wait().ms,
      [&](const std::string& holder) { s.reporter().progress("waiting for the migration lock held by " + holder); },
      [] { return interrupted_by() != 0; });
  if (!lock->held()) throw_if_interrupted("while waiting for the migration lock: nothing was applied");
  return lock;
}

Prepared prepare_write(const core::Config& config, Reporter& reporter, const std::string& command,
                       const PreambleOptions& options) {
  Prepared p;
  p.interrupts = std::make_unique<InterruptGuard>();
  if (options.discover) p.files = discover_files(config, reporter).files;
  if (options.parse) p.up_statements = parse_all(p.files, lock_key_of(config), reporter);
  if (options.before_connect) options.before_connect(p.files);
  p.session = std::make_unique<WriteSession>(config, reporter, command);
  cancel_target(&p.session->db());
  if (!options.dry_run) p.lock = take_lock(config, *p.session);
  p.ledger_was_missing = !p.session->ledger().exists(options.adopt);
  if (!options.dry_run && options.ensure_ledger) p.session->ledger().ensure(options.adopt);
  if (!options.dry_run && config.supabase_ledger() && options.discover) p.session->ledger().ensure_supabase_mirror();
  p.plan = core::build_plan(p.files, p.session->ledger().rows(options.adopt));
  return p;
}

}  // namespace runner
