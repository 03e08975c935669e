// Static analysis of migration SQL over PostgreSQL's parse trees (libpg_query): per statement,
// what it locks or breaks and the safe way to write it. No database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/level.hpp"
#include "core/sql_split.hpp"
#include "lint/column_type.hpp"
#include "lint/rules.hpp"

namespace lint {

// One statement that deserves a look.
struct Finding {
  std::string rule;
  Level level = Level::error;
  std::string file;            // as given (display path)
  int line = 0, column = 0;    // 1-based, where in the file
  std::string message;         // what it blocks or breaks, and for how long
  std::string remediation;     // one line: the safe way
  std::string source_line;     // the file's text at line, for the caret
  bool suppressed = false;     // an ignore comment covers it
  std::string suppression_reason;
  int statement_line = 0;      // the line the statement starts at (ignores may sit there or the line before)
  std::size_t section = 0;     // index of its section in the chain linted
  std::string table;           // the existing table a locking rule is about ("" for other rules)
  std::string changed_column;  // alter-column-type: the column changed
  ColumnType new_type;         // alter-column-type: the type it is changed to
  bool using_expression = false;  // alter-column-type: with USING (the data is recomputed)
};

// What --catalog read from the target: its tables' row estimates (reltuples; -1 when never
// analysed), by "schema.table".
struct TargetCatalog {
  std::string name;                    // how messages name the target ("the target")
  std::map<std::string, double> rows;  // every table, view-like relations excluded
  std::map<std::pair<std::string, std::string>, ColumnType> columns;  // (table, column) -> its type
  double small_table_rows = 10000;     // below this, a lock risk is a warning, not an error
};

// The up section of one migration file, split by core::split_statements.
struct SectionInput {
  std::string file;                 // shown in findings
  core::StatementList statements;   // statements.source is the whole file text
  std::string_view body;            // the section's text (inside statements.source), for ignore comments
  int body_line = 1;                // the line body starts at
  bool transaction = true;          // false: `transaction:false` (BEGIN/COMMIT are then the author's own)
};

// The levels the configuration's [lint] table gives rules; nullopt turns a rule off.
using RuleLevels = std::map<std::string, std::optional<Level>>;

// What lint knows of how the tool will run the sections, and what the configuration asks of it.
struct ChainOptions {
  bool tool_sets_lock_timeout = true;  // false: the configured lock_timeout is 0 (lock-timeout-missing can fire)
  bool tool_sets_statement_timeout = true;  // false: statement_timeout is 0 (statement-timeout-missing can fire)
  unsigned parse_threads = 0;          // threads that parse the statements (0: one per CPU, at most 8)
  RuleLevels levels;                   // [lint]: rules turned off or re-levelled
};

// Lints sections in chain order. Tables created by an earlier statement (same section or an earlier
// one) are new: locking rules do not fire on them. The statements of DO blocks (PL/pgSQL) are linted
// like the file's own. Ignore comments are applied, then the configured levels (a rule turned off
// reports nothing); findings are sorted by section, line and column.
std::vector<Finding> lint_chain(const std::vector<SectionInput>& sections, const ChainOptions& options = {});

// Sets the level and completes the message of each locking finding from the target's catalog: a
// table the target does not have is info (nothing is blocked there), a small one (under
// small_table_rows) a warning, and every message says the table's estimated rows. A type change
// that keeps the column's stored data (varchar widened...) is info: no rewrite, a brief lock.
void apply_catalog(std::vector<Finding>& findings, const TargetCatalog& catalog);

// True when an unsuppressed finding is at fail_on or above.
bool fails(const std::vector<Finding>& findings, Level fail_on);

}  // namespace lint
