// Migration files: names, sections and their options, parsed from text without a database.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/sql_split.hpp"

namespace core {

// One section of a migration file (up or down).
struct Section {
  bool present = false;       // the file has this section (its marker, or the whole of an up-only file)
  bool transaction = true;    // false: run statement by statement outside a transaction
  bool irreversible = false;  // down only: the file declares that it cannot be reverted
  int marker_line = 0;        // 1-based line of the marker (0: an up-only file has none)
  int body_line = 0;          // 1-based line where the body starts
  std::string_view body;      // the SQL text after the marker, up to the next marker (in Migration::content)
};

// A migration file, parsed.
struct Migration {
  std::string version;         // the leading digits of the file name (YYYYMMDDHHMMSS for `new`'s files)
  std::string name;            // the descriptive part of the file name
  std::filesystem::path path;  // where the file is
  std::string checksum;        // SHA-256 of the normalized content
  std::shared_ptr<const std::string> content;  // the normalized text, which the sections view
  std::string link_target;     // set when the file is a symlink to outside the migrations folder
  Section up;
  Section down;
  bool up_only = false;                // no markers at all: the whole file is the up section (Supabase CLI)
  std::vector<std::string> warnings;   // accepted but worth saying (name not a timestamp, no down...)

  // The file name shown in messages, e.g. "migrations/20260101000000_init.sql".
  std::string display_path() const { return path.generic_string(); }
};

// Version and name from a file name like "20260101000000_create_users.sql" or "001-Seed.sql".
struct MigrationName {
  std::string version;                 // the leading digits
  std::string name;                    // the rest, without one leading '_'
  std::vector<std::string> warnings;   // how the name differs from `new`'s strict form
};
// How strictly file names are read.
enum class NameRules {
  compatible,  // dbmate's and the Supabase CLI's: leading digits, then anything; differences are warnings
  strict,      // `new`'s form only: YYYYMMDDHHMMSS (a valid UTC time) '_' lowercase name; differences are errors
};
// Parses a migration file name. Throws UsageError when it has no leading digits (or, with strict
// rules, for any difference from the strict form), saying what a valid name looks like.
MigrationName parse_migration_name(const std::string& file_name, const std::string& display,
                                   NameRules rules = NameRules::compatible);

// Parses the content of a migration file (any line endings, optional BOM), taking the text over
// (normalized in place: one copy of a big file, not two). Throws UsageError naming display_path and
// the line for every rejected layout.
Migration parse_migration(std::string&& raw_content, const std::string& file_name, const std::filesystem::path& path,
                          NameRules rules = NameRules::compatible);
// The same for text that stays the caller's.
Migration parse_migration(std::string_view raw_content, const std::string& file_name, const std::filesystem::path& path,
                          NameRules rules = NameRules::compatible);

// Splits a section of m into statements (libpg_query); throws UsageError with file and line. An
// empty or comment-only section gives no statements (dbmate's meaning: it runs nothing).
StatementList section_statements(const Migration& m, const Section& s);

}  // namespace core
