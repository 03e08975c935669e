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

// Owns a libpg_query split result.
struct SplitResult {
  PgQuerySplitResult r;
  SplitResult(const std::string& s, bool with_parser)
      : r(with_parser ? pg_query_split_with_parser(s.c_str()) : pg_query_split_with_scanner(s.c_str())) {}
  ~SplitResult() { pg_query_free_split_result(r); }
  SplitResult(const SplitResult&) = delete;
  SplitResult& operator=(const SplitResult&) = delete;
};

// True when a parse error at offset of piece may come from where the piece was cut: it lies in the
// piece's last statement as PostgreSQL's scanner sees it (whose end may be beyond the piece).
bool error_near_cut(const std::string& piece, std::size_t offset) {
  SplitResult lexical(piece, false);
  // The scanner fails on a string, identifier or comment left open: it runs to the end of the
  // piece, so only more text can tell a cut from a real mistake.
  if (lexical.r.error || lexical.r.n_stmts == 0) return true;
  auto last = static_cast<std::size_t>(lexical.r.stmts[lexical.r.n_stmts - 1]->stmt_location);
  return offset >= last;
}

[[noreturn]] void throw_syntax_error(const std::string& piece, const PgQueryError& err, std::string_view body,
                                     std::size_t piece_start, const std::string& file, int first_line) {
  std::size_t offset = err.cursorpos > 0 ? byte_offset_of_char(piece, err.cursorpos) : piece.size();
  int line_in_body = line_of_offset(body, piece_start + offset);
  if (auto meta = find_meta_command(piece, offset)) {
    int line = line_of_offset(body, piece_start) + meta->first;
    throw UsageError(fmt::format("{}:{}: psql meta-command '{}' is not SQL", file, first_line + line - 1, meta->second),
                     "migrations run through the server, not psql: replace meta-commands (\\i, \\set, \\copy) with SQL");
  }
  std::string message = err.message ? err.message : "syntax error";
  auto [src, column] = line_around(piece, offset);
  throw UsageError(fmt::format("{}:{}: {}\n  {}\n  {}^", file, first_line + line_in_body - 1, message, src,
                               std::string(column, ' ')),
                   "fix the SQL at that line; nothing was applied");
}

// Appends the statements of a parsed piece to out: all of them at the end of the body, all but the
// last otherwise (the piece may have cut it). Returns how many it took.
struct Appender {
  std::string_view body;
  int first_line;
  StatementList& out;
  std::size_t counted_upto = 0;  // lines are counted incrementally: big files stay linear
  int line = 0;

  void add(const std::string& piece, std::size_t piece_start, std::size_t loc, std::size_t len) {
    if (len == 0) len = piece.size() - loc;  // the last statement without ';' reports length 0
    std::size_t begin = skip_space_and_comments(piece, loc);
    std::size_t end = loc + len;
    if (begin >= end) return;
    std::string_view sql = trim(std::string_view(body).substr(piece_start + begin, end - begin));
    if (sql.empty()) return;
    std::size_t at = static_cast<std::size_t>(sql.data() - body.data());
    for (; counted_upto < at; ++counted_upto)
      if (body[counted_upto] == '\n') ++line;
    out.items.push_back(Statement{sql, first_line + line});
  }
};

}  // namespace

StatementList split_statements(std::shared_ptr<const std::string> source, std::string_view body,
                               const std::string& file, int first_line, std::size_t chunk_bytes) {
  StatementList out;
  out.source = std::move(source);
  Appender append{body, first_line, out};
  std::size_t pos = 0, size = std::max<std::size_t>(chunk_bytes, 1);
  while (pos < body.size()) {
    std::size_t end = std::min(body.size(), pos + size);
    if (end < body.size()) {  // end the piece at a line end where there is one near
      auto nl = body.find('\n', end);
      end = nl == std::string_view::npos ? body.size() : nl + 1;
    }
    bool last_piece = end == body.size();
    const std::string piece(body.substr(pos, end - pos));
    SplitResult split(piece, true);
    if (split.r.error) {
      std::size_t offset = split.r.error->cursorpos > 0 ? byte_offset_of_char(piece, split.r.error->cursorpos) : 0;
      if (!last_piece && error_near_cut(piece, offset)) {
        size *= 2;
        continue;
      }
      throw_syntax_error(piece, *split.r.error, body, pos, file, first_line);
    }
    int n = split.r.n_stmts;
    int keep = last_piece ? n : n - 1;
    if (keep <= 0 && !last_piece) {  // one statement longer than the piece: see more of it
      size *= 2;
      continue;
    }
    for (int k = 0; k < keep; ++k)
      append.add(piece, pos, static_cast<std::size_t>(split.r.stmts[k]->stmt_location),
                 static_cast<std::size_t>(split.r.stmts[k]->stmt_len));
    if (last_piece) break;
    pos += static_cast<std::size_t>(split.r.stmts[keep]->stmt_location);  // right after the last ';' taken
    size = std::max<std::size_t>(chunk_bytes, 1);
  }
  return out;
}

StatementList split_statements(std::string text, const std::string& file, int first_line) {
  auto source = std::make_shared<const std::string>(std::move(text));
  std::string_view body(*source);
  return split_statements(std::move(source), body, file, first_line);
}

}  // namespace core
