// Configuration precedence, origins, environments, ${VAR}s and every rejection.
#include <doctest/doctest.h>

#include <map>

#include "core/config.hpp"
#include "core/error.hpp"

namespace {

struct Env {
  std::map<std::string, std::string> vars;
  std::function<std::optional<std::string>(const std::string&)> fn() const {
    return [this](const std::string& k) -> std::optional<std::string> {
      auto it = vars.find(k);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
};

core::Config load(const std::string& text, const Env& env = {}, const std::string& env_name = "",
                  std::map<core::Key, std::string> flags = {}) {
  core::LoadOptions o;
  o.config_text = text;
  o.getenv = env.fn();
  o.env_name = env_name;
  o.flags = std::move(flags);
  o.cwd = "/project";
  return core::Config::load(o);
}

std::string error_of(const std::string& text, const Env& env = {}, const std::string& env_name = "") {
  try {
    load(text, env, env_name);
  } catch (const core::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("defaults < file < [env.NAME] < environment < flags / each with its origin") {
  const std::string text =
      "lock_timeout = \"2s\"\n"
      "ledger_table = \"from_file\"\n"
      "migrations_dir = \"db/migrations\"\n"
      "[env.ci]\n"
      "lock_timeout = \"3s\"\n"
      "statement_timeout = 1500\n";
  auto defaults = load("");
  CHECK(defaults.value(core::Key::lock_timeout).text == "5s");
  CHECK(defaults.value(core::Key::lock_timeout).origin == "default");

  auto file = load(text);
  CHECK(file.value(core::Key::lock_timeout).text == "2s");
  CHECK(file.value(core::Key::lock_timeout).origin == "autocrm-migrate.toml:1");
  CHECK(file.migrations_dir() == std::filesystem::path("/project/db/migrations"));

  auto ci = load(text, {}, "ci");
  CHECK(ci.value(core::Key::lock_timeout).text == "3s");
  CHECK(ci.value(core::Key::lock_timeout).origin == "autocrm-migrate.toml:5 [env.ci]");
  CHECK(ci.statement_timeout().ms == 1500);

  Env env{{{"AUTOCRM_MIGRATE_LOCK_TIMEOUT", "4s"}, {"DATABASE_URL", "postgresql://u:secret@h/db"}}};
  auto from_env = load(text, env, "ci");
  CHECK(from_env.value(core::Key::lock_timeout).text == "4s");
  CHECK(from_env.value(core::Key::lock_timeout).origin == "env AUTOCRM_MIGRATE_LOCK_TIMEOUT");
  CHECK(from_env.value(core::Key::database_url).origin == "env DATABASE_URL");

  auto flagged = load(text, env, "ci", {{core::Key::lock_timeout, "6s"}});
  CHECK(flagged.value(core::Key::lock_timeout).text == "6s");
  CHECK(flagged.value(core::Key::lock_timeout).origin == "flag --lock-timeout");
  CHECK(flagged.value(core::Key::ledger_table).text == "from_file");
}

TEST_CASE("AUTOCRM_MIGRATE_DATABASE_URL wins over DATABASE_URL - AUTOCRM_MIGRATE_ENV selects an environment") {
  Env env{{{"DATABASE_URL", "postgresql://a/x"},
           {"AUTOCRM_MIGRATE_DATABASE_URL", "postgresql://b/y"},
           {"AUTOCRM_MIGRATE_ENV", "ci"}}};
  auto c = load("[env.ci]\nlock_wait = \"1s\"\n", env);
  CHECK(c.value(core::Key::database_url).text == "postgresql://b/y");
  CHECK(c.env().text == "ci");
  CHECK(c.value(core::Key::lock_wait).text == "1s");
}

TEST_CASE("config show masks the password") {
  Env env{{{"DATABASE_URL", "postgresql://app:s3cret@db.example.com:5432/crm?sslmode=require"}}};
  auto c = load("", env);
  for (const auto& [key, v] : c.entries())
    if (key == "database_url") CHECK(v.text == "postgresql://app:****@db.example.com:5432/crm?sslmode=require");
}

TEST_CASE("${VAR} and ${VAR:-default} expand - a missing variable names the line") {
  Env env{{{"PROD_URL", "postgresql://p/prod"}}};
  CHECK(load("database_url = \"${PROD_URL}\"\n", env).value(core::Key::database_url).text == "postgresql://p/prod");
  CHECK(load("ledger_schema = \"${SCHEMA:-fallback}\"\n", env).value(core::Key::ledger_schema).text == "fallback");
  CHECK(error_of("\n\ndatabase_url = \"${NOPE}\"\n") ==
        "autocrm-migrate.toml:3: environment variable NOPE is not set");
  // A variable in an environment that is not selected is not needed.
  CHECK(error_of("[env.production]\ndatabase_url = \"${NOPE}\"\n") == "(no error)");
  CHECK(error_of("[env.production]\ndatabase_url = \"${NOPE}\"\n", {}, "production") ==
        "autocrm-migrate.toml:2: environment variable NOPE is not set");
}

TEST_CASE("unknown keys / wrong types / bad TOML and unknown environments are errors naming the line") {
  CHECK(error_of("lock_timout = \"5s\"\n") == "autocrm-migrate.toml:1: unknown key 'lock_timout'");
  CHECK(error_of("ledger_schema = \"a\"\nproduction = \"yes\"\n") ==
        "autocrm-migrate.toml:2: production must be true or false");
  CHECK(error_of("lock_timeout = \"soon\"\n") ==
        "autocrm-migrate.toml:1: lock_timeout must be a duration (\"500ms\", \"5s\", \"2min\", or milliseconds as an "
        "integer), not 'soon'");
  CHECK(error_of("migrations_dir = 3\n") == "autocrm-migrate.toml:1: migrations_dir must be a path string");
  CHECK(error_of("[env.ci]\nbogus = 1\n") == "autocrm-migrate.toml:2: unknown key 'bogus'");
  CHECK(error_of("ledger_schema = \"x\n").starts_with("autocrm-migrate.toml:1:"));
  CHECK(error_of("", {}, "staging") == "unknown environment 'staging' (flag --env)");
  Env bad{{{"AUTOCRM_MIGRATE_LOCK_WAIT", "forever"}}};
  CHECK(error_of("", bad).starts_with("env AUTOCRM_MIGRATE_LOCK_WAIT: lock_wait must be a duration"));
}

TEST_CASE("schema_file, ignore_tables, shadow_url and drift_check") {
  auto defaults = load("");
  CHECK(defaults.schema_file() == std::filesystem::path("/project/schema/schema.sql"));
  CHECK_FALSE(defaults.schema_file_on_write());  // the default: only `dump` writes it
  CHECK(defaults.ignore_tables().empty());
  CHECK_FALSE(defaults.drift_check());
  auto set = load("schema_file = \"db/schema.sql\"\nignore_tables = \" private.a_* , public.b?c,,\"\n"
                  "drift_check = true\nshadow_url = \"postgresql://u:hunter22@h/postgres\"\n");
  CHECK(set.schema_file() == std::filesystem::path("/project/db/schema.sql"));
  CHECK(set.schema_file_on_write());
  CHECK(set.ignore_tables() == std::vector<std::string>{"private.a_*", "public.b?c"});
  CHECK(set.drift_check());
  auto off = load("schema_file = \"\"\n");
  CHECK(off.schema_file().empty());
  CHECK_FALSE(off.schema_file_on_write());
  bool masked = false;
  for (const auto& [name, value] : set.entries())
    if (name == "shadow_url") masked = value.text.find("hunter22") == std::string::npos;
  CHECK(masked);
}

TEST_CASE("[lint] turns rules off or re-levels them, per environment too, and names the line of a bad value") {
  auto c = load("[lint]\nprefer-text = \"off\"\nmultiple-alter-table = \"error\"\n"
                "[env.production.lint]\nprefer-text = \"warning\"\n",
                {}, "production");
  REQUIRE(c.lint_settings().size() == 3);
  std::vector<std::string> seen;
  for (const auto& l : c.lint_settings()) seen.push_back(l.rule + "=" + l.level + "@" + l.origin);
  // The file's table (toml++ lists a table's keys in name order), then the environment's.
  CHECK(seen == std::vector<std::string>{"multiple-alter-table=error@autocrm-migrate.toml:3",
                                         "prefer-text=off@autocrm-migrate.toml:2",
                                         "prefer-text=warning@autocrm-migrate.toml:5"});
  CHECK(load("[lint]\nprefer-text = \"off\"\n[env.production.lint]\nprefer-text = \"warning\"\n")
            .lint_settings()
            .size() == 1);  // no environment selected: only the top-level table
  CHECK(error_of("[lint]\nprefer-text = \"loud\"\n") ==
        "autocrm-migrate.toml:2: lint.prefer-text must be \"off\", \"info\", \"warning\" or \"error\"");
  CHECK(error_of("[lint]\nprefer-text = 1\n") ==
        "autocrm-migrate.toml:2: lint.prefer-text must be \"off\", \"info\", \"warning\" or \"error\"");
  CHECK(error_of("lint = 1\n").starts_with("autocrm-migrate.toml:1: lint must be a table"));
}
