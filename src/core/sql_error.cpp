#include "core/sql_error.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace core {

namespace {

int error_line_of(const PgDiagnostics& diag, const StatementOrigin& origin) {
  if (origin.line == 0) return 0;
  if (diag.position <= 0) return origin.line;
  auto offset = byte_offset_of_char(origin.sql, diag.position);
  return origin.line + line_of_offset(origin.sql, offset) - 1;
}

}  // namespace

SqlFailure::SqlFailure(PgDiagnostics diag, StatementOrigin origin)
    : Failure(format_sql_failure(diag, origin), hint_for_sqlstate(diag.sqlstate)),
      m_diag(std::move(diag)),
      m_origin(std::move(origin)) {}

int SqlFailure::error_line() const { return error_line_of(m_diag, m_origin); }

Json SqlFailure::to_json() const {
  Json j = Json::object();
  j.set("sqlstate", m_diag.sqlstate).set("severity", m_diag.severity).set("message", m_diag.message);
  j.set("detail", m_diag.detail.empty() ? Json() : Json(m_diag.detail));
  j.set("hint", m_diag.hint.empty() ? Json() : Json(m_diag.hint));
  j.set("context", m_diag.context.empty() ? Json() : Json(m_diag.context));
  j.set("file", m_origin.file.empty() ? Json() : Json(m_origin.file));
  j.set("line", error_line() ? Json(error_line()) : Json());
  j.set("statement_line", m_origin.line ? Json(m_origin.line) : Json());
  j.set("blocked_by", m_origin.blocked_by.empty() ? Json() : Json(m_origin.blocked_by));
  j.set("left_behind", m_origin.advice.empty() ? Json() : Json(m_origin.advice));
  return j;
}

std::string format_sql_failure(const PgDiagnostics& diag, const StatementOrigin& origin) {
  std::string out;
  int line = error_line_of(diag, origin);
  std::string where = origin.file.empty() ? std::string() : (line ? fmt::format("{}:{}: ", origin.file, line)
                                                                   : fmt::format("{}: ", origin.file));
  out += fmt::format("{}{} {}: {}", where, diag.severity.empty() ? "ERROR" : diag.severity,
                     diag.sqlstate.empty() ? "?????" : diag.sqlstate, diag.message);
  if (!origin.what.empty()) out += fmt::format("\n  while {}", origin.what);
  if (!diag.detail.empty()) out += fmt::format("\n  DETAIL: {}", diag.detail);
  if (!diag.hint.empty()) out += fmt::format("\n  HINT: {}", diag.hint);
  if (!diag.context.empty()) out += fmt::format("\n  CONTEXT: {}", diag.context);
  if (!origin.blocked_by.empty()) out += fmt::format("\n  blocked by: waiting for {}", origin.blocked_by);
  if (!origin.advice.empty()) out += fmt::format("\n  left behind: {}", origin.advice);
  if (!origin.sql.empty() && origin.line > 0) {
    std::size_t offset = diag.position > 0 ? byte_offset_of_char(origin.sql, diag.position) : 0;
    auto [text, column] = line_around(origin.sql, offset);
    std::string number = std::to_string(line);
    out += fmt::format("\n  {} | {}", number, text);
    if (diag.position > 0) out += fmt::format("\n  {} | {}^", std::string(number.size(), ' '), std::string(column, ' '));
  }
  return out;
}

std::string hint_for_sqlstate(const std::string& sqlstate) {
  if (sqlstate == "25001")
    return "this statement cannot run inside a transaction: put it in its own migration whose marker line says "
           "'-- migrate:up transaction:false'";
  if (sqlstate == "55P03")
    return "a lock was not granted within lock_timeout: another session holds it; retry when it is idle, or raise "
           "lock_timeout";
  if (sqlstate == "57014") return "the statement ran longer than statement_timeout; raise it for this environment";
  return {};
}

}  // namespace core
