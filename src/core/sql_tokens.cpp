#include "core/sql_tokens.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cctype>
#include <string>

namespace core {

namespace {

std::string identifier_text(std::string_view raw) {
  if (raw.size() >= 2 && raw.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      out += raw[i];
      if (raw[i] == '"' && raw[i + 1] == '"') ++i;
    }
    return out;
  }
  std::string out(raw);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<SqlToken> sql_tokens(std::string_view text) {
  std::string input(text);
  PgQueryScanResult scanned = pg_query_scan(input.c_str());
  std::vector<SqlToken> out;
  if (!scanned.error) {
    PgQuery__ScanResult* result =
        pg_query__scan_result__unpack(nullptr, scanned.pbuf.len, reinterpret_cast<const uint8_t*>(scanned.pbuf.data));
    if (result) {
      for (std::size_t i = 0; i < result->n_tokens; ++i) {
        const PgQuery__ScanToken* t = result->tokens[i];
        if (t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT) continue;
        std::string_view raw(input.data() + t->start, static_cast<std::size_t>(t->end - t->start));
        bool name = t->token == PG_QUERY__TOKEN__IDENT ||
                    t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
        out.push_back({name ? identifier_text(raw) : std::string(raw), name, static_cast<std::size_t>(t->start)});
      }
      pg_query__scan_result__free_unpacked(result, nullptr);
    }
  }
  pg_query_free_scan_result(scanned);
  return out;
}

std::vector<std::pair<std::string, std::string>> names_mentioned(std::string_view text) {
  auto tokens = sql_tokens(text);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!tokens[i].name) continue;
    bool after_dot = i > 0 && tokens[i - 1].text == ".";
    if (after_dot) continue;  // the second part of a dotted name, taken with its first part
    if (i + 2 < tokens.size() && tokens[i + 1].text == "." && tokens[i + 2].name) {
      out.emplace_back(tokens[i].text, tokens[i + 2].text);
      i += 2;
    } else {
      out.emplace_back("", tokens[i].text);
    }
  }
  return out;
}

bool assigns_new_column(std::string_view body, const std::string& column) {
  auto tokens = sql_tokens(body);
  for (std::size_t i = 0; i + 3 < tokens.size(); ++i) {
    // Only at the start of a statement: `if new.updated_at = ...` compares, it does not assign.
    bool statement_start = i == 0 || tokens[i - 1].text == ";" || tokens[i - 1].text == "begin" ||
                           tokens[i - 1].text == "then" || tokens[i - 1].text == "else" || tokens[i - 1].text == "loop";
    if (statement_start && tokens[i].text == "new" && tokens[i + 1].text == "." && tokens[i + 2].text == column &&
        (tokens[i + 3].text == ":=" || tokens[i + 3].text == "="))
      return true;
  }
  return false;
}

}  // namespace core
