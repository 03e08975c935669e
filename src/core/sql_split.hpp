// Splits SQL text into statements with PostgreSQL's own parser (libpg_query), a piece at a time,
// so that a big file is never parsed (or copied) whole.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace core {

// One SQL statement of a migration section, with where it starts in its file.
struct Statement {
  std::string_view sql;  // the statement text, from its first token, without the trailing ';'
  int line = 0;          // 1-based line in the file where the statement's first token is
};

// The statements of a section. Their text stays inside source (never copied), which the list
// keeps alive.
struct StatementList {
  std::shared_ptr<const std::string> source;
  std::vector<Statement> items;
  // The section's own BEGIN when it is wrapped whole in BEGIN ... COMMIT (those two are not in
  // items: the tool's transaction is that one); empty otherwise.
  std::string_view wrapper_begin;

  std::size_t size() const { return items.size(); }
  bool empty() const { return items.empty(); }
  const Statement& operator[](std::size_t i) const { return items[i]; }
  auto begin() const { return items.begin(); }
  auto end() const { return items.end(); }
};

// How much text the parser sees at once (statements are never cut: a piece grows to the end of
// the statement it ends in).
inline constexpr std::size_t k_split_chunk_bytes = 1 << 20;

// Splits body, a part of *source that starts at line first_line of file, into statements.
// Throws UsageError naming file and line on a syntax error or a psql meta-command. chunk_bytes
// is the size of the pieces the parser sees (tests make it small to exercise the boundaries).
StatementList split_statements(std::shared_ptr<const std::string> source, std::string_view body,
                               const std::string& file, int first_line, std::size_t chunk_bytes = k_split_chunk_bytes);

// The same over a text of its own (e.g. the down SQL recorded in the ledger).
StatementList split_statements(std::string text, const std::string& file, int first_line);

// Byte offset of the first token at or after offset, skipping whitespace and comments.
std::size_t skip_space_and_comments(std::string_view text, std::size_t offset);

}  // namespace core
