// The command table: each command is one row (name, help, its options, its handler), the way
// ninja lists its tools. cli::run builds the parser from the table and runs the chosen row.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "core/config.hpp"
#include "runner/commands.hpp"

namespace cli {

// Options every command accepts (global flags, parsed before the command runs).
struct GlobalOptions {
  std::string config_file, env, format = "text";
  std::map<core::Key, std::string> flags;  // configuration keys set on the command line
  bool yes = false;
};

// What a handler gets once the configuration is loaded.
struct RunContext {
  const core::Config& config;
  ConsoleReporter& reporter;
  const GlobalOptions& global;
  Format format;  // text or json; check also renders junit and github from global.format
};

// Runs a parsed command and prints its report; returns the exit code.
using Handler = std::function<int(RunContext&)>;

// One row of the command table.
struct Command {
  const char* name;
  const char* help;
  // Adds the command's options (and subcommands) to sub and returns the handler that uses them.
  std::function<Handler(CLI::App& sub)> setup;
  // Output formats beyond text and json that the command speaks (check: junit, github).
  std::vector<std::string> extra_formats = {};
};

// Every command, in the order --help lists them.
const std::vector<Command>& command_table();

// The rows, grouped by file: up, down, redo, repair, baseline (commands_migrate.cpp); status,
// validate, check (commands_inspect.cpp); drift, dump (commands_schema.cpp); new, config, dev
// (commands_project.cpp).
std::vector<Command> migrate_commands();
std::vector<Command> inspect_commands();
std::vector<Command> project_commands();
// drift, dump (commands_schema.cpp).
std::vector<Command> schema_commands();
// lint (commands_lint.cpp).
std::vector<Command> lint_commands();

// Prints a command's outcome (JSON, or its text form through print_text) and returns its exit code.
int finish(RunContext& ctx, runner::Outcome out, void (*print_text)(const core::Json& report) = nullptr);

// Holds a command's option values for its handler: options bind to *state, the handler reads it.
template <class T>
std::shared_ptr<T> options_of() {
  return std::make_shared<T>();
}

}  // namespace cli
