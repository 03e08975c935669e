#include "db/table_stats.hpp"

namespace db {

namespace {

// The SQL expression that names table c of schema n in a style.
const char* name_sql(NameStyle style) {
  return style == NameStyle::quoted ? "format('%I.%I', n.nspname, c.relname)" : "n.nspname || '.' || c.relname";
}

}  // namespace

std::map<std::string, double> read_row_estimates(Queryable& db, NameStyle style) {
  std::map<std::string, double> out;
  for (const auto& r : db.query(std::string("select ") + name_sql(style) +
                                ", c.reltuples::text from pg_catalog.pg_class c join pg_catalog.pg_namespace n on "
                                "n.oid = c.relnamespace where c.relkind in ('r', 'p', 'm')"))
    out[r.text(0)] = std::stod(r.text(1));
  return out;
}

std::map<std::pair<std::string, std::string>, CatalogColumnType> read_column_types(Queryable& db) {
  std::map<std::pair<std::string, std::string>, CatalogColumnType> out;
  for (const auto& r : db.query(std::string("select ") + name_sql(NameStyle::raw) +
                                ", a.attname, t.typname, a.atttypmod::text from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid "
                                "join pg_catalog.pg_namespace n on n.oid = c.relnamespace join pg_catalog.pg_type t "
                                "on t.oid = a.atttypid where c.relkind in ('r', 'p') and a.attnum > 0 and not "
                                "a.attisdropped"))
    out[{r.text(0), r.text(1)}] = {r.text(2), std::stoi(r.text(3))};
  return out;
}

}  // namespace db
