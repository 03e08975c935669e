// Checks a section's statements against how the section runs, before anything runs: transaction
// control inside a transactional section, statements that cannot run in a transaction block,
// statements that release the migration lock, an enum value used in the transaction that adds it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/sql_split.hpp"

namespace core {

// How a section runs.
struct SectionRun {
  std::string file;           // for messages: "migrations/2026..._x.sql"
  std::string direction;      // "up" or "down", for the marker the hint names
  bool transactional = true;  // false: "-- migrate:... transaction:false"
  std::int64_t lock_key = 0;  // the tool's migration lock
};

// What the check found: errors (each naming file and line; any of them refuses the section),
// warnings (shown, not refusing) and notes (how the section will run).
struct SectionReport {
  std::vector<UsageError> errors;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
};

// Checks list. A transactional section wrapped whole in BEGIN ... COMMIT is accepted as that one
// transaction: the two statements leave list.items and the BEGIN is kept in list.wrapper_begin.
SectionReport check_section(StatementList& list, const SectionRun& run);

struct Migration;
struct Section;

// A section split and checked; a syntax error is one of report.errors (never thrown).
struct CheckedSection {
  StatementList statements;
  SectionReport report;
};
// Splits and checks section s of m ("up" or "down").
CheckedSection check_migration_section(const Migration& m, const Section& s, const std::string& direction,
                                       std::int64_t lock_key);

}  // namespace core
