// Finds and parses the migration files of a folder, without touching a database.
#pragma once

#include <filesystem>
#include <vector>

#include "core/migration.hpp"

namespace core {

// The migration files of a folder and what is worth saying about them.
struct Discovered {
  std::vector<Migration> files;       // sorted by version (compared as text, like dbmate and the Supabase CLI)
  std::vector<std::string> skipped;   // *.sql files without a leading version, ignored as those tools do
  std::vector<std::string> warnings;  // every file's warnings (names not in the strict form, empty sections...)
};

// Reads every *.sql file directly in dir (hidden files and other extensions are ignored),
// parses each, and returns them sorted by version. Throws UsageError listing every problem
// (duplicate versions, bad sections, unreadable files, and with strict rules names not in the
// strict form and files without a version), each with file and line.
Discovered discover(const std::filesystem::path& dir, NameRules rules = NameRules::compatible);

// The files of discover(dir, rules), for callers that report nothing else.
std::vector<Migration> discover_migrations(const std::filesystem::path& dir, NameRules rules = NameRules::compatible);

// Reads a whole file; throws UsageError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace core
