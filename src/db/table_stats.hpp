// What lint --catalog and trace read about the target's tables: row estimates and column types.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "db/queryable.hpp"

namespace db {

// How the maps below spell a table: as SQL quotes it (format('%I.%I'): public."My Table", what
// trace's lock names use), or as the parser resolves it (public.My Table, what lint's keys use).
enum class NameStyle { quoted, raw };

// Every table's (and materialized view's) row estimate, pg_class.reltuples (-1: never analysed),
// by "schema.table".
std::map<std::string, double> read_row_estimates(Queryable& db, NameStyle style);

// A column's type as the catalog stores it.
struct CatalogColumnType {
  std::string typname;  // pg_type.typname (an array type's starts with _)
  int typmod = -1;      // pg_attribute.atttypmod
};

// The type of every column of every table, by ("schema.table" spelt raw, column).
std::map<std::pair<std::string, std::string>, CatalogColumnType> read_column_types(Queryable& db);

}  // namespace db
