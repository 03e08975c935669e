// The schema commands' rows: drift (is the database what its migrations make?) and dump (the
// schema file to review and commit).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "runner/drift_command.hpp"
#include "runner/dump_command.hpp"
#include "lint/report.hpp"
#include "runner/trace_command.hpp"

namespace cli {

namespace {

void print_drift(const RunContext& ctx, const runner::DriftOutcome& out) {
  const std::string& format = ctx.global.format;
  if (format == "json") {
    core::Json report = runner::drift_json(out);
    if (ctx.reporter.notices().size() > 0) report.set("notices", ctx.reporter.notices());
    print_out(report.dump());
    return;
  }
  std::string text = format == "github" ? drift::format_github(out.differences) : drift::format_text(out.differences);
  if (format != "github") {
    text += fmt::format("compared with {} ({} migration{} replayed{}) in {} ms\n", out.shadow, out.replayed,
                        out.replayed == 1 ? "" : "s", out.reused ? " earlier, reused" : "", out.elapsed_ms);
    if (out.from_ledger > 0)
      text += fmt::format("note: {} of them from the SQL recorded in the target's ledger: their files are missing or "
                          "changed here\n",
                          out.from_ledger);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty()) print_out(text);
}

Command drift_command() {
  return {"drift",
          "compare the database, object by object, with what its applied migrations make (replayed on a shadow "
          "database); exit 3 on any difference",
          [](CLI::App&) -> Handler {
            return [](RunContext& ctx) {
              auto out = runner::cmd_drift(ctx.config, ctx.reporter);
              print_drift(ctx, out);
              return static_cast<int>(out.code);
            };
          },
          {"github"}};
}

void print_dump(const core::Json&) {}

Command dump_command() {
  return {"dump",
          "write the schema file (schema_file: pg_dump --schema-only made deterministic, applied versions appended); "
          "--check: exit 3 when the file differs from the database",
          [](CLI::App& sub) -> Handler {
            auto check = std::make_shared<bool>(false);
            auto file = std::make_shared<std::string>();
            sub.add_flag("--check", *check, "compare with the file instead of writing it; exit 3 with a diff when they differ");
            sub.add_option("--file", *file, "the file to write or compare (default: schema_file)");
            return [check, file](RunContext& ctx) {
              return finish(ctx, runner::cmd_dump(ctx.config, ctx.reporter, *check, *file), print_dump);
            };
          }};
}

Command trace_command() {
  return {"trace",
          "run migrations (default: the pending ones) statement by statement on a shadow database holding the applied "
          "chain and report the locks each takes, what they block, rewrites, and how long they are held, next to lint's "
          "findings; exit 3 when the trace confirms a lint error",
          [](CLI::App& sub) -> Handler {
            auto files = std::make_shared<std::vector<std::string>>();
            sub.add_option("files", *files, "migration files to trace (default: the target's pending migrations)");
            return [files](RunContext& ctx) {
              auto out = runner::cmd_trace(ctx.config, ctx.reporter, *files);
              if (ctx.global.format == "sarif") {
                print_out(lint::format_sarif(runner::trace_findings(out), {runner::trace_blocking_rule()}).dump());
              } else if (ctx.global.format == "github") {
                std::string text = lint::format_github(runner::trace_findings(out));
                if (!text.empty()) print_out(text.substr(0, text.size() - 1));
              } else if (ctx.format == Format::json) {
                core::Json report = runner::trace_json(out);
                if (ctx.reporter.notices().size() > 0) report.set("notices", ctx.reporter.notices());
                print_out(report.dump());
              } else {
                std::string text = runner::trace_text(out);
                text.pop_back();
                print_out(text);
              }
              return static_cast<int>(out.code);
            };
          },
          {"github", "sarif"}};
}

}  // namespace

std::vector<Command> schema_commands() { return {drift_command(), dump_command(), trace_command()}; }

}  // namespace cli
