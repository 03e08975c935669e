#include "runner/lint_command.hpp"

#include <algorithm>
#include <chrono>

#include "core/discovery.hpp"
#include "core/migration.hpp"
#include "runner/preamble.hpp"

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

LintOutcome cmd_lint(const core::Config& config, Reporter& reporter, const LintOptions& options) {
  auto started = std::chrono::steady_clock::now();
  if (options.all && !options.files.empty())
    throw core::UsageError("lint takes FILE... or --all, not both", "drop --all to lint only the files named");
  std::vector<core::Migration> files;
  if (options.files.empty()) {
    files = discover_files(config, reporter).files;
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
  }
  std::vector<lint::SectionInput> sections;
  std::vector<core::UsageError> errors;
  LintOutcome out;
  for (const auto& m : files) {
    if (!m.up.present) continue;
    try {
      lint::SectionInput s{m.display_path(), core::section_statements(m, m.up), m.up.body, m.up.body_line,
                           m.up.transaction};
      out.stats.statements += s.statements.size();
      sections.push_back(std::move(s));
    } catch (const core::UsageError& e) {
      errors.push_back(e);
    }
  }
  if (!errors.empty()) throw core::combine_errors(errors, "migration files do not parse; nothing was linted");
  out.stats.files = files.size();
  out.findings = lint::lint_chain(sections);
  out.fail_on = options.fail_on;
  out.code = lint::fails(out.findings, options.fail_on) ? core::ExitCode::problems : core::ExitCode::ok;
  out.stats.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace runner
