// What each fuzz target does with one input, shared by the libFuzzer targets (fuzz_*.cpp) and by
// tests/unit/test_fuzz_regressions.cpp, which replays the seed corpus and every input kept under
// tests/fuzz/regressions/ in the normal unit test run. Rejections (core::UsageError) are expected;
// any other exception, a crash or a broken invariant (std::abort) is a bug.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "check/declaration.hpp"
#include "core/error.hpp"
#include "core/migration.hpp"
#include "core/section_check.hpp"

namespace fuzz {

// A migration file's content (and its first line as a file name) through the parsers that run on
// every file before anything touches a database.
inline void migration_one(std::string_view input) {
  auto nl = input.find('\n');
  std::string name(input.substr(0, std::min<std::size_t>(nl == std::string_view::npos ? input.size() : nl, 80)));
  try {
    core::parse_migration_name(name, "migrations/" + name);
  } catch (const core::UsageError&) {
  }
  try {
    auto m = core::parse_migration(input, "20260101000000_fuzz.sql", "migrations/20260101000000_fuzz.sql");
    // Whatever is accepted is text the server can take: no NUL byte reaches a statement.
    if (m.up.body.find('\0') != std::string::npos || m.down.body.find('\0') != std::string::npos) std::abort();
    for (const auto* section : {&m.up, &m.down}) {
      if (section->irreversible) continue;
      auto statements = core::section_statements(m, *section);
      for (const auto& st : statements) {
        // Every statement has text and a line inside its section.
        if (st.sql.empty() || st.line < section->body_line) std::abort();
      }
      // The classification reads parse trees of whatever was accepted; it never throws.
      for (bool transactional : {true, false}) {
        auto copy = statements;
        core::check_section(copy, {m.display_path(), "up", transactional, 42});
      }
    }
  } catch (const core::UsageError&) {
  }
}

inline std::optional<std::string> fake_env(const std::string& name) {
  if (name == "DATABASE_URL") return std::string("postgresql://u:pw-from-env@127.0.0.1:1/x");
  if (name == "SET") return std::string("value");
  if (name == "EMPTY") return std::string();
  return std::nullopt;
}

// Configuration text through core::Config::load (TOML, key and type checks, [env.NAME] sections,
// ${VAR} expansion) with a fixed fake environment, for no environment and two named ones.
inline void config_one(std::string_view input) {
  std::string text(input);
  for (const char* env : {"", "production", "ci"}) {
    core::LoadOptions options;
    options.config_text = text;
    options.env_name = env;
    options.getenv = fake_env;
    options.cwd = "/fuzz";
    try {
      auto config = core::Config::load(options);
      for (const auto& entry : config.entries())
        if (entry.first.empty()) std::abort();
      // Whatever loads is within range: timeouts fit PostgreSQL's integer milliseconds.
      if (config.lock_timeout().ms < 0 || config.lock_timeout().ms > INT32_MAX) std::abort();
      if (config.lock_retries() < 0 || config.lock_retries() > 100) std::abort();
      (void)config.migrations_dir();
      (void)config.production();
    } catch (const core::UsageError&) {
    }
  }
  try {
    core::expand_variables(text, "fuzz", fake_env);
  } catch (const core::UsageError&) {
  }
}

// The documented schema that `check` compares the database with, through its parser; every
// declared table must be findable again by its qualified name.
inline void check_declaration_one(std::string_view input) {
  try {
    auto d = check::parse_declaration(std::string(input), "autocrm.schema.toml");
    for (const auto& t : d.tables)
      if (!d.find(t.qualified())) std::abort();
  } catch (const core::UsageError&) {
  }
}

}  // namespace fuzz
