// The read-only commands' rows: status, validate, check.
#include <unistd.h>

#include <cstdlib>

#include "check/report.hpp"
#include "cli/command.hpp"
#include "cli/text_report.hpp"
#include "runner/check_command.hpp"

namespace cli {

namespace {

Command status_command() {
  return {"status", "list every migration: applied, pending, out-of-order, changed, missing, failed",
          [](CLI::App& sub) -> Handler {
            auto exit_code = std::make_shared<bool>(false);
            sub.add_flag("--exit-code", *exit_code, "exit 3 unless everything is applied and clean");
            return [exit_code](RunContext& ctx) {
              return finish(ctx, runner::cmd_status(ctx.config, ctx.reporter, *exit_code), print_status);
            };
          }};
}

Command validate_command() {
  return {"validate", "check that files parse, match the ledger's checksums and are in order; exit 3 naming each problem",
          [](CLI::App&) -> Handler {
            return [](RunContext& ctx) {
              return finish(ctx, runner::cmd_validate(ctx.config, ctx.reporter), print_validate);
            };
          }};
}

// Prints a check outcome in the chosen format; text is coloured on a terminal unless NO_COLOR is set.
void print_check(const RunContext& ctx, const runner::CheckOutcome& out) {
  const std::string& format = ctx.global.format;
  if (format == "json") {
    core::Json report = check::format_json(out.findings, out.stats, out.fail_on);
    report.set("target", out.target);
    if (ctx.reporter.notices().size() > 0) report.set("notices", ctx.reporter.notices());
    core::Json ordered = core::Json::object();
    for (const char* key : {"command", "target", "findings", "summary", "notices"})
      if (!report[key].is_null()) ordered.set(key, report[key]);
    print_out(ordered.dump());
    return;
  }
  std::string text;
  if (format == "junit") {
    text = check::format_junit(out.findings, out.stats, out.fail_on);
  } else if (format == "github") {
    text = check::format_github(out.findings);
  } else {
    const char* no_color = std::getenv("NO_COLOR");
    text = check::format_text(out.findings, out.stats, out.fail_on, isatty(1) && !(no_color && *no_color));
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() || format != "github") print_out(text);
}

Command check_command() {
  return {"check",
          "compare the database with the documented schema (declaration): RLS coverage, triggers, indexes, and "
          "security and performance lints",
          [](CLI::App& sub) -> Handler {
            auto fail_on = std::make_shared<std::string>("error");
            auto options = std::make_shared<runner::CheckOptions>();
            auto schemas = std::make_shared<std::vector<std::string>>();
            sub.add_option("--fail-on", *fail_on, "the level that makes check exit 3")
                ->check(CLI::IsMember({"error", "warning", "info"}))
                ->capture_default_str();
            sub.add_flag("--no-declaration", options->no_declaration,
                         "run only the rules that need no declaration (the default when no declaration file exists "
                         "and `declaration` is not set), e.g. on any Supabase database");
            sub.add_option("--exposed-schemas", *schemas,
                           "the schemas the API serves, comma-separated (default: the declaration's, else public)")
                ->delimiter(',');
            return [fail_on, options, schemas](RunContext& ctx) {
              options->fail_on = core::parse_level(*fail_on);
              if (!schemas->empty()) {
                options->exposed_schemas = *schemas;
                options->exposed_schemas_given = true;
              }
              auto out = runner::cmd_check(ctx.config, ctx.reporter, *options);
              print_check(ctx, out);
              return static_cast<int>(out.code);
            };
          },
          {"junit", "github"}};
}

}  // namespace

std::vector<Command> inspect_commands() { return {status_command(), validate_command(), check_command()}; }

}  // namespace cli
