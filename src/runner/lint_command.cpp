#include "runner/lint_command.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/discovery.hpp"
#include "core/migration.hpp"
#include "db/table_stats.hpp"
#include "local/cluster.hpp"
#include "local/process.hpp"
#include "runner/preamble.hpp"
#include "runner/session.hpp"

namespace runner {

namespace {

// A file named on the command line; one without a leading version is linted all the same (as an
// up-only file would be), in the order given.
core::Migration read_named(const std::string& given) {
  std::filesystem::path path(given);
  std::string name = path.filename().string();
  bool versioned = !name.empty() && name[0] >= '0' && name[0] <= '9';
  core::Migration m = core::parse_migration(core::read_file(path), versioned ? name : "0_" + name, path);
  if (!versioned) m.version.clear();
  return m;
}

}  // namespace

// The files not recorded as applied in the target's ledger, or nothing when no database is at hand
// without starting one.
std::optional<std::vector<core::Migration>> pending_files(const core::Config& config, Reporter& reporter,
                                                          std::vector<core::Migration> files, std::string& scope) {
  Target target = resolve_target(config);
  if (target.kind == Target::Kind::embedded && !local::LocalCluster(config.local_dir(), config.local_database()).running())
    return std::nullopt;
  std::set<std::string> applied;
  std::string where;
  try {
    ReadSession s(config, reporter, "lint");
    for (const auto& r : s.ledger().recorded_ups())
      if (r.state == "applied") applied.insert(r.version);
    where = s.target().display;
  } catch (const core::Error& e) {
    // Static analysis never depends on a server: without its ledger, every file is linted.
    reporter.notice("note: lint cannot read the ledger, so it lints every file: " + std::string(e.what()));
    return std::nullopt;
  }
  std::vector<core::Migration> out;
  for (auto& m : files)
    if (!applied.count(m.version)) out.push_back(std::move(m));
  scope = fmt::format("the {} pending migration(s) of {}", out.size(), where);
  return out;
}

lint::ChainOptions chain_options(const core::Config& config) {
  lint::ChainOptions out;
  for (const auto& setting : config.lint_settings()) {
    if (!lint::find_rule(setting.rule))
      throw core::UsageError(fmt::format("{}: [lint] names no lint rule '{}'", setting.origin, setting.rule),
                             "use a rule id from docs/lint.md (or `autocrm-migrate --format json lint` output)");
    out.levels[setting.rule] =
        setting.level == "off" ? std::nullopt : std::optional<core::Level>(core::parse_level(setting.level));
  }
  out.tool_sets_lock_timeout = config.lock_timeout().ms > 0;
  out.tool_sets_statement_timeout = config.statement_timeout().ms > 0;
  return out;
}

LintOutcome lint_migrations(const std::vector<const core::Migration*>& files, core::Level fail_on,
                            const lint::ChainOptions& options) {
  auto started = std::chrono::steady_clock::now();
  std::vector<lint::SectionInput> sections;
  std::vector<core::UsageError> errors;
  LintOutcome out;
  for (const auto* m : files) {
    if (!m->up.present) continue;
    try {
      lint::SectionInput s{m->display_path(), core::section_statements(*m, m->up), m->up.body, m->up.body_line,
                           m->up.transaction};
      out.stats.statements += s.statements.size();
      sections.push_back(std::move(s));
    } catch (const core::UsageError& e) {
      errors.push_back(e);
    }
  }
  if (!errors.empty()) throw core::combine_errors(errors, "migration files do not parse; nothing was linted");
  out.stats.files = files.size();
  out.findings = lint::lint_chain(sections, options);
  out.fail_on = fail_on;
  out.code = lint::fails(out.findings, fail_on) ? core::ExitCode::problems : core::ExitCode::ok;
  out.stats.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return out;
}

// The *.sql files of migrations_dir that git says were added or changed since ref (committed or
// not) or are new and untracked.
std::vector<std::string> changed_since(const core::Config& config, const std::string& ref) {
  std::string dir = config.migrations_dir().string();
  auto run = [&](std::vector<std::string> argv) {
    auto r = local::run_process(argv);
    if (r.exit_code != 0)
      throw core::UsageError(fmt::format("--since {}: git failed: {}", ref, r.output),
                             "run lint from inside the git checkout, with a ref git knows (e.g. origin/main)");
    return r.output;
  };
  std::string root = run({"git", "-C", dir, "rev-parse", "--show-toplevel"});
  root.erase(root.find_last_not_of("\n") + 1);
  std::string listed = run({"git", "-C", dir, "diff", "--name-only", "--diff-filter=ACMR", ref, "--", "."}) +
                       run({"git", "-C", dir, "ls-files", "--others", "--exclude-standard", "--full-name", "--", "."});
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < listed.size()) {
    std::size_t end = listed.find('\n', start);
    if (end == std::string::npos) end = listed.size();
    std::string name = listed.substr(start, end - start);
    if (name.ends_with(".sql")) {
      auto path = std::filesystem::path(root) / name;
      if (path.parent_path() == std::filesystem::weakly_canonical(config.migrations_dir())) out.push_back(path.string());
    }
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

LintOutcome cmd_lint(const core::Config& config, Reporter& reporter, const LintOptions& given) {
  LintOptions options = given;
  if ((options.all ? 1 : 0) + (options.files.empty() ? 0 : 1) + (options.since.empty() ? 0 : 1) > 1)
    throw core::UsageError("lint takes FILE..., --all or --since, one of them", "keep the one you mean");
  if (!options.since.empty()) {
    options.files = changed_since(config, options.since);
    if (options.files.empty()) {
      LintOutcome none;
      none.scope = fmt::format("no migration file added or changed since {}", options.since);
      none.fail_on = options.fail_on;
      return none;
    }
  }
  std::vector<core::Migration> files;
  std::string scope;
  if (options.files.empty()) {
    files = discover_files(config, reporter).files;
    scope = fmt::format("every migration file ({})", files.size());
    if (!options.all) {
      if (auto pending = pending_files(config, reporter, std::move(files), scope)) {
        files = std::move(*pending);
      } else {
        files = discover_files(config, reporter).files;
        scope = fmt::format("every migration file ({}): no reachable database is configured and the embedded one "
                            "is not running, so which are pending is unknown (lint never starts a database)",
                            files.size());
      }
    }
  } else {
    std::vector<core::UsageError> errors;
    for (const auto& f : options.files) {
      try {
        files.push_back(read_named(f));
      } catch (const core::UsageError& e) {
        errors.push_back(e);
      }
    }
    if (!errors.empty()) throw core::combine_errors(errors, "migration files cannot be linted");
    std::stable_sort(files.begin(), files.end(),
                     [](const core::Migration& a, const core::Migration& b) { return a.version < b.version; });
    scope = options.since.empty()
                ? fmt::format("the {} file(s) named", files.size())
                : fmt::format("the {} file(s) added or changed since {}", files.size(), options.since);
  }
  std::vector<const core::Migration*> pointers;
  for (const auto& m : files) pointers.push_back(&m);
  auto out = lint_migrations(pointers, options.fail_on, chain_options(config));
  if (options.catalog) {
    ReadSession s(config, reporter, "lint");
    lint::TargetCatalog catalog{"the target", db::read_row_estimates(s.db(), db::NameStyle::raw), {}};
    for (const auto& [key, type] : db::read_column_types(s.db()))
      catalog.columns[key] = lint::column_type_from_catalog(type.typname, type.typmod);
    lint::apply_catalog(out.findings, catalog);
    out.code = lint::fails(out.findings, options.fail_on) ? core::ExitCode::problems : core::ExitCode::ok;
    scope += ", levels from the catalog of " + s.target().display;
  }
  out.scope = scope;
  return out;
}

}  // namespace runner
