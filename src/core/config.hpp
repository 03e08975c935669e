// Effective configuration: built-in defaults < file < [env.NAME] < environment < command line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks.hpp"

namespace core {

// The kind of value a configuration key holds.
enum class ValueType { string, path, duration, boolean, count };

// One configuration key: its name, type, default and a one-line description.
struct KeySpec {
  std::string_view key;
  ValueType type;
  std::string_view default_value;
  std::string_view description;
  bool secret = false;  // shown masked by `config show`
};

// Every configuration key, in the order `config show` lists them.
const std::vector<KeySpec>& config_keys();

// The environment variable that sets key (AUTOCRM_MIGRATE_<KEY>).
std::string env_var_for(std::string_view key);

// What Config::load needs from its surroundings; tests fill it in without touching the process.
struct LoadOptions {
  std::optional<std::filesystem::path> config_file;  // --config; otherwise searched upward from cwd
  std::optional<std::string> config_text;            // use this text instead of reading config_file
  std::string env_name;                              // --env
  std::map<std::string, std::string> flags;          // key -> value given on the command line
  std::function<std::optional<std::string>(const std::string&)> getenv;  // defaults to ::getenv
  std::filesystem::path cwd;                         // defaults to the current directory
};

// One effective value and where it came from (e.g. "default", "autocrm-migrate.toml:4", "env DATABASE_URL").
struct ConfigValue {
  std::string text;
  std::string origin;
};

// The effective configuration.
class Config {
public:
  // Loads defaults, the file, the selected environment section, environment variables and flags.
  // Throws UsageError naming file and line for unknown keys, wrong types, missing ${VAR}s.
  static Config load(const LoadOptions& options);

  // The effective value of key (which must be one of config_keys()).
  const std::string& get(std::string_view key) const;
  // Where the value of key came from.
  const std::string& origin(std::string_view key) const;
  // A path-valued key, resolved against the project folder.
  std::filesystem::path path(std::string_view key) const;
  // A duration-valued key in milliseconds.
  std::int64_t duration_ms(std::string_view key) const;
  // A boolean-valued key.
  bool boolean(std::string_view key) const;
  // A count-valued key (a whole number, 0 or more).
  std::int64_t count(std::string_view key) const;

  // The folder relative paths are resolved against: the config file's folder, or cwd.
  const std::filesystem::path& project_dir() const { return m_project_dir; }
  // The config file that was read, if any.
  const std::optional<std::filesystem::path>& file() const { return m_file; }
  // The selected environment name ("" for none) and where that choice came from.
  const ConfigValue& env() const { return m_env; }
  // Every key with its effective value (secrets masked) and origin, in config_keys() order.
  std::vector<std::pair<std::string, ConfigValue>> entries() const;
  // The environment names the file defines.
  const std::vector<std::string>& env_names() const { return m_env_names; }
  // The [[suppress]] entries of the file and of the selected environment: accepted check findings.
  const std::vector<Suppression>& suppressions() const { return m_suppressions; }

private:
  std::map<std::string, ConfigValue, std::less<>> m_values;
  std::filesystem::path m_project_dir;
  std::optional<std::filesystem::path> m_file;
  ConfigValue m_env;
  std::vector<std::string> m_env_names;
  std::vector<Suppression> m_suppressions;
};

// Expands ${VAR} and ${VAR:-default} in text; where names the value in errors ("file:line").
std::string expand_variables(const std::string& text, const std::string& where,
                             const std::function<std::optional<std::string>(const std::string&)>& getenv);

// The name of the configuration file searched for.
inline constexpr std::string_view k_config_file_name = "autocrm-migrate.toml";

}  // namespace core
