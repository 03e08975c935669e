#include "core/sql_split.hpp"

#include <pg_query.h>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace core {

std::size_t skip_space_and_comments(std::string_view text, std::size_t i) {
  const std::size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      auto nl = text.find('\n', i);
      i = nl == std::string_view::npos ? n : nl + 1;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      int depth = 1;  // PostgreSQL block comments nest
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') { ++depth; i += 2; }
        else if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') { --depth; i += 2; }
        else ++i;
      }
    } else {
      break;
    }
  }
  return i;
}

namespace {

// The first line up to offset whose first character is a backslash: a psql meta-command.
std::optional<std::pair<int, std::string>> find_meta_command(std::string_view body, std::size_t upto) {
  std::size_t pos = 0;
  int line = 0;
  while (pos < body.size() && pos <= upto) {
    auto nl = body.find('\n', pos);
    auto text = trim(body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (text.starts_with("\\")) return std::make_pair(line, std::string(text));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
  return std::nullopt;
}

struct SplitResult {
  PgQuerySplitResult r;
  explicit SplitResult(const std::string& s) : r(pg_query_split_with_parser(s.c_str())) {}
  ~SplitResult() { pg_query_free_split_result(r); }
  SplitResult(const SplitResult&) = delete;
  SplitResult& operator=(const SplitResult&) = delete;
};

}  // namespace

std::vector<Statement> split_statements(std::string_view body, const std::string& file, int first_line) {
  const std::string text(body);
  SplitResult split(text);
  if (split.r.error) {
    const PgQueryError& err = *split.r.error;
    std::size_t offset = err.cursorpos > 0 ? byte_offset_of_char(text, err.cursorpos) : text.size();
    if (auto meta = find_meta_command(text, offset)) {
      throw UsageError(
          fmt::format("{}:{}: psql meta-command '{}' is not SQL", file, first_line + meta->first, meta->second),
          "migrations run through the server, not psql: replace meta-commands (\\i, \\set, \\copy) with SQL");
    }
    int line = first_line + line_of_offset(text, offset) - 1;
    std::string message = err.message ? err.message : "syntax error";
    auto [src, column] = line_around(text, offset);
    throw UsageError(fmt::format("{}:{}: {}\n  {}\n  {}^", file, line, message, src, std::string(column, ' ')),
                     "fix the SQL at that line; nothing was applied");
  }
  std::vector<Statement> out;
  out.reserve(static_cast<std::size_t>(split.r.n_stmts));
  std::size_t counted_upto = 0;  // lines are counted incrementally: big files stay linear
  int line = first_line;
  for (int k = 0; k < split.r.n_stmts; ++k) {
    auto loc = static_cast<std::size_t>(split.r.stmts[k]->stmt_location);
    auto len = static_cast<std::size_t>(split.r.stmts[k]->stmt_len);
    if (len == 0) len = text.size() - loc;  // the last statement without ';' reports length 0
    std::size_t begin = skip_space_and_comments(text, loc);
    std::size_t end = loc + len;
    if (begin >= end) continue;
    std::string_view sql = trim(std::string_view(text).substr(begin, end - begin));
    if (sql.empty()) continue;
    for (; counted_upto < begin; ++counted_upto)
      if (text[counted_upto] == '\n') ++line;
    out.push_back(Statement{std::string(sql), line});
  }
  return out;
}

}  // namespace core
