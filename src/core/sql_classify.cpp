#include "core/sql_classify.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/parse_tree.hpp"
#include "core/sql_split.hpp"
#include "core/text.hpp"

namespace core {

const char* tx_control_name(TxControl tx) {
  switch (tx) {
    case TxControl::none: return "";
    case TxControl::begin: return "BEGIN";
    case TxControl::commit: return "COMMIT";
    case TxControl::rollback: return "ROLLBACK";
    case TxControl::savepoint: return "SAVEPOINT";
    case TxControl::release: return "RELEASE SAVEPOINT";
    case TxControl::rollback_to: return "ROLLBACK TO SAVEPOINT";
    case TxControl::prepare: return "PREPARE TRANSACTION";
    case TxControl::commit_prepared: return "COMMIT PREPARED";
    case TxControl::rollback_prepared: return "ROLLBACK PREPARED";
  }
  return "";
}

namespace {

// The first word of sql, lowercased ("" when it starts with something else).
std::string first_keyword(std::string_view sql) {
  std::size_t i = skip_space_and_comments(sql, 0);
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i++])));
  return word;
}

// needle is lowercase.
bool contains_nocase(std::string_view text, std::string_view needle) {
  auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), same) != text.end();
}

// Only these first keywords can start a statement of interest; anything may call an unlock function.
bool worth_parsing(std::string_view sql) {
  static const char* const k_keywords[] = {"begin",   "start",   "commit", "end",     "rollback", "abort",
                                           "prepare", "savepoint", "release", "create", "drop",    "reindex",
                                           "alter",   "vacuum",  "cluster", "discard"};
  std::string word = first_keyword(sql);
  for (const char* k : k_keywords)
    if (word == k) return true;
  return contains_nocase(sql, "advisory_unlock");
}

TxControl tx_of(const PgQuery__TransactionStmt& t) {
  switch (t.kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START: return TxControl::begin;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT: return TxControl::commit;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK: return TxControl::rollback;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT: return TxControl::savepoint;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE: return TxControl::release;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO: return TxControl::rollback_to;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE: return TxControl::prepare;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED: return TxControl::commit_prepared;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED: return TxControl::rollback_prepared;
    default: return TxControl::none;
  }
}

bool has_option(std::size_t n, PgQuery__Node* const* options, const char* name) {
  for (std::size_t i = 0; i < n; ++i)
    if (options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && std::strcmp(options[i]->def_elem->defname, name) == 0)
      return true;
  return false;
}

// ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY
bool detaches_concurrently(const PgQuery__AlterTableStmt& a) {
  for (std::size_t i = 0; i < a.n_cmds; ++i) {
    const PgQuery__Node* c = a.cmds[i];
    if (c->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD || !c->alter_table_cmd->def) continue;
    const PgQuery__Node* def = c->alter_table_cmd->def;
    if (def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD && def->partition_cmd->concurrent) return true;
  }
  return false;
}

// The value of a constant integer argument (42, -42, 9223372036854775807), if it is one.
std::optional<std::int64_t> integer_constant(const PgQuery__Node& n) {
  if (n.node_case == PG_QUERY__NODE__NODE_A_CONST && !n.a_const->isnull) {
    if (n.a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) return n.a_const->ival->ival;
    if (n.a_const->val_case == PG_QUERY__A__CONST__VAL_FVAL) {
      std::string_view s = n.a_const->fval->fval;
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && end == s.data() + s.size()) return v;
    }
  }
  if (n.node_case == PG_QUERY__NODE__NODE_TYPE_CAST && n.type_cast->arg) return integer_constant(*n.type_cast->arg);
  // -7 and -7::bigint: a unary minus over a constant.
  if (n.node_case == PG_QUERY__NODE__NODE_A_EXPR && !n.a_expr->lexpr && n.a_expr->rexpr &&
      qualified_name(n.a_expr->n_name, n.a_expr->name) == "-")
    if (auto v = integer_constant(*n.a_expr->rexpr)) return -*v;
  return std::nullopt;
}

// Looks at every function call in the statement for the advisory unlock functions.
void find_unlocks(const PgQuery__Node* stmt, StatementFacts& facts) {
  for_each_node(stmt, [&](const PgQuery__Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return;
    const auto& f = *node.func_call;
    std::string name = qualified_name(f.n_funcname, f.funcname);
    if (name.starts_with("pg_catalog.")) name = name.substr(11);
    if (name == "pg_advisory_unlock_all") facts.releases_all_locks = "pg_advisory_unlock_all()";
    if ((name == "pg_advisory_unlock" || name == "pg_advisory_unlock_shared") && f.n_args == 1) {
      facts.unlocks_advisory = true;
      if (auto key = integer_constant(*f.args[0])) facts.unlock_keys.push_back(*key);
      else facts.unlock_key_unknown = true;
    }
  });
}

void read_top(const PgQuery__Node& top, StatementFacts& facts) {
  if (top.node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT) facts.tx = tx_of(*top.transaction_stmt);
  facts.no_transaction_block = no_transaction_block(top);
  if (top.node_case == PG_QUERY__NODE__NODE_DISCARD_STMT &&
      top.discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL)
    facts.releases_all_locks = "DISCARD ALL";
  if (top.node_case == PG_QUERY__NODE__NODE_ALTER_ENUM_STMT && *top.alter_enum_stmt->new_val &&
      !*top.alter_enum_stmt->old_val) {
    facts.enum_type = qualified_name(top.alter_enum_stmt->n_type_name, top.alter_enum_stmt->type_name);
    facts.enum_value = top.alter_enum_stmt->new_val;
  }
  if (top.node_case == PG_QUERY__NODE__NODE_CREATE_STMT && !top.create_stmt->if_not_exists && top.create_stmt->relation) {
    const auto* rel = top.create_stmt->relation;
    std::string schema = *rel->schemaname ? quote_identifier(rel->schemaname) + "." : "";
    facts.tables_created.push_back(schema + quote_identifier(rel->relname));
  }
  if (top.node_case == PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT && !top.create_schema_stmt->if_not_exists &&
      *top.create_schema_stmt->schemaname)
    facts.schemas_created.push_back(top.create_schema_stmt->schemaname);
  if (top.node_case == PG_QUERY__NODE__NODE_INDEX_STMT && *top.index_stmt->idxname) {
    const auto* rel = top.index_stmt->relation;
    std::string schema = rel && *rel->schemaname ? std::string(rel->schemaname) + "." : "";
    facts.indexes_created.push_back(schema + top.index_stmt->idxname);
  }
}

}  // namespace

std::string no_transaction_block(const PgQuery__Node& n) {
  switch (n.node_case) {
    case PG_QUERY__NODE__NODE_INDEX_STMT: return n.index_stmt->concurrent ? "CREATE INDEX CONCURRENTLY" : "";
    case PG_QUERY__NODE__NODE_DROP_STMT:
      return n.drop_stmt->concurrent ? "DROP INDEX CONCURRENTLY" : "";
    case PG_QUERY__NODE__NODE_REINDEX_STMT: {
      const auto& r = *n.reindex_stmt;
      if (has_option(r.n_params, r.params, "concurrently")) return "REINDEX ... CONCURRENTLY";
      if (r.kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA) return "REINDEX SCHEMA";
      if (r.kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM) return "REINDEX SYSTEM";
      if (r.kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE) return "REINDEX DATABASE";
      return "";
    }
    case PG_QUERY__NODE__NODE_VACUUM_STMT: return n.vacuum_stmt->is_vacuumcmd ? "VACUUM" : "";
    case PG_QUERY__NODE__NODE_CLUSTER_STMT: return n.cluster_stmt->relation ? "" : "CLUSTER without a table";
    case PG_QUERY__NODE__NODE_CREATEDB_STMT: return "CREATE DATABASE";
    case PG_QUERY__NODE__NODE_DROPDB_STMT: return "DROP DATABASE";
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
      return has_option(n.alter_database_stmt->n_options, n.alter_database_stmt->options, "tablespace")
                 ? "ALTER DATABASE ... SET TABLESPACE"
                 : "";
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT: return "CREATE TABLESPACE";
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT: return "DROP TABLESPACE";
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT: return "ALTER SYSTEM";
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT: return "CREATE SUBSCRIPTION";
    case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT: return "DROP SUBSCRIPTION";
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return detaches_concurrently(*n.alter_table_stmt) ? "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY" : "";
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
      return n.discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL ? "DISCARD ALL" : "";
    default: return "";
  }
}

StatementFacts classify_statement(std::string_view sql) {
  StatementFacts facts;
  if (!worth_parsing(sql)) return facts;
  ParseTree tree(sql);
  for (std::size_t i = 0; i < tree.size(); ++i) {
    read_top(*tree.statement(i), facts);
    find_unlocks(tree.statement(i), facts);
  }
  return facts;
}

bool uses_string_constant(std::string_view sql, const std::string& value) {
  if (sql.find(value) == std::string_view::npos) return false;  // cheap: the literal's text must be there
  ParseTree tree(sql);
  bool found = false;
  for (std::size_t i = 0; i < tree.size() && !found; ++i)
    for_each_node(tree.statement(i), [&](const PgQuery__Node& node) {
      if (auto s = string_constant(node); s && *s == value) found = true;
    });
  return found;
}

}  // namespace core
