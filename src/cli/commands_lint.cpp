// The lint row: static analysis of migration files (no database).
#include <unistd.h>

#include <cstdlib>

#include "cli/command.hpp"
#include "runner/lint_command.hpp"

namespace cli {

namespace {

// Prints a lint outcome in the chosen format; text is coloured on a terminal unless NO_COLOR is set.
void print_lint(const RunContext& ctx, const runner::LintOutcome& out) {
  const std::string& format = ctx.global.format;
  if (format == "json") {
    core::Json report = lint::format_json(out.findings, out.stats, out.fail_on);
    report.set("scope", out.scope);
    if (ctx.reporter.notices().size() > 0) report.set("notices", ctx.reporter.notices());
    print_out(report.dump());
    return;
  }
  std::string text;
  if (format == "sarif") {
    text = lint::format_sarif(out.findings).dump();
  } else if (format == "github") {
    text = lint::format_github(out.findings);
  } else {
    const char* no_color = std::getenv("NO_COLOR");
    text = "lint: " + out.scope + "\n" +
           lint::format_text(out.findings, out.stats, out.fail_on, isatty(1) && !(no_color && *no_color));
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty()) print_out(text);
}

Command lint_command() {
  return {"lint",
          "analyse migration files' up sections with PostgreSQL's parser, without a database: what each statement "
          "locks or breaks and the safe way to write it; with no FILE and no --all, lints the pending migrations "
          "(every file when no database is configured or running: lint never starts one); exit 3 on findings at "
          "--fail-on",
          [](CLI::App& sub) -> Handler {
            auto fail_on = std::make_shared<std::string>("error");
            auto options = std::make_shared<runner::LintOptions>();
            sub.add_option("FILE", options->files, "migration files to lint, as one chain in version order");
            sub.add_flag("--all", options->all, "lint every migration file of migrations_dir");
            sub.add_flag("--catalog", options->catalog,
                         "read the configured database's tables: a lock on a table it lacks is info, on one under "
                         "10,000 rows a warning; messages give the row estimates");
            sub.add_option("--since", options->since,
                           "lint the migration files added or changed since GIT_REF (e.g. origin/main), as a "
                           "branch's review would");
            sub.add_option("--fail-on", *fail_on, "the level that makes lint exit 3")
                ->check(CLI::IsMember({"error", "warning", "info"}))
                ->capture_default_str();
            return [fail_on, options](RunContext& ctx) {
              options->fail_on = core::parse_level(*fail_on);
              auto out = runner::cmd_lint(ctx.config, ctx.reporter, *options);
              print_lint(ctx, out);
              return static_cast<int>(out.code);
            };
          },
          {"github", "sarif"}};
}

}  // namespace

std::vector<Command> lint_commands() { return {lint_command()}; }

}  // namespace cli
