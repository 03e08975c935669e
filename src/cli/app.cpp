#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

#ifndef AUTOCRM_VERSION
#define AUTOCRM_VERSION "0.0.0"
#endif

namespace cli {

namespace {

constexpr const char* k_exit_codes =
    "Exit codes: 0 success; 1 database, connection or migration failure; 2 usage, configuration or "
    "migration-file error; 3 status --exit-code, validate, check, lint, drift or dump --check found problems, trace "
    "confirmed a lint error, or up refused a drifted database (drift_check) or migrations with lint errors "
    "(lint_required).";

// The configuration keys that have a command-line flag, with the flag's help.
constexpr std::pair<core::Key, const char*> k_config_flags[] = {
    {core::Key::database_url, "PostgreSQL URL (overrides DATABASE_URL)"},
    {core::Key::migrations_dir, "folder of migration files"},
    {core::Key::templates_dir, "folder of templates for `new`"},
    {core::Key::ledger_schema, "schema of the ledger table"},
    {core::Key::ledger_table, "name of the ledger table"},
    {core::Key::lock_timeout, "lock_timeout for each migration, e.g. 5s"},
    {core::Key::statement_timeout, "statement_timeout for each migration, e.g. 15min"},
    {core::Key::lock_wait, "how long to wait for another run's migration lock, e.g. 60s"},
    {core::Key::lock_retries, "retry a migration that hit lock_timeout this many times, with backoff"},
    {core::Key::strict_names, "true: only YYYYMMDDHHMMSS_lowercase_name.sql file names (others are errors)"},
    {core::Key::supabase_ledger, "true: also write the Supabase CLI's ledger in each migration's transaction"},
    {core::Key::schema_file, "the schema file dump writes (up, down, redo rewrite it when it is set)"},
    {core::Key::shadow_url, "URL of the server drift replays on (default: the embedded local PostgreSQL)"},
    {core::Key::drift_check, "true: up applies nothing to a database that drifted from its migrations"},
    {core::Key::lint_required, "true: up applies nothing when lint finds an error in what it would apply"},
};

void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.add_option("--config", g.config_file, "configuration file (default: autocrm-migrate.toml here or above)");
  app.add_option("--env", g.env, "environment section of the configuration, e.g. ci, production");
  app.add_option("--format", g.format, "output format: text, json (every command); junit (check), github (check, drift, lint), sarif (lint)")
      ->check(CLI::IsMember({"text", "json", "junit", "github", "sarif"}));
  app.add_flag("--yes,-y", g.yes, "confirm writes to a production environment without asking");
  for (const auto& [key, help] : k_config_flags)
    app.add_option_function<std::string>(
        core::flag_for(core::spec_of(key).name), [&g, key = key](const std::string& v) { g.flags[key] = v; }, help);
}

core::Config load_config(const GlobalOptions& g) {
  core::LoadOptions options;
  if (!g.config_file.empty()) options.config_file = std::filesystem::path(g.config_file);
  options.env_name = g.env;
  options.flags = g.flags;
  return core::Config::load(options);
}

// Runs the chosen command; every error the project throws becomes its message and exit code here.
int run_command(const Command& command, const Handler& handler, const GlobalOptions& g) {
  Format format = g.format == "json" ? Format::json : Format::text;
  ConsoleReporter reporter(format);
  try {
    core::Config config = load_config(g);
    if (!config.detected_migrations_dir().empty()) reporter.progress(config.detected_migrations_dir());
    RunContext ctx{config, reporter, g, format};
    return handler(ctx);
  } catch (const core::Error& e) {
    print_error(e, format, e.details());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    print_error(core::Failure(fmt::format("internal error in `{}`: {}", command.name, e.what()),
                              "this is a bug of autocrm-migrate; please report it with the command line"),
                format, {});
    return static_cast<int>(core::ExitCode::failure);
  }
}

}  // namespace

int finish(RunContext& ctx, runner::Outcome out, void (*print_text)(const core::Json& report)) {
  if (ctx.reporter.notices().size() > 0) out.report.set("notices", ctx.reporter.notices());
  if (ctx.format == Format::json) print_out(out.report.dump());
  else if (print_text) print_text(out.report);
  return static_cast<int>(out.code);
}

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = [] {
    std::vector<Command> all;
    for (auto group : {migrate_commands(), inspect_commands(), lint_commands(), schema_commands(), project_commands()})
      all.insert(all.end(), group.begin(), group.end());
    return all;
  }();
  return table;
}

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
  add_global_options(app, g);
  app.set_config();  // no CLI11 config file: ours is TOML with its own rules

  const Command* chosen = nullptr;
  Handler handler;
  std::vector<std::pair<CLI::App*, Handler>> handlers;
  for (const auto& command : command_table()) {
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    handlers.emplace_back(sub, command.setup(*sub));
  }
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
    print_error(e, Format::text, {});
    return static_cast<int>(e.code());
  }
  for (std::size_t i = 0; i < handlers.size(); ++i)
    if (handlers[i].first->parsed()) chosen = &command_table()[i], handler = handlers[i].second;
  bool standard = g.format == "text" || g.format == "json";
  if (!standard && std::find(chosen->extra_formats.begin(), chosen->extra_formats.end(), g.format) ==
                       chosen->extra_formats.end()) {
    print_err("autocrm-migrate: error: --format " + g.format + " is not available for `" + chosen->name +
              "`; use text or json");
    return static_cast<int>(core::ExitCode::usage);
  }
  return run_command(*chosen, handler, g);
}

}  // namespace cli
