// The schema commands' rows: drift (is the database what its migrations make?) and dump (the
// schema file to review and commit).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "runner/drift_command.hpp"
#include "runner/dump_command.hpp"

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

}  // namespace

std::vector<Command> schema_commands() { return {drift_command(), dump_command()}; }

}  // namespace cli
