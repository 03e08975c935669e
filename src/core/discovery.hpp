// Finds and parses the migration files of a folder, without touching a database.
#pragma once

#include <filesystem>
#include <vector>

#include "core/migration.hpp"

namespace core {

// Reads every *.sql file directly in dir (hidden files and other extensions are ignored),
// parses each, and returns them sorted by version. Throws UsageError listing every problem
// (bad names, duplicate versions, bad sections, unreadable files), each with file and line.
std::vector<Migration> discover_migrations(const std::filesystem::path& dir);

// Reads a whole file; throws UsageError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace core
