// PostgreSQL's parse trees (libpg_query's protobuf form, unpacked into protobuf-c structs), for the
// code that must understand SQL rather than split it: statement classification, and later lint.
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace core {

// The parse tree of some SQL text. Empty (no statements) when the text does not parse.
class ParseTree {
public:
  explicit ParseTree(std::string_view sql);
  ~ParseTree();
  ParseTree(const ParseTree&) = delete;
  ParseTree& operator=(const ParseTree&) = delete;

  // True when the text parsed.
  bool ok() const { return m_tree != nullptr; }
  // The parse error's message, when it did not.
  const std::string& error() const { return m_error; }
  // The number of statements, and each one's top node.
  std::size_t size() const { return m_tree ? m_tree->n_stmts : 0; }
  const PgQuery__Node* statement(std::size_t i) const { return m_tree->stmts[i]->stmt; }

private:
  PgQuery__ParseResult* m_tree = nullptr;
  std::string m_error;
};

// Calls visit for node and every node below it, depth first (any node kind, any field).
void for_each_node(const PgQuery__Node* node, const std::function<void(const PgQuery__Node&)>& visit);

// The dotted name of a list of String nodes (funcname, type_name...), lowercased as parsed: "pg_catalog.now".
std::string qualified_name(std::size_t n, PgQuery__Node* const* names);

// The text of a string constant node, if it is one.
std::optional<std::string> string_constant(const PgQuery__Node& node);

}  // namespace core
