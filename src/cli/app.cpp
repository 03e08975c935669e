#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <filesystem>
#include <functional>
#include <map>

#include "cli/output.hpp"
#include "cli/text_report.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/sql_error.hpp"
#include "local/cluster.hpp"
#include "local/process.hpp"
#include "runner/check_command.hpp"
#include "runner/commands.hpp"
#include "runner/new_migration.hpp"
#include "runner/session.hpp"

#ifndef AUTOCRM_VERSION
#define AUTOCRM_VERSION "0.0.0"
#endif

namespace cli {

namespace {

constexpr const char* k_exit_codes =
    "Exit codes: 0 success; 1 database, connection or migration failure; 2 usage, configuration or "
    "migration-file error; 3 status --exit-code, validate or check found problems.";

// Options every command accepts; they become configuration flags (highest precedence).
struct GlobalOptions {
  std::string config_file, env, format = "text";
  std::map<std::string, std::string> flags;
  bool yes = false;
};

// Registers a --key option that sets the configuration key of the same name.
void add_config_flag(CLI::App& app, GlobalOptions& g, const std::string& key, const std::string& help) {
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  app.add_option_function<std::string>(flag, [&g, key](const std::string& v) { g.flags[key] = v; }, help);
}

core::Config load_config(const GlobalOptions& g) {
  core::LoadOptions options;
  if (!g.config_file.empty()) options.config_file = std::filesystem::path(g.config_file);
  options.env_name = g.env;
  options.flags = g.flags;
  return core::Config::load(options);
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"autocrm-migrate: applies and checks PostgreSQL schema migrations (AutoCRM schema included)",
               "autocrm-migrate"};
  app.footer(std::string("\n") + k_exit_codes +
             "\nConfiguration: built-in defaults < autocrm-migrate.toml < [env.NAME] < environment "
             "(DATABASE_URL, AUTOCRM_MIGRATE_*) < flags. Without a database URL or PG* environment, commands use "
             "the embedded local PostgreSQL (see `dev`).");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `up --yes`
  app.set_version_flag("--version", std::string("autocrm-migrate ") + AUTOCRM_VERSION);

  GlobalOptions g;
  app.add_option("--config", g.config_file, "configuration file (default: autocrm-migrate.toml here or above)");
  app.add_option("--env", g.env, "environment section of the configuration, e.g. ci, production");
  app.add_option("--format", g.format, "output format: text, json (every command); junit, github (check)")
      ->check(CLI::IsMember({"text", "json", "junit", "github"}));
  app.add_flag("--yes,-y", g.yes, "confirm writes to a production environment without asking");
  add_config_flag(app, g, "database_url", "PostgreSQL URL (overrides DATABASE_URL)");
  add_config_flag(app, g, "migrations_dir", "folder of migration files");
  add_config_flag(app, g, "templates_dir", "folder of templates for `new`");
  add_config_flag(app, g, "ledger_schema", "schema of the ledger table");
  add_config_flag(app, g, "ledger_table", "name of the ledger table");
  add_config_flag(app, g, "lock_timeout", "lock_timeout for each migration, e.g. 5s");
  add_config_flag(app, g, "statement_timeout", "statement_timeout for each migration, e.g. 15min");
  add_config_flag(app, g, "lock_wait", "how long to wait for another run's migration lock, e.g. 60s");
  add_config_flag(app, g, "lock_retries", "retry a migration that hit lock_timeout this many times, with backoff");
  app.set_config();  // no CLI11 config file: ours is TOML with its own rules

  std::function<runner::Outcome(const core::Config&, ConsoleReporter&)> action;

  // up
  auto* up = app.add_subcommand("up", "apply pending migrations in version order, each in one transaction with its "
                                      "ledger row");
  std::string up_to;
  int up_step = 0;
  runner::WriteOptions write;
  up->add_option("--to", up_to, "apply up to and including this version");
  up->add_option("--step", up_step, "apply at most this many migrations");
  up->add_flag("--dry-run", write.dry_run, "print what would run; change nothing");
  up->add_flag("--allow-changed", write.allow_changed, "apply even though applied files changed since");
  up->add_flag("--allow-out-of-order", write.allow_out_of_order, "apply files older than the newest applied one");
  up->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) {
      core::UpSelection sel;
      if (!up_to.empty()) sel.to = up_to;
      if (up_step) sel.step = up_step;
      return runner::cmd_up(c, r, sel, write);
    };
  });

  // down
  auto* down = app.add_subcommand("down", "revert applied migrations, newest first, with the down SQL recorded when "
                                          "they were applied");
  std::string down_to;
  int down_step = 0;
  bool down_all = false;
  auto* step_opt = down->add_option("--step", down_step, "revert this many migrations (default 1)");
  auto* to_opt = down->add_option("--to", down_to, "revert every migration newer than this version (0: all)");
  auto* all_opt = down->add_flag("--all", down_all, "revert every applied migration");
  step_opt->excludes(to_opt)->excludes(all_opt);
  to_opt->excludes(all_opt);
  down->add_flag("--dry-run", write.dry_run, "print what would run; change nothing");
  down->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) {
      core::DownSelection sel;
      if (!down_to.empty()) sel.to = down_to;
      if (down_step) sel.step = down_step;
      sel.all = down_all;
      return runner::cmd_down(c, r, sel, write);
    };
  });

  // redo
  auto* redo = app.add_subcommand("redo", "revert the newest applied migration and apply it again");
  redo->add_flag("--dry-run", write.dry_run, "print what would run; change nothing");
  redo->add_flag("--allow-changed", write.allow_changed, "redo even though the file changed since it was applied");
  redo->callback([&] { action = [&](const core::Config& c, ConsoleReporter& r) { return runner::cmd_redo(c, r, write); }; });

  // status
  auto* status = app.add_subcommand("status", "list every migration: applied, pending, out-of-order, changed, "
                                              "missing, failed");
  bool status_exit = false;
  status->add_flag("--exit-code", status_exit, "exit 3 unless everything is applied and clean");
  status->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) { return runner::cmd_status(c, r, status_exit); };
  });

  // validate
  auto* validate = app.add_subcommand("validate", "check that files parse, match the ledger's checksums and are in "
                                                  "order; exit 3 naming each problem");
  validate->callback([&] { action = [&](const core::Config& c, ConsoleReporter& r) { return runner::cmd_validate(c, r); }; });

  // repair
  auto* repair = app.add_subcommand("repair", "resolve a migration that failed part-way outside a transaction, after "
                                              "fixing the database by hand");
  std::string repair_version;
  bool repair_applied = false, repair_rolled_back = false;
  repair->add_option("VERSION", repair_version, "the failed migration's version")->required();
  auto* ra = repair->add_flag("--applied", repair_applied, "its changes are complete: record it as applied");
  auto* rr = repair->add_flag("--rolled-back", repair_rolled_back, "its changes are undone: remove it from the ledger");
  ra->excludes(rr);
  repair->callback([&] {
    if (!repair_applied && !repair_rolled_back)
      throw core::UsageError("repair needs --applied or --rolled-back: say what state you left the database in");
    action = [&](const core::Config& c, ConsoleReporter& r) {
      return runner::cmd_repair(c, r, repair_version, repair_applied, write);
    };
  });

  // baseline
  auto* baseline = app.add_subcommand("baseline", "adopt an existing database: record every migration up to VERSION "
                                                  "as applied without running it");
  std::string baseline_version;
  baseline->add_option("VERSION", baseline_version, "the newest version the database already has")->required();
  baseline->add_flag("--dry-run", write.dry_run, "print what would be recorded; change nothing");
  baseline->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) {
      return runner::cmd_baseline(c, r, baseline_version, write);
    };
  });

  // new
  auto* create = app.add_subcommand("new", "create a timestamped migration file from a template");
  std::string new_name, new_template = "plain", new_table;
  create->add_option("NAME", new_name, "descriptive name: lowercase letters, digits, '_'")->required();
  create->add_option("--template,-t", new_template, "template in templates_dir: plain, table")->capture_default_str();
  create->add_option("--table", new_table, "table name for the table template (default: NAME without create_)");
  create->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter&) {
      return runner::cmd_new(c, new_name, new_template, new_table);
    };
  });

  // check
  auto* check = app.add_subcommand("check", "compare the database with the documented schema (declaration): RLS "
                                            "coverage, triggers, indexes, and security and performance lints");
  std::string fail_on = "error";
  check->add_option("--fail-on", fail_on, "the level that makes check exit 3")
      ->check(CLI::IsMember({"error", "warning", "info"}))
      ->capture_default_str();
  check->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) {
      return runner::cmd_check(c, r, {core::parse_level(fail_on)});
    };
  });

  // config show
  auto* config_cmd = app.add_subcommand("config", "show the effective configuration");
  config_cmd->require_subcommand(1);
  auto* config_show = config_cmd->add_subcommand("show", "every effective value and where it came from (password "
                                                         "masked)");
  config_show->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter&) {
      runner::Outcome out;
      core::Json values = core::Json::array();
      for (const auto& [key, v] : c.entries())
        values.push(core::Json::object().set("key", key).set("value", v.text).set("origin", v.origin));
      out.report.set("command", "config show");
      out.report.set("file", c.file() ? core::Json(c.file()->string()) : core::Json());
      out.report.set("env", c.env().text.empty() ? core::Json() : core::Json(c.env().text));
      out.report.set("target", runner::resolve_target(c).display).set("values", values);
      return out;
    };
  });

  // dev
  auto* dev = app.add_subcommand("dev", "manage the embedded local PostgreSQL used when no database URL is set");
  dev->require_subcommand(1);
  std::string dev_action;
  std::vector<std::string> psql_args;
  for (auto [name, help] : std::initializer_list<std::pair<const char*, const char*>>{
           {"start", "create (first time) and start it"},
           {"stop", "stop it"},
           {"status", "whether it runs, and where its files are"},
           {"reset", "drop and recreate its database (all data lost)"},
           {"url", "print its connection URL"},
           {"psql", "open psql on it (arguments after -- go to psql)"}}) {
    auto* sub = dev->add_subcommand(name, help);
    if (std::string(name) == "psql") sub->add_option("ARGS", psql_args, "arguments for psql");
    sub->callback([&, name = std::string(name)] { dev_action = name; });
  }
  dev->callback([&] {
    action = [&](const core::Config& c, ConsoleReporter& r) {
      local::LocalCluster cluster(c.path("local_dir"), c.get("local_database"));
      auto progress = [&](const std::string& line) { r.progress(line); };
      runner::Outcome out;
      out.report.set("command", "dev " + dev_action);
      if (dev_action == "start") cluster.ensure_running(progress);
      else if (dev_action == "stop") cluster.stop();
      else if (dev_action == "reset") cluster.reset(progress);
      else if (dev_action == "psql") {
        cluster.ensure_running(progress);
        std::vector<std::string> psql_argv{"psql", cluster.url()};
        psql_argv.insert(psql_argv.end(), psql_args.begin(), psql_args.end());
        local::exec_process(psql_argv);
        throw core::Failure("cannot run psql", "apt-get install -y postgresql-client-15");
      }
      out.report.set("cluster", cluster.status_json());
      return out;
    };
  });

  Format format = Format::text;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_err(std::string("autocrm-migrate: error: ") + e.what());
    print_err("run `autocrm-migrate --help` for usage");
    return static_cast<int>(core::ExitCode::usage);
  } catch (const core::Error& e) {
    print_error(e, format, {});
    return static_cast<int>(e.code());
  }
  format = g.format == "json" ? Format::json : Format::text;
  bool check_format = g.format == "junit" || g.format == "github";
  if (check_format && !check->parsed()) {
    print_err("autocrm-migrate: error: --format " + g.format + " is only for `check`; use text or json");
    return static_cast<int>(core::ExitCode::usage);
  }

  ConsoleReporter reporter(format);
  try {
    core::Config config = load_config(g);
    write.yes = g.yes;
    runner::Outcome out = action(config, reporter);
    if (reporter.notices().size() > 0) out.report.set("notices", reporter.notices());
    if (check->parsed()) {
      print_check_report(out, g.format);
    } else if (format == Format::json) {
      print_out(out.report.dump());
    } else {
      print_text_report(out);
    }
    return static_cast<int>(out.code);
  } catch (const core::SqlFailure& e) {
    print_error(e, format, e.to_json());
    return static_cast<int>(e.code());
  } catch (const core::Error& e) {
    print_error(e, format, {});
    return static_cast<int>(e.code());
  } catch (const pqxx::broken_connection& e) {
    print_error(core::Failure(std::string("lost the connection to the server: ") + e.what()), format, {});
    return static_cast<int>(core::ExitCode::failure);
  } catch (const pqxx::sql_error& e) {
    print_error(core::Failure(fmt::format("database error {}: {}", e.sqlstate(), e.what())), format, {});
    return static_cast<int>(core::ExitCode::failure);
  } catch (const std::exception& e) {
    print_error(core::Failure(std::string("internal error: ") + e.what()), format, {});
    return static_cast<int>(core::ExitCode::failure);
  }
}

}  // namespace cli
