// Questions about SQL text answered by PostgreSQL's own parser (libpg_query).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace core {

// The relations (schema, name; schema "" when unqualified) that a SQL expression reads in its
// subqueries, e.g. a policy's USING clause as pg_get_expr prints it. Empty when it does not parse.
std::vector<std::pair<std::string, std::string>> relations_read_by_expression(const std::string& expression);

}  // namespace core
