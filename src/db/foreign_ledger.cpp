#include "db/foreign_ledger.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "db/errors.hpp"

namespace db {

namespace {

struct ToolInfo {
  ForeignTool tool;
  std::string_view name;
  std::string_view table;
};

constexpr ToolInfo k_tools[] = {
    {ForeignTool::supabase, "supabase", "supabase_migrations.schema_migrations"},
    {ForeignTool::dbmate, "dbmate", "public.schema_migrations"},
    {ForeignTool::golang_migrate, "golang-migrate", "public.schema_migrations"},
    {ForeignTool::flyway, "flyway", "public.flyway_schema_history"},
};

const ToolInfo& info_of(ForeignTool tool) {
  for (const auto& t : k_tools)
    if (t.tool == tool) return t;
  return k_tools[0];
}

// "schema.table" quoted for SQL; a name without a schema is looked up in public.
std::string quoted_table(const std::string& table) {
  auto dot = table.find('.');
  if (dot == std::string::npos) return "public." + core::quote_identifier(table);
  return core::quote_identifier(table.substr(0, dot)) + "." + core::quote_identifier(table.substr(dot + 1));
}

std::string strip_zeros(std::string_view v) {
  std::size_t i = 0;
  while (i + 1 < v.size() && v[i] == '0') ++i;
  return std::string(v.substr(i));
}

void read_supabase(Queryable& q, const std::string& t, ForeignLedger& out) {
  auto r = q.query(fmt::format("select version, coalesce(name, '') from {} order by version", t));
  for (const auto& row : r) out.applied.push_back({row.text(0), row.text(1), std::nullopt});
}

void read_dbmate(Queryable& q, const std::string& t, ForeignLedger& out) {
  auto r = q.query(fmt::format("select version::text from {} order by version", t));
  for (const auto& row : r) out.applied.push_back({row.text(0), "", std::nullopt});
}

void read_golang_migrate(Queryable& q, const std::string& t, ForeignLedger& out) {
  // golang-migrate keeps one row: the current version, and whether its last run failed part-way.
  auto r = q.query(fmt::format("select version::text, dirty from {}", t));
  if (r.size() > 1) out.problems.push_back(fmt::format("{} has {} rows; golang-migrate keeps one", out.table, r.size()));
  for (const auto& row : r) {
    if (row.boolean(1))
      out.problems.push_back(fmt::format("golang-migrate's ledger {} is dirty at version {}: a migration failed "
                                         "part-way; fix the database, then `migrate force {}` (or the version before)",
                                         out.table, row.text(0), row.text(0)));
    if (row.text(0) != "-1") out.up_to = row.text(0);
  }
}

void read_flyway(Queryable& q, const std::string& t, ForeignLedger& out) {
  auto r = q.query(fmt::format("select installed_rank, coalesce(version, ''), description, type, success, "
                               "to_char(installed_on::timestamptz at time zone 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from {} order by installed_rank",
                               t));
  for (const auto& row : r) {
    std::string version = row.text(1), type = row.text(3);
    if (!row.boolean(4)) {
      out.problems.push_back(fmt::format("flyway's history {} records version {} ({}) as failed (success = false): "
                                         "fix the database, then `flyway repair`",
                                         out.table, version.empty() ? "repeatable" : version, row.text(2)));
      continue;
    }
    if (type == "BASELINE") {
      out.up_to = version;
    } else if (type == "DELETE" || type == "UNDO_SQL") {
      std::erase_if(out.applied, [&](const ForeignEntry& e) { return e.version == version; });
    } else if (version.empty()) {
      out.ignored.push_back(fmt::format("rank {}: {} ({}): repeatable, no version", row.text(0), row.text(2), type));
    } else if (type == "SCHEMA") {
      out.ignored.push_back(fmt::format("rank {}: schema creation by flyway", row.text(0)));
    } else {
      std::string name = row.text(2);
      for (auto& c : name)
        if (c == ' ') c = '_';
      out.applied.push_back({version, name, row.text(5)});
    }
  }
}

}  // namespace

std::optional<ForeignTool> foreign_tool_named(std::string_view name) {
  for (const auto& t : k_tools)
    if (t.name == name) return t.tool;
  return std::nullopt;
}

std::string_view foreign_tool_name(ForeignTool tool) { return info_of(tool).name; }

std::string_view foreign_default_table(ForeignTool tool) { return info_of(tool).table; }

ForeignLedger read_foreign_ledger(Queryable& q, ForeignTool tool, const std::string& table) {
  ForeignLedger out;
  out.table = table.empty() ? std::string(info_of(tool).table) : table;
  const std::string quoted = quoted_table(out.table);
  const std::string doing = fmt::format("reading {}'s ledger {}", info_of(tool).name, out.table);
  auto exists = with_context(doing, [&] { return q.query("select pg_catalog.to_regclass($1) is not null", {quoted}); });
  if (!exists[0].boolean(0))
    throw core::Failure(fmt::format("{}: there is no table {} in this database", doing, out.table),
                        fmt::format("name the table {} writes with --from-table SCHEMA.TABLE", info_of(tool).name));
  with_context(doing, [&] {
    switch (tool) {
      case ForeignTool::supabase: read_supabase(q, quoted, out); break;
      case ForeignTool::dbmate: read_dbmate(q, quoted, out); break;
      case ForeignTool::golang_migrate: read_golang_migrate(q, quoted, out); break;
      case ForeignTool::flyway: read_flyway(q, quoted, out); break;
    }
    return 0;
  });
  return out;
}

bool version_at_most(std::string_view a, std::string_view b) {
  std::string x = strip_zeros(a), y = strip_zeros(b);
  if (x.size() != y.size()) return x.size() < y.size();
  return x <= y;
}

}  // namespace db
