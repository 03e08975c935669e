// The project commands' rows: new, config show, dev.
#include "cli/command.hpp"
#include "cli/text_report.hpp"
#include "core/error.hpp"
#include "local/cluster.hpp"
#include "local/process.hpp"
#include "runner/new_migration.hpp"
#include "runner/session.hpp"

namespace cli {

namespace {

Command new_command() {
  return {"new", "create a timestamped migration file from a template", [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string name, template_name = "plain", table;
            };
            auto o = options_of<Opt>();
            sub.add_option("NAME", o->name, "descriptive name: lowercase letters, digits, '_'")->required();
            sub.add_option("--template,-t", o->template_name, "template in templates_dir: plain, table")
                ->capture_default_str();
            sub.add_option("--table", o->table, "table name for the table template (default: NAME without create_)");
            return [o](RunContext& ctx) {
              return finish(ctx, runner::cmd_new(ctx.config, o->name, o->template_name, o->table), print_new);
            };
          }};
}

runner::Outcome config_show(const core::Config& c) {
  runner::Outcome out;
  core::Json values = core::Json::array();
  for (const auto& [key, v] : c.entries())
    values.push(core::Json::object().set("key", key).set("value", v.text).set("origin", v.origin));
  out.report.set("command", "config show");
  out.report.set("file", c.file() ? core::Json(c.file()->string()) : core::Json());
  out.report.set("env", c.env().text.empty() ? core::Json() : core::Json(c.env().text));
  out.report.set("target", runner::resolve_target(c).display).set("values", values);
  return out;
}

Command config_command() {
  return {"config", "show the effective configuration", [](CLI::App& sub) -> Handler {
            sub.require_subcommand(1);
            sub.add_subcommand("show", "every effective value and where it came from (password masked)");
            return [](RunContext& ctx) { return finish(ctx, config_show(ctx.config), print_config); };
          }};
}

runner::Outcome dev(const std::string& action, const std::vector<std::string>& psql_args, RunContext& ctx) {
  local::LocalCluster cluster(ctx.config.local_dir(), ctx.config.local_database());
  auto progress = [&](const std::string& line) { ctx.reporter.progress(line); };
  runner::Outcome out;
  out.report.set("command", "dev " + action);
  if (action == "start") cluster.ensure_running(progress);
  else if (action == "stop") cluster.stop();
  else if (action == "reset") cluster.reset(progress);
  else if (action == "psql") {
    cluster.ensure_running(progress);
    std::vector<std::string> argv{"psql", cluster.url()};
    argv.insert(argv.end(), psql_args.begin(), psql_args.end());
    local::exec_process(argv);
    throw core::Failure("cannot run psql", "apt-get install -y postgresql-client-15");
  }
  out.report.set("cluster", cluster.status_json());
  return out;
}

Command dev_command() {
  return {"dev", "manage the embedded local PostgreSQL used when no database URL is set", [](CLI::App& sub) -> Handler {
            struct Opt {
              std::string action;
              std::vector<std::string> psql_args;
            };
            auto o = options_of<Opt>();
            sub.require_subcommand(1);
            for (auto [name, help] : std::initializer_list<std::pair<const char*, const char*>>{
                     {"start", "create (first time) and start it"},
                     {"stop", "stop it"},
                     {"status", "whether it runs, and where its files are"},
                     {"reset", "drop and recreate its database (all data lost)"},
                     {"url", "print its connection URL"},
                     {"psql", "open psql on it (arguments after -- go to psql)"}}) {
              auto* action = sub.add_subcommand(name, help);
              if (std::string(name) == "psql") action->add_option("ARGS", o->psql_args, "arguments for psql");
              action->callback([o, name = std::string(name)] { o->action = name; });
            }
            return [o](RunContext& ctx) { return finish(ctx, dev(o->action, o->psql_args, ctx), print_dev); };
          }};
}

}  // namespace

std::vector<Command> project_commands() { return {new_command(), config_command(), dev_command()}; }

}  // namespace cli
