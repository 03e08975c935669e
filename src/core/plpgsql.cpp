#include "core/plpgsql.hpp"

#include <pg_query.h>

#include <algorithm>
#include <optional>

#include "core/json.hpp"
#include "core/parse_tree.hpp"

namespace core {

namespace {

// A dollar-quote tag that does not occur in body.
std::string free_tag(std::string_view body) {
  std::string tag = "$lint$";
  for (int n = 1; body.find(tag) != std::string_view::npos; ++n) tag = "$lint" + std::to_string(n) + "$";
  return tag;
}

// The offset of the start of line (1-based) in text; text.size() past its end.
std::size_t line_start(std::string_view text, int line) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return text.size();
    ++pos;
  }
  return pos;
}

// The value of an expression that is one string constant ('...', E'...', $$...$$), if it is one.
std::optional<std::string> constant_string(const std::string& expr) {
  ParseTree tree("select " + expr);
  if (tree.size() != 1 || tree.statement(0)->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return std::nullopt;
  const auto& select = *tree.statement(0)->select_stmt;
  if (select.n_target_list != 1 || select.n_from_clause != 0 || select.where_clause ||
      select.target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !select.target_list[0]->res_target->val)
    return std::nullopt;
  return string_constant(*select.target_list[0]->res_target->val);
}

class Collector {
public:
  Collector(std::string_view body, PlpgsqlStatements& out) : m_body(body), m_out(out) {}

  void visit(const Json& node) {
    for (const auto& element : node.elements()) visit(element);
    for (const auto& [key, value] : node.members()) {
      if (key == "PLpgSQL_stmt_execsql")
        add(value["sqlstmt"]["PLpgSQL_expr"]["query"].text(), static_cast<int>(value["lineno"].integer()), false);
      else if (key == "PLpgSQL_stmt_dynexecute")
        dynamic(value["query"]["PLpgSQL_expr"]["query"].text(), static_cast<int>(value["lineno"].integer()));
      visit(value);
    }
  }

private:
  std::string_view m_body;
  PlpgsqlStatements& m_out;
  std::size_t m_cursor = 0;  // statements come in source order: search from the last one

  // Where text (as written) is, from the statement's line on; the line's start when not found.
  std::size_t locate(const std::string& text, int line) {
    std::size_t from = std::max(line_start(m_body, line), m_cursor);
    std::size_t at = m_body.find(text, from);
    if (at == std::string_view::npos) at = m_body.find(text, line_start(m_body, line));
    if (at == std::string_view::npos) return line_start(m_body, line);
    m_cursor = at + text.size();
    return at;
  }

  void add(std::string sql, int line, bool is_dynamic) {
    if (sql.empty()) return;
    EmbeddedStatement s;
    s.offset = locate(sql, line);
    s.line = line;
    s.sql = std::move(sql);
    s.dynamic = is_dynamic;
    m_out.statements.push_back(std::move(s));
  }

  void dynamic(const std::string& expr, int line) {
    auto value = constant_string(expr);
    if (!value) {
      ++m_out.computed_executes;
      return;
    }
    EmbeddedStatement s;
    std::size_t at = locate(expr, line);
    // The string's text starts after its opening quote ('...' or E'...'; a dollar quote's tag).
    std::size_t open = m_body.find_first_of("'$", at);
    if (open != std::string_view::npos && m_body[open] == '$') open = m_body.find('$', open + 1);
    s.offset = open == std::string_view::npos ? at : open + 1;
    s.line = line;
    s.sql = std::move(*value);
    s.dynamic = true;
    m_out.statements.push_back(std::move(s));
  }
};

}  // namespace

PlpgsqlStatements plpgsql_statements(std::string_view body) {
  PlpgsqlStatements out;
  const std::string tag = free_tag(body);
  // The body starts on the wrapper's first line, so the parser's line numbers are the body's.
  const std::string wrapper =
      "create function pg_temp.lint_block() returns void language plpgsql as " + tag + std::string(body) + tag;
  PgQueryPlpgsqlParseResult result = pg_query_parse_plpgsql(wrapper.c_str());
  if (result.error) {
    out.error = result.error->message ? result.error->message : "syntax error";
  } else if (auto tree = Json::parse(result.plpgsql_funcs ? result.plpgsql_funcs : "")) {
    out.ok = true;
    Collector(body, out).visit(*tree);
  } else {
    out.error = "libpg_query returned a PL/pgSQL tree that is not JSON";
  }
  pg_query_free_plpgsql_parse_result(result);
  return out;
}

}  // namespace core
