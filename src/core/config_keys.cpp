#include "core/config_keys.hpp"

#include <fmt/format.h>

#include <charconv>
#include <climits>

#include "core/duration.hpp"
#include "core/error.hpp"

namespace core {

namespace {

// PostgreSQL's integer settings (lock_timeout, statement_timeout) stop at INT_MAX milliseconds.
constexpr std::int64_t k_int_ms = INT_MAX;

}  // namespace

const std::vector<KeySpec>& config_keys() {
  static const std::vector<KeySpec> keys = {
      {Key::database_url, "database_url", ValueType::string, "",
       "PostgreSQL URL or conninfo; empty: the libpq environment (PGHOST...) if set, else the embedded local database",
       true},
      {Key::migrations_dir, "migrations_dir", ValueType::path, "migrations", "folder of migration files (VERSION_name.sql); unset: migrations/, or supabase/migrations/ when only that exists"},
      {Key::templates_dir, "templates_dir", ValueType::path, "templates", "folder of templates for `new`"},
      {Key::ledger_schema, "ledger_schema", ValueType::identifier, "autocrm_migrate", "schema of the ledger table"},
      {Key::ledger_table, "ledger_table", ValueType::identifier, "schema_migrations", "ledger table name"},
      {Key::lock_timeout, "lock_timeout", ValueType::duration, "5s",
       "lock_timeout for each migration: DDL waiting longer for a table lock fails (0: wait forever)", false, k_int_ms},
      {Key::statement_timeout, "statement_timeout", ValueType::duration, "0",
       "statement_timeout for each migration (0: none)", false, k_int_ms},
      {Key::lock_wait, "lock_wait", ValueType::duration, "60s", "how long to wait for another run's migration lock",
       false, k_int_ms},
      {Key::lock_retries, "lock_retries", ValueType::count, "0",
       "how many times a migration that hit lock_timeout is retried (rolled back, then again after 0.5 s, 1 s, "
       "2 s... of backoff, at most 30 s)",
       false, 100},
      {Key::production, "production", ValueType::boolean, "false",
       "writing commands ask for confirmation on a terminal and need --yes otherwise"},
      {Key::local_dir, "local_dir", ValueType::path, ".autocrm-migrate", "where the embedded local PostgreSQL lives"},
      {Key::local_database, "local_database", ValueType::string, "autocrm",
       "database name in the embedded local PostgreSQL"},
      {Key::declaration, "declaration", ValueType::path, "schema/autocrm.schema.toml",
       "the documented schema that `check` compares the database with"},
      {Key::strict_names, "strict_names", ValueType::boolean, "false",
       "file names must be `new`'s YYYYMMDDHHMMSS_lowercase_name.sql (a valid UTC time): other names, accepted with a "
       "warning as dbmate and the Supabase CLI accept them, become errors"},
      {Key::supabase_ledger, "supabase_ledger", ValueType::boolean, "false",
       "also write the Supabase CLI's ledger (supabase_migrations.schema_migrations) in each migration's transaction, "
       "so `supabase migration list` agrees with `status`"},
      {Key::schema_file, "schema_file", ValueType::path, "schema/schema.sql",
       "the schema file `dump` writes (pg_dump --schema-only, made deterministic); when set explicitly, up, down and "
       "redo rewrite it after they change the database (\"\" turns that off)"},
      {Key::shadow_url, "shadow_url", ValueType::string, "",
       "a database URL on the server where `drift` replays the migrations in a temporary database it creates and "
       "drops; empty: the embedded local PostgreSQL",
       true},
      {Key::drift_check, "drift_check", ValueType::boolean, "false",
       "up first compares the database with its applied migrations (as `drift` does) and applies nothing when they "
       "differ"},
      {Key::ignore_tables, "ignore_tables", ValueType::string, "",
       "tables drift and dump leave out, as comma-separated schema.table patterns with * and ? (e.g. partitions a "
       "maintenance job creates by date: \"private.audit_logs_y*\")"},
      {Key::lint_required, "lint_required", ValueType::boolean, "false",
       "up applies nothing when `lint` finds an error in the migrations it is about to apply"},
  };
  return keys;
}

const KeySpec& spec_of(Key key) { return config_keys()[static_cast<std::size_t>(key)]; }

const KeySpec* find_key(std::string_view name) {
  for (const auto& k : config_keys())
    if (k.name == name) return &k;
  return nullptr;
}

std::string known_key_names() {
  std::string out;
  for (const auto& k : config_keys()) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

std::string env_var_for(std::string_view key) {
  std::string out = "AUTOCRM_MIGRATE_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string flag_for(std::string_view key) {
  std::string flag = "--" + std::string(key);
  for (auto& c : flag)
    if (c == '_') c = '-';
  return flag;
}

std::string describe_type(const KeySpec& spec) {
  switch (spec.type) {
    case ValueType::string: return "a string";
    case ValueType::identifier: return "a PostgreSQL identifier of 1 to 63 bytes";
    case ValueType::path: return "a path string";
    case ValueType::duration: return "a duration (\"500ms\", \"5s\", \"2min\", or milliseconds as an integer)";
    case ValueType::boolean: return "true or false";
    case ValueType::count: return fmt::format("a whole number from 0 to {}", spec.max);
  }
  return "";
}

namespace {

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_count(std::string_view s, std::int64_t max) {
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0 || n > max) return std::nullopt;
  return n;
}

// "2147483647 ms (about 24 days)": a maximum as a person reads it.
std::string readable_ms(std::int64_t ms) {
  if (ms >= 86'400'000) return fmt::format("{} ms (about {} days)", ms, ms / 86'400'000);
  return fmt::format("{} ms", ms);
}

}  // namespace

std::int64_t check_value(const KeySpec& spec, const std::string& text, const std::string& where) {
  auto bad = [&] { return UsageError(fmt::format("{}: {} must be {}, not '{}'", where, spec.name, describe_type(spec), text)); };
  switch (spec.type) {
    case ValueType::duration: {
      auto ms = parse_duration_ms(text);
      if (!ms) throw bad();
      if (*ms > spec.max)
        throw UsageError(fmt::format("{}: {} = '{}' is too long: at most {}", where, spec.name, text, readable_ms(spec.max)),
                         spec.key == Key::lock_wait ? "use a shorter wait"
                                                    : "PostgreSQL's timeouts are whole milliseconds below 2^31; use a "
                                                      "shorter timeout, or \"0\" for none");
      return *ms;
    }
    case ValueType::boolean: {
      auto b = parse_bool(text);
      if (!b) throw bad();
      return *b ? 1 : 0;
    }
    case ValueType::count: {
      auto n = parse_count(text, spec.max);
      if (!n) throw bad();
      return *n;
    }
    case ValueType::identifier:
      if (text.empty() || text.size() > 63 || text.find('\0') != std::string::npos)
        throw UsageError(fmt::format("{}: {} must be {}", where, spec.name, describe_type(spec)));
      return 0;
    case ValueType::string:
    case ValueType::path: return 0;
  }
  return 0;
}

}  // namespace core
