// The configuration keys: one typed table (like ccache's ConfigItem), and the parsing and range
// checks of a value, done once when the configuration loads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

// Every configuration key. The order is the order `config show` lists them in.
enum class Key : std::size_t {
  database_url,
  migrations_dir,
  templates_dir,
  ledger_schema,
  ledger_table,
  lock_timeout,
  statement_timeout,
  lock_wait,
  lock_retries,
  production,
  local_dir,
  local_database,
  declaration,
  strict_names,
  supabase_ledger,
  schema_file,
  shadow_url,
  drift_check,
  ignore_tables,
  lint_required,
};

// How many keys there are.
inline constexpr std::size_t k_key_count = static_cast<std::size_t>(Key::lint_required) + 1;

// The kind of value a configuration key holds.
enum class ValueType { string, path, duration, boolean, count, identifier };

// One configuration key: its name, type, default, allowed maximum and a one-line description.
struct KeySpec {
  Key key;
  std::string_view name;
  ValueType type;
  std::string_view default_value;
  std::string_view description;
  bool secret = false;     // shown masked by `config show`
  std::int64_t max = 0;    // durations (ms) and counts: the largest accepted value
};

// Every configuration key, in Key order.
const std::vector<KeySpec>& config_keys();
// The spec of key.
const KeySpec& spec_of(Key key);
// The spec of the key named name, or nullptr.
const KeySpec* find_key(std::string_view name);
// The names of every key, comma-separated, for "known keys: ..." hints.
std::string known_key_names();

// The environment variable that sets key (AUTOCRM_MIGRATE_<KEY>).
std::string env_var_for(std::string_view key);
// The command-line flag that sets key (--lock-timeout).
std::string flag_for(std::string_view key);

// What a value of spec's type looks like, for error messages.
std::string describe_type(const KeySpec& spec);

// Parses text as a value of spec's type and checks its range; throws UsageError citing where
// ("autocrm-migrate.toml:4", "env AUTOCRM_MIGRATE_LOCK_WAIT", "flag --lock-wait") otherwise.
// Returns the number it stands for: milliseconds, a count, 1/0 for booleans, 0 for text.
std::int64_t check_value(const KeySpec& spec, const std::string& text, const std::string& where);

}  // namespace core
