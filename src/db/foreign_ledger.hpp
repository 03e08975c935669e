// The ledgers other migration tools keep, read for `baseline --from TOOL`: which versions they
// applied, and whether they say a run failed part-way.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/queryable.hpp"

namespace db {

// A tool whose ledger `baseline --from` reads.
enum class ForeignTool { supabase, dbmate, golang_migrate, flyway };

// The tool named name ("supabase", "dbmate", "golang-migrate", "flyway"), or nothing.
std::optional<ForeignTool> foreign_tool_named(std::string_view name);
// The tool's name as the command line spells it.
std::string_view foreign_tool_name(ForeignTool tool);
// The table the tool writes by default, e.g. "supabase_migrations.schema_migrations".
std::string_view foreign_default_table(ForeignTool tool);

// One version another tool records as applied.
struct ForeignEntry {
  std::string version;
  std::string name;                       // as that tool recorded it ("" when it keeps none)
  std::optional<std::string> applied_at;  // ISO time when that tool keeps one
};

// What another tool's ledger says.
struct ForeignLedger {
  std::string table;                  // schema.table it was read from
  std::vector<ForeignEntry> applied;  // versions applied one by one (supabase, dbmate, flyway)
  std::optional<std::string> up_to;   // every version up to this one is applied (golang-migrate, a flyway baseline)
  std::vector<std::string> problems;  // a dirty or failed run: baseline refuses while there is one
  std::vector<std::string> ignored;   // rows that are not versioned migrations (flyway's repeatables...)
};

// Reads tool's ledger at table ("schema.table"; empty: the tool's default). Throws core::Failure
// when the table is not there or does not have the tool's columns.
ForeignLedger read_foreign_ledger(Queryable& q, ForeignTool tool, const std::string& table);

// True when digits a <= digits b as numbers (golang-migrate's and flyway's versions are numbers).
bool version_at_most(std::string_view a, std::string_view b);

}  // namespace db
