// Column types as ALTER COLUMN ... TYPE compares them: whether a change keeps the stored data (no
// table rewrite) or not, from a parse tree's type name or from the target's catalog.
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <string>
#include <vector>

namespace lint {

// A type as PostgreSQL's catalog names it (varchar, numeric, text, int4...; "[]" appended for an
// array) and its modifiers (a length; a precision and a scale). No modifiers: none given.
struct ColumnType {
  std::string name;
  std::vector<int> mods;
  bool operator==(const ColumnType&) const = default;
};

// The type a TypeName node names: pg_catalog. dropped, as the parser resolved aliases
// (character varying -> varchar, decimal -> numeric, int -> int4).
ColumnType column_type_of(const PgQuery__TypeName& t);

// The type a catalog row describes: pg_type.typname and pg_attribute.atttypmod (-1: none).
ColumnType column_type_from_catalog(const std::string& typname, int typmod);

// The type as SQL writes it: varchar(20), numeric(10,2), text.
std::string to_sql(const ColumnType& t);

// True when ALTER COLUMN ... TYPE from -> to without USING keeps the stored data, so PostgreSQL
// does not rewrite the table: the same type, varchar or varbit widened or its limit removed,
// varchar <-> text, numeric's precision raised at the same scale (or its limit removed), cidr -> inet.
bool changes_without_rewrite(const ColumnType& from, const ColumnType& to);

}  // namespace lint
