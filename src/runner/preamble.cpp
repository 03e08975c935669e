#include "runner/preamble.hpp"

#include "core/discovery.hpp"

namespace runner {

namespace {

// Splits every section of every file (up, and down unless irreversible) before any connection:
// a syntax error or psql meta-command anywhere is a file error (exit 2) and touches no database.
// Returns the up statements by version.
std::map<std::string, core::StatementList> parse_all(const std::vector<core::Migration>& files) {
  std::map<std::string, core::StatementList> up;
  for (const auto& m : files) {
    up[m.version] = core::section_statements(m, m.up);
    if (!m.down.irreversible) core::section_statements(m, m.down);
  }
  return up;
}

}  // namespace

std::unique_ptr<db::MigrationLock> take_lock(const core::Config& config, WriteSession& s) {
  return std::make_unique<db::MigrationLock>(
      s.db(), db::lock_key(config.ledger_schema(), config.ledger_table()), config.lock_wait().ms,
      [&](const std::string& holder) { s.reporter().progress("waiting for the migration lock held by " + holder); });
}

Prepared prepare_write(const core::Config& config, Reporter& reporter, const std::string& command,
                       const PreambleOptions& options) {
  Prepared p;
  if (options.discover) p.files = core::discover_migrations(config.migrations_dir());
  if (options.parse) p.up_statements = parse_all(p.files);
  if (options.before_connect) options.before_connect(p.files);
  p.session = std::make_unique<WriteSession>(config, reporter, command);
  if (!options.dry_run) {
    p.lock = take_lock(config, *p.session);
    if (options.ensure_ledger) p.session->ledger().ensure();
  }
  p.plan = core::build_plan(p.files, p.session->ledger().rows());
  return p;
}

}  // namespace runner
