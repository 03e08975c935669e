#include "runner/adoption_check.hpp"

#include <fmt/format.h>

#include "core/sql_classify.hpp"
#include "db/errors.hpp"

namespace runner {

namespace {

// A PostgreSQL text[] literal of names.
std::string array_of(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

void refuse_unrecorded_objects(WriteSession& s, const std::vector<const core::PlanEntry*>& chosen,
                               const std::map<std::string, core::StatementList>& statements) {
  std::vector<std::string> tables, schemas;
  std::map<std::string, std::string> created_by;  // object -> migration
  for (const auto* e : chosen) {
    for (const auto& st : statements.at(e->version)) {
      auto facts = core::classify_statement(st.sql);
      for (const auto& t : facts.tables_created) tables.push_back(t), created_by.emplace(t, e->version + "_" + e->name);
      for (const auto& n : facts.schemas_created) schemas.push_back(n), created_by.emplace(n, e->version + "_" + e->name);
    }
  }
  if (tables.empty() && schemas.empty()) return;
  auto found = db::with_context("looking for objects the migrations create", [&] {
    return s.db().query("select t from unnest($1::text[]) t where pg_catalog.to_regclass(t) is not null "
                        "union all select n from unnest($2::text[]) n where exists "
                        "(select 1 from pg_catalog.pg_namespace where nspname = n)",
                        {array_of(tables), array_of(schemas)});
  });
  if (found.empty()) return;
  std::string list;
  for (const auto& r : found) list += fmt::format("{}{} (created by {})", list.empty() ? "" : ", ", r.text(0),
                                                  created_by[r.text(0)]);
  throw core::Failure(fmt::format("the database has no ledger, but already has what the pending migrations create: {}; "
                                  "nothing was applied",
                                  list),
                      "it was migrated before (its ledger dropped?) or by another tool: adopt it with `autocrm-migrate "
                      "baseline VERSION`, naming the newest migration it already has");
}

}  // namespace runner
