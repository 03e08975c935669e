// Effective configuration: built-in defaults < file < [env.NAME] < environment < command line.
// Values are parsed and checked once, when the configuration loads; commands read them through
// typed accessors.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config_keys.hpp"

namespace core {

// What Config::load needs from its surroundings; tests fill it in without touching the process.
struct LoadOptions {
  std::optional<std::filesystem::path> config_file;  // --config; otherwise searched upward from cwd
  std::optional<std::string> config_text;            // use this text instead of reading config_file
  std::string env_name;                              // --env
  std::map<Key, std::string> flags;                  // values given on the command line
  std::function<std::optional<std::string>(const std::string&)> getenv;  // defaults to ::getenv
  std::filesystem::path cwd;                         // defaults to the current directory
};

// One effective value and where it came from (e.g. "default", "autocrm-migrate.toml:4", "env DATABASE_URL").
struct ConfigValue {
  std::string text;
  std::string origin;
};

// A duration setting: its milliseconds and its text as written (for messages and set_config).
struct Duration {
  std::int64_t ms = 0;
  std::string text;
};

// A [[suppress]] entry: a `check` finding the configuration accepts, with the reason it must give.
// The rule id is checked against the rule table where the check runs (check::validate_suppressions).
struct Suppression {
  std::string rule;
  std::string object;  // exact object, or "*" for every object of the rule
  std::string reason;
  std::string origin;  // "autocrm-migrate.toml:12"
};

// A [lint] entry: a lint rule turned off or given another level ("off", "info", "warning",
// "error"). The rule id is checked where lint runs (runner::lint_settings).
struct LintSetting {
  std::string rule;
  std::string level;
  std::string origin;  // "autocrm-migrate.toml:40"
};

// The effective configuration.
class Config {
public:
  // Loads defaults, the file, the selected environment section, environment variables and flags.
  // Throws UsageError naming file and line for unknown keys, wrong types, values out of range and
  // missing ${VAR}s.
  static Config load(const LoadOptions& options);

  // database_url as configured ("" when unset).
  const std::string& database_url() const { return text(Key::database_url); }
  // The folder of migration files.
  std::filesystem::path migrations_dir() const { return path(Key::migrations_dir); }
  // The folder of templates for `new`.
  std::filesystem::path templates_dir() const { return path(Key::templates_dir); }
  // The ledger's schema and table names (unquoted).
  const std::string& ledger_schema() const { return text(Key::ledger_schema); }
  const std::string& ledger_table() const { return text(Key::ledger_table); }
  // Timeouts applied to each migration, and how long to wait for another run's lock.
  Duration lock_timeout() const { return duration(Key::lock_timeout); }
  Duration statement_timeout() const { return duration(Key::statement_timeout); }
  Duration lock_wait() const { return duration(Key::lock_wait); }
  // How many times a migration that hit lock_timeout is retried.
  int lock_retries() const { return static_cast<int>(number(Key::lock_retries)); }
  // True when writing commands need confirmation.
  bool production() const { return number(Key::production) != 0; }
  // The embedded local PostgreSQL's folder and database name.
  std::filesystem::path local_dir() const { return path(Key::local_dir); }
  const std::string& local_database() const { return text(Key::local_database); }
  // The declaration file `check` compares with.
  std::filesystem::path declaration() const { return path(Key::declaration); }
  // True when only `new`'s strict file names are accepted.
  bool strict_names() const { return number(Key::strict_names) != 0; }
  // True when each migration also writes the Supabase CLI's ledger row.
  bool supabase_ledger() const { return number(Key::supabase_ledger) != 0; }
  // The schema file `dump` writes; empty when set to "".
  std::filesystem::path schema_file() const { return text(Key::schema_file).empty() ? std::filesystem::path() : path(Key::schema_file); }
  // True when schema_file was set (file, environment or flag): up, down and redo then rewrite it.
  bool schema_file_on_write() const { return value(Key::schema_file).origin != "default" && !text(Key::schema_file).empty(); }
  // The URL of the server drift replays on ("" for the embedded local PostgreSQL).
  const std::string& shadow_url() const { return text(Key::shadow_url); }
  // True when up refuses migrations with lint errors.
  bool lint_required() const { return number(Key::lint_required) != 0; }
  // True when up refuses a drifted database.
  bool drift_check() const { return number(Key::drift_check) != 0; }
  // The ignore_tables patterns, split at commas and trimmed.
  std::vector<std::string> ignore_tables() const;
  // Set when migrations_dir was not configured and supabase/migrations/ was taken: the note to show.
  const std::string& detected_migrations_dir() const { return m_detected_dir; }

  // The effective value of key as text, with its origin (for `config show` and messages).
  const ConfigValue& value(Key key) const { return m_values[static_cast<std::size_t>(key)]; }
  // The folder relative paths are resolved against: the config file's folder, or cwd.
  const std::filesystem::path& project_dir() const { return m_project_dir; }
  // The config file that was read, if any.
  const std::optional<std::filesystem::path>& file() const { return m_file; }
  // The selected environment name ("" for none) and where that choice came from.
  const ConfigValue& env() const { return m_env; }
  // Every key with its effective value (secrets masked) and origin, in Key order.
  std::vector<std::pair<std::string, ConfigValue>> entries() const;
  // The [[suppress]] entries of the file and of the selected environment.
  const std::vector<Suppression>& suppressions() const { return m_suppressions; }
  // The [lint] entries of the file, then of the selected environment's [env.NAME.lint] (a later
  // entry for the same rule wins).
  const std::vector<LintSetting>& lint_settings() const { return m_lint_settings; }

private:
  std::array<ConfigValue, k_key_count> m_values;
  std::array<std::int64_t, k_key_count> m_numbers{};
  std::filesystem::path m_project_dir;
  std::optional<std::filesystem::path> m_file;
  ConfigValue m_env;
  std::vector<Suppression> m_suppressions;
  std::vector<LintSetting> m_lint_settings;
  std::string m_detected_dir;

  const std::string& text(Key key) const { return value(key).text; }
  std::int64_t number(Key key) const { return m_numbers[static_cast<std::size_t>(key)]; }
  std::filesystem::path path(Key key) const;
  Duration duration(Key key) const { return {number(key), text(key)}; }
  // Sets key from text after checking it; errors name where (default: origin).
  void assign(const KeySpec& spec, const std::string& text, const std::string& origin, const std::string& where = {});
  friend struct ConfigLoader;
};

// Expands ${VAR} and ${VAR:-default} in text; where names the value in errors ("file:line").
std::string expand_variables(const std::string& text, const std::string& where,
                             const std::function<std::optional<std::string>(const std::string&)>& getenv);

// The name of the configuration file searched for.
inline constexpr std::string_view k_config_file_name = "autocrm-migrate.toml";

}  // namespace core
