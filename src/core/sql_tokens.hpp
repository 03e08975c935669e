// SQL and PL/pgSQL text as PostgreSQL's own lexer reads it (libpg_query's scanner): names found in
// function bodies, and assignments to NEW's columns, without a parser of our own.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core {

// One token: identifiers and keywords lowercased (quoted identifiers as written, quotes removed).
struct SqlToken {
  std::string text;
  bool name = false;  // an identifier or a keyword (a possible name)
  std::size_t start = 0;  // byte offset of the token in the text scanned
};

// The tokens of text, comments and whitespace left out; empty when the lexer rejects it.
std::vector<SqlToken> sql_tokens(std::string_view text);

// The names text mentions: (schema, name) for "schema.name", ("", name) for a lone name; a third
// part (schema.table.column) is left out. Strings and comments are not looked into.
std::vector<std::pair<std::string, std::string>> names_mentioned(std::string_view text);

// True when a PL/pgSQL body assigns NEW.column (":=" or "="), e.g. `new.updated_at := now()`.
bool assigns_new_column(std::string_view body, const std::string& column);

}  // namespace core
