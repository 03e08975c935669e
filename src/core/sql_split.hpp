// Splits SQL text into statements with PostgreSQL's own parser (libpg_query).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace core {

// One SQL statement of a migration section, with where it starts in its file.
struct Statement {
  std::string sql;  // the statement text, from its first token, without the trailing ';'
  int line = 0;     // 1-based line in the file where the statement's first token is
};

// Splits body, the text of a section that starts at line first_line of file, into statements.
// Throws UsageError naming file and line on a syntax error or a psql meta-command.
std::vector<Statement> split_statements(std::string_view body, const std::string& file, int first_line);

// Byte offset of the first token at or after offset, skipping whitespace and comments.
std::size_t skip_space_and_comments(std::string_view text, std::size_t offset);

}  // namespace core
