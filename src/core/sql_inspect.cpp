#include "core/sql_inspect.hpp"

#include <pg_query.h>

#include <regex>

namespace core {

namespace {

// A JSON string's text with \" and \\ turned back into " and \ (the escapes of names with quotes or
// backslashes; control characters in a name stay escaped).
std::string json_unescaped(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += s[i] == '\\' && i + 1 < s.size() ? s[++i] : s[i];
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> relations_read_by_expression(const std::string& expression) {
  std::vector<std::pair<std::string, std::string>> out;
  PgQueryParseResult result = pg_query_parse(("select " + expression).c_str());
  if (!result.error && result.parse_tree) {
    // The parse tree is JSON; every table reference is a RangeVar node with its names first.
    static const std::regex range_var(
        R"re("RangeVar":\{(?:"catalogname":"[^"]*",)?(?:"schemaname":"((?:[^"\\]|\\.)*)",)?"relname":"((?:[^"\\]|\\.)*)")re");
    std::string tree(result.parse_tree);
    for (auto it = std::sregex_iterator(tree.begin(), tree.end(), range_var); it != std::sregex_iterator(); ++it)
      out.emplace_back(json_unescaped((*it)[1].str()), json_unescaped((*it)[2].str()));
  }
  pg_query_free_parse_result(result);
  return out;
}

}  // namespace core
