// The writing commands' rows: up, down, redo, repair, baseline.
#include "cli/command.hpp"
#include "core/error.hpp"

namespace cli {

namespace {

void add_dry_run(CLI::App& sub, runner::WriteOptions& write, const char* help = "print what would run; change nothing") {
  sub.add_flag("--dry-run", write.dry_run, help);
}

runner::WriteOptions confirmed(const runner::WriteOptions& write, const RunContext& ctx) {
  runner::WriteOptions w = write;
  w.yes = ctx.global.yes;
  return w;
}

Command up_command() {
  return {"up", "apply pending migrations in version order, each in one transaction with its ledger row",
          [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string to;
              int step = 0;
              runner::WriteOptions write;
            };
            auto o = options_of<Opt>();
            sub.add_option("--to", o->to, "apply up to and including this version");
            sub.add_option("--step", o->step, "apply at most this many migrations");
            add_dry_run(sub, o->write);
            sub.add_flag("--allow-changed", o->write.allow_changed, "apply even though applied files changed since");
            sub.add_flag("--allow-out-of-order", o->write.allow_out_of_order,
                         "apply files older than the newest applied one");
            return [o](RunContext& ctx) {
              core::UpSelection sel;
              if (!o->to.empty()) sel.to = o->to;
              if (o->step) sel.step = o->step;
              return finish(ctx, runner::cmd_up(ctx.config, ctx.reporter, sel, confirmed(o->write, ctx)));
            };
          }};
}

Command down_command() {
  return {"down", "revert applied migrations, newest first, with the down SQL recorded when they were applied",
          [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string to;
              int step = 0;
              bool all = false, use_file_down = false;
              runner::WriteOptions write;
            };
            auto o = options_of<Opt>();
            auto* step = sub.add_option("--step", o->step, "revert this many migrations (default 1)");
            auto* to = sub.add_option("--to", o->to, "revert every migration newer than this version (0: all)");
            auto* all = sub.add_flag("--all", o->all, "revert every applied migration");
            step->excludes(to)->excludes(all);
            to->excludes(all);
            sub.add_flag("--use-file-down", o->use_file_down,
                         "revert with each file's down section instead of the SQL recorded when it was applied");
            add_dry_run(sub, o->write);
            return [o](RunContext& ctx) {
              core::DownSelection sel;
              if (!o->to.empty()) sel.to = o->to;
              if (o->step) sel.step = o->step;
              sel.all = o->all;
              sel.use_file_down = o->use_file_down;
              return finish(ctx, runner::cmd_down(ctx.config, ctx.reporter, sel, confirmed(o->write, ctx)));
            };
          }};
}

Command redo_command() {
  return {"redo", "revert the newest applied migration and apply it again", [](CLI::App& sub) -> Handler {
            auto o = options_of<runner::WriteOptions>();
            add_dry_run(sub, *o);
            sub.add_flag("--allow-changed", o->allow_changed, "redo even though the file changed since it was applied");
            return [o](RunContext& ctx) {
              return finish(ctx, runner::cmd_redo(ctx.config, ctx.reporter, confirmed(*o, ctx)));
            };
          }};
}

Command repair_command() {
  return {"repair", "resolve a migration that failed part-way outside a transaction, after fixing the database by hand",
          [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string version;
              bool applied = false, rolled_back = false;
            };
            auto o = options_of<Opt>();
            sub.add_option("VERSION", o->version, "the failed migration's version")->required();
            auto* ra = sub.add_flag("--applied", o->applied, "its changes are complete: record it as applied");
            auto* rr = sub.add_flag("--rolled-back", o->rolled_back, "its changes are undone: remove it from the ledger");
            ra->excludes(rr);
            sub.callback([o] {
              if (!o->applied && !o->rolled_back)
                throw core::UsageError("repair needs --applied or --rolled-back: say what state you left the database in");
            });
            return [o](RunContext& ctx) {
              runner::WriteOptions write;
              return finish(ctx, runner::cmd_repair(ctx.config, ctx.reporter, o->version, o->applied,
                                                    confirmed(write, ctx)));
            };
          }};
}

Command baseline_command() {
  return {"baseline", "adopt an existing database: record every migration up to VERSION, or what another tool's ledger (--from) says it applied, as applied without running it",
          [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string version, from, from_table;
              runner::WriteOptions write;
            };
            auto o = options_of<Opt>();
            sub.add_option("VERSION", o->version, "the newest version the database already has (not with --from)");
            sub.add_option("--from", o->from,
                           "read what another tool applied from its ledger: supabase, dbmate, golang-migrate, flyway");
            sub.add_option("--from-table", o->from_table,
                           "that tool's ledger table as SCHEMA.TABLE when not its default");
            add_dry_run(sub, o->write, "print what would be recorded; change nothing");
            return [o](RunContext& ctx) {
              if (o->from.empty() == o->version.empty())
                throw core::UsageError("baseline needs either VERSION or --from TOOL",
                                       "e.g. `baseline 20260101000000` or `baseline --from supabase`");
              if (!o->from.empty())
                return finish(ctx, runner::cmd_baseline_from(ctx.config, ctx.reporter, o->from, o->from_table,
                                                             confirmed(o->write, ctx)));
              return finish(ctx, runner::cmd_baseline(ctx.config, ctx.reporter, o->version, confirmed(o->write, ctx)));
            };
          }};
}

}  // namespace

std::vector<Command> migrate_commands() {
  return {up_command(), down_command(), redo_command(), repair_command(), baseline_command()};
}

}  // namespace cli
