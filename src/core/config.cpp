#include "core/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>

#include "core/discovery.hpp"
#include "core/error.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace fs = std::filesystem;

namespace core {

namespace {

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

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
  // A TOML value of the wrong kind: an identifier is first of all a string.
  std::string expected = spec.type == ValueType::identifier ? "a string" : describe_type(spec);
  throw UsageError(fmt::format("{}: {} must be {}", where, spec.name, expected));
}

// The values and suppressions one table of the file contributes.
struct Layer {
  std::vector<std::pair<const KeySpec*, ConfigValue>> values;
  std::vector<Suppression> suppressions;
  std::vector<LintSetting> lint_settings;
};

// Reads a [lint] table: rule = "off" | "info" | "warning" | "error".
void read_lint_settings(const toml::node& node, const std::string& display, Layer& layer) {
  const toml::table* table = node.as_table();
  if (!table)
    throw UsageError(fmt::format("{}:{}: lint must be a table: [lint] with rule = \"off\" or a level", display,
                                 node.source().begin.line));
  for (const auto& [k, v] : *table) {
    std::string where = fmt::format("{}:{}", display, k.source().begin.line);
    std::string rule(k.str());
    std::optional<std::string> level = v.value<std::string>();
    if (!v.is_string() || (*level != "off" && *level != "info" && *level != "warning" && *level != "error"))
      throw UsageError(fmt::format("{}: lint.{} must be \"off\", \"info\", \"warning\" or \"error\"", where, rule));
    layer.lint_settings.push_back({rule, *level, where});
  }
}

// Reads [[suppress]] entries: rule, object and reason, all required.
void read_suppressions(const toml::node& node, const std::string& display, Layer& layer) {
  const toml::array* list = node.as_array();
  std::string where = fmt::format("{}:{}", display, node.source().begin.line);
  if (!list || !list->is_array_of_tables())
    throw UsageError(fmt::format("{}: suppress must be an array of tables: [[suppress]] with rule, object, reason", where));
  for (const auto& entry : *list) {
    const toml::table& t = *entry.as_table();
    Suppression s;
    s.origin = fmt::format("{}:{}", display, t.source().begin.line);
    for (const auto& [k, v] : t) {
      std::string key(k.str());
      std::string kat = fmt::format("{}:{}", display, k.source().begin.line);
      if (key != "rule" && key != "object" && key != "reason")
        throw UsageError(fmt::format("{}: unknown key 'suppress.{}'", kat, key), "a suppression has rule, object and reason");
      if (!v.is_string()) throw UsageError(fmt::format("{}: suppress.{} must be a string", kat, key));
      (key == "rule" ? s.rule : key == "object" ? s.object : s.reason) = *v.value<std::string>();
    }
    if (s.rule.empty() || s.object.empty() || std::string(trim(s.reason)).empty())
      throw UsageError(fmt::format("{}: a suppression needs rule, object and a written reason", s.origin));
    layer.suppressions.push_back(std::move(s));
  }
}

// Reads the keys of a TOML table into layer; env tables are skipped here (handled by the caller).
// Values of sections that are not selected are checked but not expanded: their ${VAR}s need not exist.
void read_table(const toml::table& table, const std::string& display, bool top_level, Layer& layer,
                const Getenv& getenv, bool expand = true) {
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    std::string where = fmt::format("{}:{}", display, key.source().begin.line);
    if (name == "suppress") {
      read_suppressions(node, display, layer);
      continue;
    }
    if (name == "lint") {
      read_lint_settings(node, display, layer);
      continue;
    }
    if (top_level && name == "env") {
      if (!node.is_table())
        throw UsageError(fmt::format("{}: env must be a table of environments, e.g. [env.production]", where));
      continue;
    }
    const KeySpec* spec = find_key(name);
    if (!spec)
      throw UsageError(fmt::format("{}: unknown key '{}'", where, name), fmt::format("known keys: {}", known_key_names()));
    std::string text = node_text(*spec, node, where);
    if (spec->type != ValueType::boolean && expand) text = expand_variables(text, where, getenv);
    if (!expand && text.find("${") == std::string::npos) check_value(*spec, text, where);
    layer.values.emplace_back(spec, ConfigValue{text, where});
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

Getenv process_getenv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

}  // namespace

// The steps of Config::load that read the file, one function each.
struct ConfigLoader {
  Config& config;
  const Getenv& getenv;
  std::vector<std::string> env_names;

  void apply(const Layer& layer, const std::string& origin_suffix) {
    for (const auto& [spec, v] : layer.values) config.assign(*spec, v.text, v.origin + origin_suffix, v.origin);
    for (const auto& s : layer.suppressions) config.m_suppressions.push_back(s);
    for (const auto& l : layer.lint_settings) config.m_lint_settings.push_back(l);
  }

  void read_file(const std::string& display, const std::string& text) {
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
    apply(top, "");
    // 3. The selected [env.NAME] section; the others are checked but not expanded.
    const toml::table* envs = root["env"].as_table();
    if (!envs) return;
    for (const auto& [name, node] : *envs) {
      env_names.emplace_back(name.str());
      if (!node.is_table())
        throw UsageError(fmt::format("{}:{}: env.{} must be a table", display, name.source().begin.line, name.str()));
      Layer unused;
      read_table(*node.as_table(), display, false, unused, getenv, false);
    }
    if (config.m_env.text.empty()) return;
    if (auto section = (*envs)[config.m_env.text].as_table()) {
      Layer env_layer;
      read_table(*section, display, false, env_layer, getenv);
      apply(env_layer, " [env." + config.m_env.text + "]");
    }
  }

  void require_known_env() const {
    const std::string& env = config.m_env.text;
    if (env.empty() || std::find(env_names.begin(), env_names.end(), env) != env_names.end()) return;
    throw UsageError(fmt::format("unknown environment '{}' ({})", env, config.m_env.origin),
                     env_names.empty() ? "the configuration defines no [env.NAME] section"
                                       : fmt::format("defined: {}", fmt::join(env_names, ", ")));
  }

  // 4. Environment variables: DATABASE_URL, then the more specific AUTOCRM_MIGRATE_<KEY>.
  void read_environment() {
    if (auto url = getenv("DATABASE_URL"); url && !url->empty())
      config.assign(spec_of(Key::database_url), *url, "env DATABASE_URL");
    for (const auto& k : config_keys()) {
      std::string var = env_var_for(k.name);
      if (auto v = getenv(var)) config.assign(k, *v, "env " + var);
    }
  }
};

void Config::assign(const KeySpec& spec, const std::string& text, const std::string& origin, const std::string& where) {
  auto i = static_cast<std::size_t>(spec.key);
  m_numbers[i] = check_value(spec, text, where.empty() ? origin : where);
  m_values[i] = {text, origin};
}

Config Config::load(const LoadOptions& options) {
  Getenv getenv = options.getenv ? options.getenv : process_getenv();
  fs::path cwd = options.cwd.empty() ? fs::current_path() : options.cwd;

  Config config;
  // 1. Built-in defaults.
  for (const auto& k : config_keys()) config.assign(k, std::string(k.default_value), "default");

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

  ConfigLoader loader{config, getenv, {}};
  if (file || options.config_text) {
    std::string display = file ? file->filename().string() : std::string(k_config_file_name);
    loader.read_file(display, options.config_text ? *options.config_text : read_file(*file));
  }
  loader.require_known_env();
  loader.read_environment();

  // 5. Command-line flags.
  for (const auto& [key, value] : options.flags) {
    const KeySpec& spec = spec_of(key);
    config.assign(spec, value, "flag " + flag_for(spec.name));
  }

  // A Supabase project keeps its migrations in supabase/migrations/: taken when nothing else is set.
  if (config.value(Key::migrations_dir).origin == "default") {
    std::error_code ec;
    if (!fs::exists(config.m_project_dir / "migrations", ec) &&
        fs::is_directory(config.m_project_dir / "supabase" / "migrations", ec)) {
      config.assign(spec_of(Key::migrations_dir), "supabase/migrations", "detected: no migrations/, supabase/migrations/ exists");
      config.m_detected_dir = "note: using supabase/migrations/ (there is no migrations/ folder; set migrations_dir to choose)";
    }
  }

  const std::string& url = config.database_url();
  register_secret(password_of(url));
  register_secret(percent_decode(password_of(url)));
  register_secret(password_of(config.shadow_url()));
  register_secret(percent_decode(password_of(config.shadow_url())));
  if (auto pw = getenv("PGPASSWORD")) register_secret(*pw);
  return config;
}

std::vector<std::string> Config::ignore_tables() const {
  std::vector<std::string> out;
  const std::string& all = text(Key::ignore_tables);
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t end = all.find(',', start);
    if (end == std::string::npos) end = all.size();
    std::string item = all.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

fs::path Config::path(Key key) const {
  fs::path p(text(key));
  return p.is_absolute() ? p : m_project_dir / p;
}

std::vector<std::pair<std::string, ConfigValue>> Config::entries() const {
  std::vector<std::pair<std::string, ConfigValue>> out;
  for (const auto& k : config_keys()) {
    ConfigValue v = value(k.key);
    if (k.secret) v.text = mask_password(v.text);
    out.emplace_back(std::string(k.name), v);
  }
  return out;
}

std::string expand_variables(const std::string& text, const std::string& where, const Getenv& getenv) {
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

}  // namespace core
