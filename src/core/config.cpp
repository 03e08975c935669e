#include "core/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>

#include "core/discovery.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace fs = std::filesystem;

namespace core {

const std::vector<KeySpec>& config_keys() {
  static const std::vector<KeySpec> keys = {
      {"database_url", ValueType::string, "",
       "PostgreSQL URL or conninfo; empty: the libpq environment (PGHOST...) if set, else the embedded local database",
       true},
      {"migrations_dir", ValueType::path, "migrations", "folder of YYYYMMDDHHMMSS_name.sql files"},
      {"templates_dir", ValueType::path, "templates", "folder of templates for `new`"},
      {"ledger_schema", ValueType::string, "autocrm_migrate", "schema of the ledger table"},
      {"ledger_table", ValueType::string, "schema_migrations", "ledger table name"},
      {"lock_timeout", ValueType::duration, "5s",
       "lock_timeout for each migration: DDL waiting longer for a table lock fails (0: wait forever)"},
      {"statement_timeout", ValueType::duration, "0", "statement_timeout for each migration (0: none)"},
      {"lock_wait", ValueType::duration, "60s", "how long to wait for another run's migration lock"},
      {"lock_retries", ValueType::count, "0",
       "how many times a migration that hit lock_timeout is retried (rolled back, then again after 0.5 s, 1 s, "
       "2 s... of backoff, at most 30 s)"},
      {"production", ValueType::boolean, "false",
       "writing commands ask for confirmation on a terminal and need --yes otherwise"},
      {"local_dir", ValueType::path, ".autocrm-migrate", "where the embedded local PostgreSQL lives"},
      {"local_database", ValueType::string, "autocrm", "database name in the embedded local PostgreSQL"},
      {"declaration", ValueType::path, "schema/autocrm.schema.toml",
       "the documented schema that `check` compares the database with"},
  };
  return keys;
}

std::string env_var_for(std::string_view key) {
  std::string out = "AUTOCRM_MIGRATE_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

namespace {

const KeySpec* find_key(std::string_view key) {
  for (const auto& k : config_keys())
    if (k.key == key) return &k;
  return nullptr;
}

std::string known_keys() {
  std::string out;
  for (const auto& k : config_keys()) {
    if (!out.empty()) out += ", ";
    out += k.key;
  }
  return out;
}

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::string: return "a string";
    case ValueType::path: return "a path string";
    case ValueType::duration: return "a duration (\"500ms\", \"5s\", \"2min\", or milliseconds as an integer)";
    case ValueType::boolean: return "true or false";
    case ValueType::count: return "a whole number from 0 to 100";
  }
  return "";
}

std::optional<std::int64_t> parse_count(std::string_view s) {
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0 || n > 100) return std::nullopt;
  return n;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return false;
  return std::nullopt;
}

// Checks text against the key's type; throws UsageError citing where.
void check_type(const KeySpec& spec, const std::string& text, const std::string& where) {
  if (spec.type == ValueType::duration && !parse_duration_ms(text))
    throw UsageError(fmt::format("{}: {} must be {}, not '{}'", where, spec.key, type_name(spec.type), text));
  if (spec.type == ValueType::boolean && !parse_bool(text))
    throw UsageError(fmt::format("{}: {} must be {}, not '{}'", where, spec.key, type_name(spec.type), text));
  if (spec.type == ValueType::count && !parse_count(text))
    throw UsageError(fmt::format("{}: {} must be {}, not '{}'", where, spec.key, type_name(spec.type), text));
  if ((spec.key == "ledger_schema" || spec.key == "ledger_table") &&
      (text.empty() || text.size() > 63 || text.find('\0') != std::string::npos))
    throw UsageError(fmt::format("{}: {} must be a PostgreSQL identifier of 1 to 63 bytes", where, spec.key));
}

// Reads one TOML node as the text of a value of spec's type; throws naming the line.
std::string node_text(const KeySpec& spec, const toml::node& node, const std::string& where) {
  if (spec.type == ValueType::boolean) {
    if (auto b = node.value<bool>()) return *b ? "true" : "false";
  } else if (spec.type == ValueType::count && node.is_integer()) {
    return std::to_string(*node.value<std::int64_t>());
  } else if (spec.type == ValueType::count && node.is_string()) {
    return *node.value<std::string>();
  } else if (spec.type == ValueType::count) {
    // neither: falls through to the error below
  } else if (spec.type == ValueType::duration && node.is_integer()) {
    auto v = node.value<std::int64_t>();
    if (v && *v >= 0) return std::to_string(*v) + "ms";
  } else if (node.is_string()) {
    return *node.value<std::string>();
  }
  throw UsageError(fmt::format("{}: {} must be {}", where, spec.key, type_name(spec.type)));
}

struct Layer {
  std::map<std::string, ConfigValue> values;
  std::vector<Suppression> suppressions;
};

// Reads [[suppress]] entries: rule, object and reason, all required; the rule must exist.
void read_suppressions(const toml::node& node, const std::string& display, Layer& layer) {
  const toml::array* list = node.as_array();
  std::string where = fmt::format("{}:{}", display, node.source().begin.line);
  if (!list || !list->is_array_of_tables())
    throw UsageError(fmt::format("{}: suppress must be an array of tables: [[suppress]] with rule, object, reason", where));
  for (const auto& entry : *list) {
    const toml::table& t = *entry.as_table();
    std::string at = fmt::format("{}:{}", display, t.source().begin.line);
    Suppression s;
    s.origin = at;
    for (const auto& [k, v] : t) {
      std::string key(k.str());
      std::string kat = fmt::format("{}:{}", display, k.source().begin.line);
      if (key != "rule" && key != "object" && key != "reason")
        throw UsageError(fmt::format("{}: unknown key 'suppress.{}'", kat, key), "a suppression has rule, object and reason");
      if (!v.is_string()) throw UsageError(fmt::format("{}: suppress.{} must be a string", kat, key));
      std::string text = *v.value<std::string>();
      (key == "rule" ? s.rule : key == "object" ? s.object : s.reason) = text;
    }
    if (s.rule.empty() || s.object.empty() || std::string(trim(s.reason)).empty())
      throw UsageError(fmt::format("{}: a suppression needs rule, object and a written reason", at));
    if (!find_rule(s.rule)) throw UsageError(fmt::format("{}: unknown check rule '{}'", at, s.rule));
    layer.suppressions.push_back(std::move(s));
  }
}

// Reads the keys of a TOML table into layer; env tables are skipped here (handled by the caller).
// Values of sections that are not selected are checked but not expanded: their ${VAR}s need not exist.
void read_table(const toml::table& table, const std::string& display, bool top_level, Layer& layer,
                const std::function<std::optional<std::string>(const std::string&)>& getenv, bool expand = true) {
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    int line = static_cast<int>(key.source().begin.line);
    std::string where = fmt::format("{}:{}", display, line);
    if (name == "suppress") {
      read_suppressions(node, display, layer);
      continue;
    }
    if (top_level && name == "env") {
      if (!node.is_table())
        throw UsageError(fmt::format("{}: env must be a table of environments, e.g. [env.production]", where));
      continue;
    }
    const KeySpec* spec = find_key(name);
    if (!spec)
      throw UsageError(fmt::format("{}: unknown key '{}'", where, name), fmt::format("known keys: {}", known_keys()));
    std::string text = node_text(*spec, node, where);
    if (spec->type != ValueType::boolean && expand) text = expand_variables(text, where, getenv);
    if (expand || text.find("${") == std::string::npos) check_type(*spec, text, where);
    layer.values[name] = ConfigValue{text, where};
  }
}

fs::path find_config_file(const fs::path& cwd) {
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    fs::path candidate = dir / std::string(k_config_file_name);
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
  }
  return {};
}

}  // namespace

std::string expand_variables(const std::string& text, const std::string& where,
                             const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto start = text.find("${", pos);
    if (start == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, start - pos);
    auto end = text.find('}', start);
    if (end == std::string::npos)
      throw UsageError(fmt::format("{}: unterminated '${{' in '{}'", where, text), "write ${NAME}");
    std::string inner = text.substr(start + 2, end - start - 2);
    std::optional<std::string> fallback;
    if (auto dash = inner.find(":-"); dash != std::string::npos) {
      fallback = inner.substr(dash + 2);
      inner = inner.substr(0, dash);
    }
    bool valid = !inner.empty();
    for (char c : inner) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!valid) throw UsageError(fmt::format("{}: bad variable name '${{{}}}'", where, inner));
    auto value = getenv(inner);
    if (value && !value->empty()) out += *value;
    else if (fallback) out += *fallback;
    else
      throw UsageError(fmt::format("{}: environment variable {} is not set", where, inner),
                       fmt::format("export {}=..., or write ${{{}:-default}}", inner, inner));
    pos = end + 1;
  }
  return out;
}

Config Config::load(const LoadOptions& options) {
  auto getenv = options.getenv ? options.getenv : [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  fs::path cwd = options.cwd.empty() ? fs::current_path() : options.cwd;

  Config config;
  // 1. Built-in defaults.
  for (const auto& k : config_keys()) config.m_values[std::string(k.key)] = {std::string(k.default_value), "default"};

  // The file: --config, else AUTOCRM_MIGRATE_CONFIG, else autocrm-migrate.toml here or in a parent folder.
  std::optional<fs::path> file = options.config_file;
  if (!file)
    if (auto env_file = getenv("AUTOCRM_MIGRATE_CONFIG"); env_file && !env_file->empty()) file = fs::path(*env_file);
  if (!file && !options.config_text) {
    if (auto found = find_config_file(cwd); !found.empty()) file = found;
  }
  if (file && file->is_relative()) file = cwd / *file;
  config.m_project_dir = file ? file->parent_path() : cwd;
  config.m_file = file;

  // The environment selection: --env, else AUTOCRM_MIGRATE_ENV.
  config.m_env = {options.env_name, "flag --env"};
  if (options.env_name.empty()) {
    auto env = getenv("AUTOCRM_MIGRATE_ENV");
    config.m_env = env && !env->empty() ? ConfigValue{*env, "env AUTOCRM_MIGRATE_ENV"} : ConfigValue{"", "default"};
  }

  if (file || options.config_text) {
    std::string display = file ? file->filename().string() : std::string(k_config_file_name);
    std::string text = options.config_text ? *options.config_text : read_file(*file);
    toml::table root;
    try {
      root = toml::parse(text, display);
    } catch (const toml::parse_error& e) {
      throw UsageError(fmt::format("{}:{}:{}: {}", display, e.source().begin.line, e.source().begin.column,
                                   e.description()));
    }
    // 2. The file's top level.
    Layer top;
    read_table(root, display, true, top, getenv);
    for (auto& [k, v] : top.values) config.m_values[k] = v;
    config.m_suppressions = top.suppressions;

    // 3. The selected [env.NAME] section.
    if (auto envs = root["env"].as_table()) {
      for (const auto& [name, node] : *envs) {
        config.m_env_names.emplace_back(name.str());
        if (!node.is_table())
          throw UsageError(fmt::format("{}:{}: env.{} must be a table", display, name.source().begin.line, name.str()));
        Layer unused;
        read_table(*node.as_table(), display, false, unused, getenv, false);
      }
      if (!config.m_env.text.empty()) {
        if (auto section = (*envs)[config.m_env.text].as_table()) {
          Layer env_layer;
          read_table(*section, display, false, env_layer, getenv);
          for (auto& [k, v] : env_layer.values)
            config.m_values[k] = {v.text, v.origin + " [env." + config.m_env.text + "]"};
          for (auto& sup : env_layer.suppressions) config.m_suppressions.push_back(sup);
        }
      }
    }
  }
  if (!config.m_env.text.empty() &&
      std::find(config.m_env_names.begin(), config.m_env_names.end(), config.m_env.text) == config.m_env_names.end())
    throw UsageError(fmt::format("unknown environment '{}' ({})", config.m_env.text, config.m_env.origin),
                     config.m_env_names.empty() ? "the configuration defines no [env.NAME] section"
                                                : fmt::format("defined: {}", fmt::join(config.m_env_names, ", ")));

  // 4. Environment variables: DATABASE_URL, then the more specific AUTOCRM_MIGRATE_<KEY>.
  if (auto url = getenv("DATABASE_URL"); url && !url->empty())
    config.m_values["database_url"] = {*url, "env DATABASE_URL"};
  for (const auto& k : config_keys()) {
    std::string var = env_var_for(k.key);
    if (auto v = getenv(var)) {
      check_type(k, *v, "env " + var);
      config.m_values[std::string(k.key)] = {*v, "env " + var};
    }
  }

  // 5. Command-line flags.
  for (const auto& [key, value] : options.flags) {
    const KeySpec* spec = find_key(key);
    if (!spec) throw UsageError(fmt::format("unknown configuration key '{}'", key));
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    check_type(*spec, value, "flag " + flag);
    config.m_values[key] = {value, "flag " + flag};
  }

  const std::string& url = config.get("database_url");
  register_secret(password_of(url));
  register_secret(percent_decode(password_of(url)));
  if (auto pw = getenv("PGPASSWORD")) register_secret(*pw);
  return config;
}

const std::string& Config::get(std::string_view key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) throw std::logic_error(fmt::format("no configuration key {}", key));
  return it->second.text;
}

const std::string& Config::origin(std::string_view key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) throw std::logic_error(fmt::format("no configuration key {}", key));
  return it->second.origin;
}

fs::path Config::path(std::string_view key) const {
  fs::path p(get(key));
  return p.is_absolute() ? p : m_project_dir / p;
}

std::int64_t Config::duration_ms(std::string_view key) const { return parse_duration_ms(get(key)).value_or(0); }

bool Config::boolean(std::string_view key) const { return parse_bool(get(key)).value_or(false); }

std::int64_t Config::count(std::string_view key) const { return parse_count(get(key)).value_or(0); }

std::vector<std::pair<std::string, ConfigValue>> Config::entries() const {
  std::vector<std::pair<std::string, ConfigValue>> out;
  for (const auto& k : config_keys()) {
    ConfigValue v = m_values.find(k.key)->second;
    if (k.secret) v.text = mask_password(v.text);
    out.emplace_back(std::string(k.key), v);
  }
  return out;
}

}  // namespace core
