#include "lint/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/parse_tree.hpp"
#include "core/plpgsql.hpp"
#include "core/sql_classify.hpp"
#include "core/sql_tokens.hpp"
#include "core/text.hpp"

namespace lint {

namespace {

// PostgreSQL's NAMEDATALEN - 1.
constexpr std::size_t k_max_identifier = 63;

// Functions whose default makes ADD COLUMN rewrite the table (volatile: evaluated per row).
bool volatile_function(std::string name) {
  if (auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
  static const char* const k_volatile[] = {"random",          "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
                                           "uuid_generate_v4", "clock_timestamp", "timeofday",        "nextval",
                                           "gen_random_bytes", "random_normal",   "txid_current"};
  return std::any_of(std::begin(k_volatile), std::end(k_volatile), [&](const char* v) { return name == v; });
}

// "schema.name", with public for an unqualified name (the default search_path's first schema).
std::string table_key(const PgQuery__RangeVar* r) {
  if (!r) return "";
  return std::string(*r->schemaname ? r->schemaname : "public") + "." + r->relname;
}

std::string dotted_key(std::string name) { return name.find('.') == std::string::npos ? "public." + name : name; }

std::string type_name_of(const PgQuery__TypeName* t) {
  if (!t) return "";
  std::string name = core::qualified_name(t->n_names, t->names);
  if (name.starts_with("pg_catalog.")) name = name.substr(11);
  return name;
}

const PgQuery__DefElem* option(std::size_t n, PgQuery__Node* const* options, const char* name) {
  for (std::size_t i = 0; i < n; ++i)
    if (options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && std::strcmp(options[i]->def_elem->defname, name) == 0)
      return options[i]->def_elem;
  return nullptr;
}

// A SET search_path among a function's options (CREATE FUNCTION ... SET, ALTER FUNCTION ... SET).
bool sets_search_path(std::size_t n, PgQuery__Node* const* options) {
  for (std::size_t i = 0; i < n; ++i) {
    const PgQuery__Node* o = options[i];
    if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && std::strcmp(o->def_elem->defname, "set") == 0 &&
        o->def_elem->arg && o->def_elem->arg->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT &&
        std::strcmp(o->def_elem->arg->variable_set_stmt->name, "search_path") == 0)
      return true;
    // ALTER FUNCTION f() SET search_path = ...: the action is the VariableSetStmt's DefElem "set".
    if (o->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT &&
        std::strcmp(o->variable_set_stmt->name, "search_path") == 0)
      return true;
  }
  return false;
}

bool security_definer(std::size_t n, PgQuery__Node* const* options) {
  const PgQuery__DefElem* d = option(n, options, "security");
  return d && d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN && d->arg->boolean->boolval;
}

// An ignore comment: `-- autocrm-migrate:ignore RULE[, RULE] reason` or `-- squawk-ignore rule[, rule]`.
struct Ignore {
  int line = 0;
  int column = 0;
  std::string text;                // the comment, for messages
  std::vector<std::string> rules;  // our rule ids
  std::vector<std::string> named;  // as written
  std::string reason;
  bool squawk = false;
  bool used = false;
};

std::string trim(std::string_view s) { return std::string(core::trim(s)); }

// Parses the rule list at the start of rest ("a, b reason"): the names, and what follows them.
std::vector<std::string> rule_list(std::string_view& rest) {
  std::vector<std::string> names;
  for (;;) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '-' || rest[n] == '_'))
      ++n;
    if (n == 0) break;
    names.emplace_back(rest.substr(0, n));
    rest.remove_prefix(n);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || rest.front() != ',') break;
    rest.remove_prefix(1);
  }
  return names;
}

// The ignore comments of a section's body.
std::vector<Ignore> find_ignores(std::string_view body, int first_line) {
  std::vector<Ignore> out;
  int line = first_line;
  for (std::size_t pos = 0; pos <= body.size(); ++line) {
    auto end = body.find('\n', pos);
    std::string_view text = body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    for (const char* marker : {"autocrm-migrate:ignore", "squawk-ignore"}) {
      auto dash = text.find("--");
      if (dash == std::string_view::npos) break;
      auto at = text.find(marker, dash);
      if (at == std::string_view::npos || trim(text.substr(dash + 2, at - dash - 2)) != "") continue;
      std::string_view rest = text.substr(at + std::strlen(marker));
      if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') continue;  // squawk-ignore-file and the like
      Ignore ig;
      ig.line = line;
      ig.column = static_cast<int>(dash) + 1;
      ig.text = trim(text.substr(dash));
      ig.squawk = std::strcmp(marker, "squawk-ignore") == 0;
      ig.named = rule_list(rest);
      ig.reason = trim(rest);
      for (const auto& name : ig.named) {
        if (ig.squawk)
          for (auto& id : rules_for_squawk(name)) ig.rules.push_back(id);
        else if (find_rule(name))
          ig.rules.push_back(name);
      }
      out.push_back(std::move(ig));
      break;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return out;
}

// SAVEPOINT, RELEASE and ROLLBACK TO work inside the tool's transaction.
bool nests_fine(const PgQuery__TransactionStmt& t) {
  return t.kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT ||
         t.kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE ||
         t.kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO;
}

// Whether sql (split statements start at their first token) starts with one of the words, any case.
bool first_word_is(std::string_view sql, std::initializer_list<std::string_view> words) {
  std::size_t n = 0;
  while (n < sql.size() && std::isalpha(static_cast<unsigned char>(sql[n]))) ++n;
  for (auto w : words)
    if (n == w.size() && std::equal(w.begin(), w.end(), sql.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        }))
      return true;
  return false;
}

// Below this many statements lint parses them on one thread (starting threads costs more).
constexpr std::size_t k_parallel_from = 2000;

// Nested DO blocks (a DO run by EXECUTE inside a DO) are read this deep.
constexpr int k_max_do_depth = 4;

// The table a statement locks, for lock-timeout-missing: every statement that queues for a lock on
// a table that may be busy ("" for others, and for CREATE INDEX CONCURRENTLY).
std::string table_locked_by(const PgQuery__Node& top) {
  switch (top.node_case) {
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: return table_key(top.alter_table_stmt->relation);
    case PG_QUERY__NODE__NODE_INDEX_STMT: return top.index_stmt->concurrent ? "" : table_key(top.index_stmt->relation);
    case PG_QUERY__NODE__NODE_RENAME_STMT: return table_key(top.rename_stmt->relation);
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: return table_key(top.create_trig_stmt->relation);
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT: return table_key(top.create_policy_stmt->table);
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT: return table_key(top.alter_policy_stmt->table);
    case PG_QUERY__NODE__NODE_REINDEX_STMT: return table_key(top.reindex_stmt->relation);
    case PG_QUERY__NODE__NODE_CLUSTER_STMT: return table_key(top.cluster_stmt->relation);
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
      const auto& t = *top.truncate_stmt;
      return t.n_relations > 0 && t.relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR
                 ? table_key(t.relations[0]->range_var)
                 : "";
    }
    case PG_QUERY__NODE__NODE_DROP_STMT: {
      const auto& d = *top.drop_stmt;
      bool relation = d.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
                      (d.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX && !d.concurrent);
      if (!relation || d.n_objects == 0 || d.objects[0]->node_case != PG_QUERY__NODE__NODE_LIST) return "";
      return dotted_key(core::qualified_name(d.objects[0]->list->n_items, d.objects[0]->list->items));
    }
    default: return "";
  }
}

class Linter {
public:
  explicit Linter(const ChainOptions& options) : m_options(options) {}

  std::vector<Finding> run(const std::vector<SectionInput>& sections) {
    parse_all(sections);
    for (std::size_t i = 0; i < sections.size(); ++i) section(sections[i], i);
    for (auto& [name, f] : m_unsafe_definers) m_out.push_back(std::move(f));
    apply_ignores(sections);
    apply_levels();
    std::stable_sort(m_out.begin(), m_out.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.section, a.line, a.column) < std::tie(b.section, b.line, b.column);
    });
    return std::move(m_out);
  }

private:
  ChainOptions m_options;
  // Every statement's parse tree, by section and statement (parse_all).
  std::vector<std::vector<std::unique_ptr<core::ParseTree>>> m_trees;
  // The chain so far.
  std::set<std::string> m_new_tables;                 // "schema.table" created by an earlier statement
  std::map<std::string, std::string> m_index_table;   // "schema.index" created in the chain -> its table
  std::map<std::string, Finding> m_unsafe_definers;   // security definer functions without search_path, by name
  std::vector<Finding> m_out;
  // The section being read.
  const SectionInput* m_sec = nullptr;
  std::size_t m_sec_index = 0;
  std::vector<std::size_t> m_line_starts;  // offsets in the file of each line
  std::size_t m_base = 0;                  // the statement's offset in the file
  int m_statement_line = 0;
  std::string m_locked_table;  // the existing table the statement being read locks ("" when none)
  std::map<std::pair<std::size_t, std::string>, int> m_alters;  // ALTER TABLE statements per (section, table)
  std::map<std::string, Finding> m_public_tables;  // tables created in public in this file, until RLS is enabled
  bool m_wrapped = false;            // the section is wrapped whole in BEGIN ... COMMIT
  bool m_wrapper_statement = false;  // the statement is that BEGIN or COMMIT
  std::string_view m_statement_sql;  // the text of the statement being read (a DO block's: its own)
  int m_do_depth = 0;                // > 0: reading the statements of a DO block
  bool m_pinned = false;             // findings go to the statement's start (a DO body not found as written)
  bool m_lock_timeout_set = false;   // the section ran SET lock_timeout
  bool m_lock_timeout_reported = false;
  bool m_statement_timeout_set = false;  // ... SET statement_timeout
  bool m_statement_timeout_reported = false;

  const std::string& source() const { return *m_sec->statements.source; }

  // Parses every statement first, on several threads when there are many (libpg_query is
  // thread-safe): parsing is most of lint's time, and the rules then read the chain in order.
  void parse_all(const std::vector<SectionInput>& sections) {
    std::vector<std::pair<std::size_t, std::size_t>> work;
    m_trees.resize(sections.size());
    for (std::size_t s = 0; s < sections.size(); ++s) {
      m_trees[s].resize(sections[s].statements.items.size());
      for (std::size_t i = 0; i < sections[s].statements.items.size(); ++i) work.emplace_back(s, i);
    }
    auto parse_range = [&](std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) {
        auto [s, i] = work[k];
        m_trees[s][i] = std::make_unique<core::ParseTree>(sections[s].statements.items[i].sql);
      }
    };
    std::size_t threads = m_options.parse_threads
                              ? m_options.parse_threads
                              : std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), 8);
    if (work.size() < k_parallel_from || threads == 1) return parse_range(0, work.size());
    std::vector<std::thread> pool;
    std::size_t chunk = (work.size() + threads - 1) / threads;
    for (std::size_t t = 1; t < threads; ++t)
      pool.emplace_back(parse_range, std::min(work.size(), t * chunk), std::min(work.size(), (t + 1) * chunk));
    parse_range(0, std::min(work.size(), chunk));
    for (auto& th : pool) th.join();
  }

  void section(const SectionInput& sec, std::size_t index) {
    m_sec = &sec;
    m_sec_index = index;
    m_public_tables.clear();
    m_lock_timeout_set = m_lock_timeout_reported = false;
    m_statement_timeout_set = m_statement_timeout_reported = false;
    index_lines();
    const std::string& src = *sec.statements.source;
    // A section wrapped whole in BEGIN ... COMMIT runs as the tool's one transaction (core::check_section).
    const auto& items = sec.statements.items;
    // The first word is looked at before parsing: classifying the first statement of every section
    // (mostly a CREATE TABLE) parsed it a second time, a third of lint's time on 10,000 files.
    m_wrapped = sec.transaction && items.size() >= 2 && first_word_is(items.front().sql, {"begin", "start"}) &&
                first_word_is(items.back().sql, {"commit", "end"}) &&
                core::classify_statement(items.front().sql).tx == core::TxControl::begin &&
                core::classify_statement(items.back().sql).tx == core::TxControl::commit;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& st = items[i];
      m_wrapper_statement = m_wrapped && (i == 0 || i + 1 == items.size());
      m_base = static_cast<std::size_t>(st.sql.data() - src.data());
      m_statement_line = st.line;
      m_statement_sql = st.sql;
      const core::ParseTree& tree = *m_trees[index][i];
      for (std::size_t k = 0; k < tree.size(); ++k) {
        m_locked_table.clear();
        statement(*tree.statement(k));
      }
      m_locked_table.clear();
      identifiers(st.sql);
    }
    for (auto& [key, f] : m_public_tables) m_out.push_back(std::move(f));
  }

  // A finding at offset (in the statement; negative: the statement's start).
  Finding make(const char* rule_id, int offset, std::string message) const {
    const Rule* rule = find_rule(rule_id);
    Finding f;
    f.rule = rule_id;
    f.level = rule->level;
    f.file = m_sec->file;
    f.message = std::move(message);
    f.remediation = rule->remediation;
    std::size_t at = m_base + static_cast<std::size_t>(m_pinned ? 0 : std::max(offset, 0));
    f.line = line_of(at);
    std::size_t start = m_line_starts[static_cast<std::size_t>(f.line - 1)];
    f.column = static_cast<int>(at - start) + 1;
    auto end = source().find('\n', start);
    f.source_line = source().substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!f.source_line.empty() && f.source_line.back() == '\r') f.source_line.pop_back();
    f.statement_line = m_statement_line;
    f.section = m_sec_index;
    return f;
  }
  void report(const char* rule_id, int offset, std::string message) {
    m_out.push_back(make(rule_id, offset, std::move(message)));
    m_out.back().table = m_locked_table;
  }

  bool is_new(const std::string& key) const { return m_new_tables.count(key) > 0; }

  void statement(const PgQuery__Node& top) {
    std::vector<Finding> timeouts = missing_timeouts(top);
    if (std::string what = core::no_transaction_block(top);
        !what.empty() && (m_do_depth > 0 || (m_sec->transaction && !m_wrapper_statement)))
      report("cannot-run-in-transaction", -1,
             fmt::format("{} cannot run inside a transaction block, and {}: it fails (SQLSTATE 25001) and the "
                         "migration with it",
                         what,
                         m_do_depth > 0 ? "a DO block always runs in one"
                                        : "the tool runs this section in one transaction"));
    switch (top.node_case) {
      case PG_QUERY__NODE__NODE_INDEX_STMT: create_index(*top.index_stmt); break;
      case PG_QUERY__NODE__NODE_DROP_STMT: drop(*top.drop_stmt); break;
      case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: alter_table(*top.alter_table_stmt); break;
      case PG_QUERY__NODE__NODE_RENAME_STMT: rename(*top.rename_stmt); break;
      case PG_QUERY__NODE__NODE_CREATE_STMT: create_table(*top.create_stmt); break;
      case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        if (top.create_table_as_stmt->into) m_new_tables.insert(table_key(top.create_table_as_stmt->into->rel));
        break;
      case PG_QUERY__NODE__NODE_VACUUM_STMT:
        if (top.vacuum_stmt->is_vacuumcmd && option(top.vacuum_stmt->n_options, top.vacuum_stmt->options, "full"))
          report("vacuum-full", -1,
                 "VACUUM FULL rewrites each table it names under an ACCESS EXCLUSIVE lock: every read and write of it "
                 "waits for the whole rewrite");
        break;
      case PG_QUERY__NODE__NODE_CLUSTER_STMT:
        report("cluster", -1,
               "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock: every read and write of it waits for the "
               "whole rewrite");
        break;
      case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        if (m_sec->transaction && !m_wrapper_statement && !nests_fine(*top.transaction_stmt))
          report("transaction-nesting", -1,
                 "the tool runs each section in one transaction: a transaction control statement here ends it or "
                 "nests in it, so what follows may run outside it and a failure leaves the migration half applied");
        break;
      case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: create_function(*top.create_function_stmt); break;
      case PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT: {
        const auto& a = *top.alter_function_stmt;
        if (a.func && sets_search_path(a.n_actions, a.actions))
          m_unsafe_definers.erase(dotted_key(core::qualified_name(a.func->n_objname, a.func->objname)));
        break;
      }
      case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT: create_extension(*top.create_extension_stmt); break;
      case PG_QUERY__NODE__NODE_GRANT_STMT: grant(*top.grant_stmt); break;
      case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        if (top.alter_default_privileges_stmt->action) grant(*top.alter_default_privileges_stmt->action);
        break;
      case PG_QUERY__NODE__NODE_DO_STMT: do_block(*top.do_stmt); break;
      case PG_QUERY__NODE__NODE_REINDEX_STMT: reindex(*top.reindex_stmt); break;
      case PG_QUERY__NODE__NODE_DROPDB_STMT:
        report("drop-database", -1,
               fmt::format("DROP DATABASE {} deletes every table, row and role grant in it, for every client at once, "
                           "and cannot be undone by a down section",
                           top.dropdb_stmt->dbname));
        break;
      case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
        if (top.truncate_stmt->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
          report("truncate-cascade", -1,
                 "TRUNCATE ... CASCADE also empties every table that references these through a foreign key, and "
                 "the tables that reference those, without naming them");
        break;
      case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
        const auto& d = *top.create_domain_stmt;
        for (std::size_t i = 0; i < d.n_constraints; ++i)
          if (d.constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
              d.constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
            report("domain-check-constraint", d.constraints[i]->constraint->location,
                   fmt::format("domain {} has a CHECK constraint: changing it later checks every column of every "
                               "table that uses the domain, under their locks",
                               core::qualified_name(d.n_domainname, d.domainname)));
            break;
          }
        break;
      }
      case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: {
        const auto& d = *top.alter_domain_stmt;
        if (std::strcmp(d.subtype, "C") == 0 && d.def && d.def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
            !d.def->constraint->skip_validation)
          report("domain-check-constraint", d.def->constraint->location,
                 fmt::format("adding a constraint to domain {} checks every row of every table with a column of "
                             "that domain, holding a SHARE lock on each: writes to them wait for the whole scan",
                             core::qualified_name(d.n_type_name, d.type_name)));
        break;
      }
      case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
        const auto& e = *top.alter_enum_stmt;
        if (*e.new_val && !*e.old_val && !*e.new_val_neighbor)
          report("enum-value-unordered", -1,
                 fmt::format("ADD VALUE '{}' without BEFORE or AFTER puts it last in {}: comparisons and ORDER BY "
                             "on the enum sort it after every existing value",
                             e.new_val, core::qualified_name(e.n_type_name, e.type_name)));
        break;
      }
      default: break;
    }
    for (auto& f : timeouts) m_out.push_back(std::move(f));  // after the statement's own findings
  }

  // lock-timeout-missing and statement-timeout-missing: a statement that locks an existing table,
  // in a section that set no such timeout, when the tool sets none either (0 in the configuration).
  std::vector<Finding> missing_timeouts(const PgQuery__Node& top) {
    std::vector<Finding> out;
    if (top.node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT && top.variable_set_stmt->name) {
      if (std::strcmp(top.variable_set_stmt->name, "lock_timeout") == 0) m_lock_timeout_set = true;
      if (std::strcmp(top.variable_set_stmt->name, "statement_timeout") == 0) m_statement_timeout_set = true;
    }
    bool lock_due = !m_options.tool_sets_lock_timeout && !m_lock_timeout_set && !m_lock_timeout_reported;
    bool statement_due =
        !m_options.tool_sets_statement_timeout && !m_statement_timeout_set && !m_statement_timeout_reported;
    if (!lock_due && !statement_due) return out;
    std::string table = table_locked_by(top);
    if (table.empty() || is_new(table)) return out;
    if (lock_due) {
      m_lock_timeout_reported = true;
      out.push_back(make("lock-timeout-missing", -1,
                           fmt::format("this statement queues for a lock on {} with no lock_timeout (the "
                                       "configuration sets lock_timeout = 0): while it waits behind a long query, "
                                       "every read and write of {} queues behind it",
                                       table, table)));
    }
    if (statement_due) {
      m_statement_timeout_reported = true;
      out.push_back(make("statement-timeout-missing", -1,
                           fmt::format("this statement locks {} with no statement_timeout (the configuration sets "
                                       "statement_timeout = 0): if it scans or rewrites more than expected, nothing "
                                       "stops it while it holds the lock",
                                       table)));
    }
    return out;
  }

  // REINDEX of an existing table or index without CONCURRENTLY; REINDEX SCHEMA/DATABASE/SYSTEM always.
  void reindex(const PgQuery__ReindexStmt& r) {
    for (std::size_t i = 0; i < r.n_params; ++i)
      if (r.params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
          std::strcmp(r.params[i]->def_elem->defname, "concurrently") == 0)
        return;
    std::string table;
    if (r.kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE) {
      table = table_key(r.relation);
    } else if (r.kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX && r.relation) {
      auto it = m_index_table.find(table_key(r.relation));
      if (it != m_index_table.end()) table = it->second;
    }
    if (!table.empty() && is_new(table)) return;
    m_locked_table = table;
    report("reindex-not-concurrently", -1,
           fmt::format("REINDEX without CONCURRENTLY holds {}: writes wait for the whole rebuild, and so do reads "
                       "that would use the index",
                       table.empty() ? "a SHARE lock on each table it rebuilds and ACCESS EXCLUSIVE on its indexes"
                                     : "a SHARE lock on " + table + " and ACCESS EXCLUSIVE on the index(es)"));
  }

  // Where each line of the section's file starts (m_line_starts), for line_of.
  void index_lines() {
    m_line_starts.assign(1, 0);
    for (std::size_t i = 0; i < source().size(); ++i)
      if (source()[i] == '\n') m_line_starts.push_back(i + 1);
  }

  // The 1-based line of an offset in the section's file.
  int line_of(std::size_t offset) const {
    auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
    return static_cast<int>(it - m_line_starts.begin());
  }

  // A DO block's PL/pgSQL body: its statements (and EXECUTEs of constant strings) are linted in order,
  // each at its own place in the file when the body is there as written (dollar-quoted).
  void do_block(const PgQuery__DoStmt& d) {
    std::string body, language = "plpgsql";
    for (std::size_t i = 0; i < d.n_args; ++i) {
      if (d.args[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
      const auto& e = *d.args[i]->def_elem;
      if (!e.arg || e.arg->node_case != PG_QUERY__NODE__NODE_STRING) continue;
      if (std::strcmp(e.defname, "as") == 0) body = e.arg->string->sval;
      if (std::strcmp(e.defname, "language") == 0) language = e.arg->string->sval;
    }
    if (language != "plpgsql" || body.empty() || m_do_depth >= k_max_do_depth) return;
    core::PlpgsqlStatements inner = core::plpgsql_statements(body);
    if (!inner.ok) return;  // the server reports a body that does not parse when it runs it
    std::size_t found = m_statement_sql.find(body);
    const std::size_t base = m_base;
    const int statement_line = m_statement_line;
    const std::string_view statement_sql = m_statement_sql;
    const bool pinned = m_pinned;
    ++m_do_depth;
    for (const auto& st : inner.statements) {
      m_pinned = pinned || found == std::string_view::npos;
      m_base = m_pinned ? base : base + found + st.offset;
      m_statement_line = m_pinned ? statement_line : line_of(m_base);
      m_statement_sql = st.sql;
      core::ParseTree tree(st.sql);
      for (std::size_t k = 0; k < tree.size(); ++k) {
        m_locked_table.clear();
        statement(*tree.statement(k));
      }
      m_locked_table.clear();
      if (!m_pinned && !st.dynamic) identifiers(st.sql);
    }
    --m_do_depth;
    m_base = base;
    m_statement_line = statement_line;
    m_statement_sql = statement_sql;
    m_pinned = pinned;
  }

  void create_index(const PgQuery__IndexStmt& s) {
    std::string table = table_key(s.relation);
    m_locked_table = table;
    std::string schema = s.relation && *s.relation->schemaname ? s.relation->schemaname : "public";
    std::string key = *s.idxname ? schema + "." + s.idxname : "";
    // CREATE INDEX IF NOT EXISTS of an index the chain already created builds nothing (PostgreSQL
    // takes the table's lock, finds the name and skips it with a NOTICE).
    bool built_before = s.if_not_exists && !key.empty() && m_index_table.count(key) > 0;
    if (!s.concurrent && !is_new(table) && !built_before)
      report("create-index-not-concurrently", -1,
             fmt::format("CREATE INDEX without CONCURRENTLY locks {} against writes (SHARE lock): inserts, updates and "
                         "deletes wait until the whole index is built",
                         table));
    if (!key.empty()) m_index_table[key] = table;
  }

  void drop(const PgQuery__DropStmt& s) {
    for (std::size_t i = 0; i < s.n_objects; ++i) {
      const PgQuery__Node* o = s.objects[i];
      if (o->node_case != PG_QUERY__NODE__NODE_LIST) continue;
      std::string key = dotted_key(core::qualified_name(o->list->n_items, o->list->items));
      if (s.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX && !s.concurrent) {
        auto it = m_index_table.find(key);
        m_locked_table = it == m_index_table.end() ? "" : it->second;
        if (it == m_index_table.end() || !is_new(it->second))
          report("drop-index-not-concurrently", -1,
                 fmt::format("DROP INDEX {} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: every "
                             "read and write waits (behind any running query) until the drop is done",
                             key));
      } else if (s.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        if (!is_new(key))
          report("drop-table", -1,
                 fmt::format("DROP TABLE {} breaks every client that still reads or writes it, and waits for an "
                             "ACCESS EXCLUSIVE lock",
                             key));
        m_new_tables.erase(key);
      }
    }
  }

  void create_table(const PgQuery__CreateStmt& s) {
    std::string key = table_key(s.relation);
    m_new_tables.insert(key);
    for (std::size_t i = 0; i < s.n_table_elts; ++i)
      if (s.table_elts[i]->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
        const auto& c = *s.table_elts[i]->column_def;
        column_type(c.type_name, c.colname);
      }
    bool temporary = s.relation && std::strcmp(s.relation->relpersistence, "t") == 0;
    if (!temporary && key.starts_with("public."))
      m_public_tables.emplace(
          key, make("rls-not-enabled", s.relation ? s.relation->location : -1,
                    fmt::format("{} is created in public, which the Supabase API serves, without ENABLE ROW LEVEL "
                                "SECURITY in this file: anon and authenticated can read and write every row",
                                key)));
  }

  // Type rules of one column (created or changed).
  void column_type(const PgQuery__TypeName* t, const std::string& column) {
    if (!t) return;
    std::string type = type_name_of(t);
    int at = t->location;
    if (type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" || type == "serial4" ||
        type == "serial8")
      report("prefer-identity", at,
             fmt::format("column {} is {}: its sequence is a separate object with its own owner and grants, and "
                         "inserts may bypass it with explicit values",
                         column, type));
    if (type == "varchar" && t->n_typmods > 0)
      report("prefer-text", at,
             fmt::format("column {} is varchar(n): changing n later rewrites or rescans the table under an ACCESS "
                         "EXCLUSIVE lock",
                         column));
    else if (type == "bpchar")
      report("ban-char", at, fmt::format("column {} is char(n): blank-padded, and no faster than text", column));
    else if ((type == "int4" || type == "serial" || type == "serial4" || type == "int" || type == "int2" ||
              type == "smallserial" || type == "serial2") &&
             (column == "id" || column.ends_with("_id")))
      report("prefer-bigint", at,
             fmt::format("id column {} is a {}-bit integer: it runs out at {}, and widening it later rewrites the "
                         "table (and every referencing one) under an ACCESS EXCLUSIVE lock",
                         column, type.ends_with("2") || type == "smallserial" ? 16 : 32,
                         type.ends_with("2") || type == "smallserial" ? "32,767" : "2,147,483,647"));
    else if (type == "timestamp")
      report("prefer-timestamptz", at,
             fmt::format("column {} is timestamp without time zone: its values depend on the writer's TimeZone",
                         column));
    else if (type == "json")
      report("prefer-jsonb", at,
             fmt::format("column {} is json: stored as text, reparsed on every use, no equality or GIN indexes",
                         column));
  }

  // NOT NULL with no default, no identity and no generated expression: fails on a table with rows.
  static bool required_without_default(const PgQuery__ColumnDef& c) {
    bool not_null = c.is_not_null, filled = c.raw_default != nullptr || *c.identity || *c.generated;
    for (std::size_t i = 0; i < c.n_constraints; ++i) {
      if (c.constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
      switch (c.constraints[i]->constraint->contype) {
        case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: not_null = true; break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: filled = true; break;
        default: break;
      }
    }
    std::string type = type_name_of(c.type_name);
    if (type.ends_with("serial") || type == "serial4" || type == "serial8" || type == "serial2") filled = true;
    return not_null && !filled;
  }

  // A value computed per row when the column is added: a volatile default, and also an identity, a
  // serial type or a stored generated expression (each rewrites the table like a volatile default).
  bool volatile_default(const PgQuery__ColumnDef& c) const {
    std::string type = type_name_of(c.type_name);
    if (*c.identity || *c.generated || type.ends_with("serial") || type == "serial2" || type == "serial4" ||
        type == "serial8")
      return true;
    bool found = false;
    auto look = [&](const PgQuery__Node* expr) {
      core::for_each_node(expr, [&](const PgQuery__Node& n) {
        if (n.node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
            volatile_function(core::qualified_name(n.func_call->n_funcname, n.func_call->funcname)))
          found = true;
      });
    };
    if (c.raw_default) look(c.raw_default);
    for (std::size_t i = 0; i < c.n_constraints; ++i) {
      if (c.constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
      const auto& k = *c.constraints[i]->constraint;
      if (k.contype == PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY || k.contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED)
        return true;
      if (k.contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT && k.raw_expr) look(k.raw_expr);
    }
    return found;
  }

  // A UNIQUE or PRIMARY KEY constraint added to an existing table builds its index under the
  // table's ACCESS EXCLUSIVE lock (unless it adopts one built beforehand: USING INDEX).
  void unique_constraint(const PgQuery__Constraint& c, const std::string& table) {
    bool unique = c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE;
    if (!unique && c.contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) return;
    if (*c.indexname) return;  // ... USING INDEX name: the index exists already
    report("add-unique-constraint", c.location,
           fmt::format("adding a {} constraint builds its index on {} while holding an ACCESS EXCLUSIVE lock: reads "
                       "and writes wait for the whole build",
                       unique ? "UNIQUE" : "PRIMARY KEY", table));
  }

  // Several ALTER TABLE statements on one existing table in a section: each takes its own ACCESS
  // EXCLUSIVE lock (and may scan or rewrite), where one statement takes it once.
  void count_alter(const std::string& table, bool fresh) {
    if (fresh) return;
    int& seen = m_alters[{m_sec_index, table}];
    if (++seen == 2)
      report("multiple-alter-table", -1,
             fmt::format("a second ALTER TABLE on {} in this migration: each one queues for and takes the ACCESS "
                         "EXCLUSIVE lock again (and may scan or rewrite the table again)",
                         table));
  }

  void alter_table(const PgQuery__AlterTableStmt& s) {
    if (s.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
    std::string table = table_key(s.relation);
    m_locked_table = table;
    bool fresh = is_new(table);
    count_alter(table, fresh);
    for (std::size_t i = 0; i < s.n_cmds; ++i) {
      if (s.cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
      const auto& cmd = *s.cmds[i]->alter_table_cmd;
      const PgQuery__Node* def = cmd.def;
      switch (cmd.subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
          if (!def || def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT || fresh) break;
          const auto& c = *def->constraint;
          unique_constraint(c, table);
          if (c.skip_validation) break;
          if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
            report("constraint-not-valid-missing", c.location,
                   fmt::format("adding a foreign key checks every row of {} while holding SHARE ROW EXCLUSIVE locks "
                               "on it and on {}: writes to both wait for the whole scan",
                               table, table_key(c.pktable)));
          else if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
            report("constraint-not-valid-missing", c.location,
                   fmt::format("adding a check constraint scans every row of {} under an ACCESS EXCLUSIVE lock: reads "
                               "and writes wait for the whole scan",
                               table));
          break;
        }
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
          if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
            const auto& c = *def->column_def;
            column_type(c.type_name, c.colname);
            if (!fresh)
              for (std::size_t k = 0; k < c.n_constraints; ++k)
                if (c.constraints[k]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
                  unique_constraint(*c.constraints[k]->constraint, table);
            if (!fresh && required_without_default(c))
              report("add-column-required", c.location,
                     fmt::format("adding column {} NOT NULL without a default fails as soon as {} has a row (and "
                                 "holds an ACCESS EXCLUSIVE lock until then)",
                                 c.colname, table));
            // A foreign key or check written on the new column is validated like ADD CONSTRAINT: a scan
            // of every row (and SHARE ROW EXCLUSIVE on the referenced table for a foreign key).
            for (std::size_t k = 0; k < c.n_constraints && !fresh; ++k) {
              if (c.constraints[k]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
              const auto& inline_c = *c.constraints[k]->constraint;
              if (inline_c.skip_validation) continue;
              if (inline_c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
                report("constraint-not-valid-missing", inline_c.location,
                       fmt::format("adding column {} with a foreign key checks every row of {} while holding its "
                                   "ACCESS EXCLUSIVE lock and SHARE ROW EXCLUSIVE on {}: add the column, then the "
                                   "constraint NOT VALID",
                                   c.colname, table, table_key(inline_c.pktable)));
              else if (inline_c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
                report("constraint-not-valid-missing", inline_c.location,
                       fmt::format("adding column {} with a check constraint scans every row of {} under an ACCESS "
                                   "EXCLUSIVE lock: add the column, then the constraint NOT VALID",
                                   c.colname, table));
            }
            if (!fresh && volatile_default(c))
              report("add-column-volatile-default", c.location,
                     fmt::format("adding column {} with a volatile default (or an identity, serial or generated value) "
                                 "rewrites {} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole "
                                 "rewrite",
                                 c.colname, table));
          }
          break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
          const PgQuery__ColumnDef* c = def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF ? def->column_def : nullptr;
          if (c) column_type(c->type_name, cmd.name);
          if (fresh) break;
          report("alter-column-type", c ? c->location : -1,
                 fmt::format("changing the type of {}.{} takes an ACCESS EXCLUSIVE lock and rewrites the table and "
                             "its indexes (unless it only widens a varchar, varbit or numeric, or turns varchar into "
                             "text: --catalog reads the column's type today): reads and writes wait for the rewrite",
                             table, cmd.name));
          m_out.back().changed_column = cmd.name;
          if (c && c->type_name) m_out.back().new_type = column_type_of(*c->type_name);
          m_out.back().using_expression = c && c->raw_default;
          break;
        }
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
          if (!fresh)
            report("drop-not-null", -1,
                   fmt::format("DROP NOT NULL on {}.{}: clients, views and functions written for a column that is "
                               "never null start reading nulls",
                               table, cmd.name));
          break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
          if (!fresh && def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD && !def->partition_cmd->concurrent)
            report("detach-partition-not-concurrently", -1,
                   fmt::format("DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {}: every read "
                               "and write of the partitioned table waits",
                               table));
          break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
          if (!fresh)
            report("set-not-null", -1,
                   fmt::format("SET NOT NULL on {}.{} scans the whole table under an ACCESS EXCLUSIVE lock: reads "
                               "and writes wait for the scan",
                               table, cmd.name));
          break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
          if (!fresh)
            report("drop-column", -1,
                   fmt::format("dropping {}.{} breaks every client (and view, function) that still uses it", table,
                               cmd.name));
          break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity: m_public_tables.erase(table); break;
        default: break;
      }
    }
  }

  void rename(const PgQuery__RenameStmt& s) {
    std::string table = table_key(s.relation);
    if (s.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN && s.relation && !is_new(table))
      report("rename-column", -1,
             fmt::format("renaming {}.{} to {} breaks every client still using the old name the moment it commits",
                         table, s.subname, s.newname));
    if (s.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE && s.relation) {
      if (!is_new(table)) {
        report("rename-table", -1,
               fmt::format("renaming {} to {} breaks every client still using the old name the moment it commits",
                           table, s.newname));
      } else {
        m_new_tables.erase(table);
        m_new_tables.insert(table.substr(0, table.find('.') + 1) + s.newname);
      }
    }
  }

  void create_function(const PgQuery__CreateFunctionStmt& s) {
    std::string name = dotted_key(core::qualified_name(s.n_funcname, s.funcname));
    if (security_definer(s.n_options, s.options) && !sets_search_path(s.n_options, s.options))
      m_unsafe_definers.insert_or_assign(
          name, make("security-definer-search-path", -1,
                     fmt::format("SECURITY DEFINER function {} has no SET search_path: a caller who can create "
                                 "objects earlier in its search_path runs code as the function's owner",
                                 name)));
    else
      m_unsafe_definers.erase(name);
  }

  void create_extension(const PgQuery__CreateExtensionStmt& s) {
    const PgQuery__DefElem* schema = option(s.n_options, s.options, "schema");
    std::string in = schema && schema->arg && schema->arg->node_case == PG_QUERY__NODE__NODE_STRING
                         ? schema->arg->string->sval
                         : "";
    if (in.empty() || in == "public")
      report("extension-in-public", -1,
             fmt::format("extension {} {}: its functions and tables land in public, which the Supabase API serves",
                         s.extname, in.empty() ? "has no WITH SCHEMA" : "is created in public"));
  }

  void grant(const PgQuery__GrantStmt& s) {
    if (!s.is_grant) return;
    for (std::size_t i = 0; i < s.n_grantees; ++i) {
      const PgQuery__Node* g = s.grantees[i];
      if (g->node_case == PG_QUERY__NODE__NODE_ROLE_SPEC &&
          g->role_spec->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING &&
          std::strcmp(g->role_spec->rolename, "anon") == 0)
        report("grant-to-anon", g->role_spec->location,
               "a grant to anon gives every unauthenticated API caller that access (only RLS policies stand between "
               "them and the rows)");
    }
  }

  // Names over 63 bytes, read from the tokens: the parser has already truncated them in the tree.
  // The scanner runs only where such a token can be: an unquoted one is a run of over 63 identifier
  // bytes in the text, a quoted one needs a '"' (most statements have neither, and scanning each
  // one cost as much as parsing it).
  static bool may_have_long_identifier(std::string_view sql) {
    std::size_t run = 0;
    for (char ch : sql) {
      auto c = static_cast<unsigned char>(ch);
      if (c == '"') return true;
      bool ident = std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
      run = ident ? run + 1 : 0;
      if (run > k_max_identifier) return true;
    }
    return false;
  }

  void identifiers(std::string_view sql) {
    if (sql.size() <= k_max_identifier || !may_have_long_identifier(sql)) return;
    for (const auto& t : core::sql_tokens(sql))
      if (t.name && t.text.size() > k_max_identifier)
        report("identifier-too-long", static_cast<int>(t.start),
               fmt::format("identifier \"{}\" is {} bytes: PostgreSQL truncates it to 63 (with only a NOTICE), so "
                           "the object gets another name than written and two such names can collide",
                           t.text, t.text.size()));
  }

  // The configuration's [lint] levels: findings of rules turned off go, the others take their level.
  void apply_levels() {
    if (m_options.levels.empty()) return;
    std::erase_if(m_out, [&](const Finding& f) {
      auto it = m_options.levels.find(f.rule);
      return it != m_options.levels.end() && !it->second;
    });
    for (auto& f : m_out)
      if (auto it = m_options.levels.find(f.rule); it != m_options.levels.end()) f.level = *it->second;
  }

  void apply_ignores(const std::vector<SectionInput>& sections) {
    std::vector<Finding> extra;
    for (std::size_t s = 0; s < sections.size(); ++s) {
      std::vector<Ignore> ignores = find_ignores(sections[s].body, sections[s].body_line);
      if (ignores.empty()) continue;
      for (auto& f : m_out) {
        if (f.section != s || f.suppressed) continue;
        for (auto& ig : ignores) {
          bool near = ig.line == f.statement_line || ig.line == f.statement_line - 1 || ig.line == f.line ||
                      ig.line == f.line - 1;
          if (!near || std::find(ig.rules.begin(), ig.rules.end(), f.rule) == ig.rules.end()) continue;
          if (!ig.squawk && ig.reason.empty()) continue;  // reported as invalid, suppresses nothing
          ig.used = true;
          f.suppressed = true;
          f.suppression_reason = ig.reason.empty() ? ig.text : ig.reason;
          break;
        }
      }
      m_sec = &sections[s];
      m_sec_index = s;
      index_lines();
      for (const auto& ig : ignores) {
        m_base = m_line_starts[static_cast<std::size_t>(ig.line - 1)] + static_cast<std::size_t>(ig.column - 1);
        m_statement_line = ig.line;
        std::vector<std::string> unknown;
        for (const auto& name : ig.named)
          if (!ig.squawk && !find_rule(name)) unknown.push_back(name);
        if (!ig.squawk && ig.named.empty())
          extra.push_back(make("ignore-invalid", 0, "the ignore comment names no rule"));
        else if (!unknown.empty())
          extra.push_back(make("ignore-invalid", 0, fmt::format("the ignore comment names unknown rule(s) {}",
                                                                 fmt::join(unknown, ", "))));
        else if (!ig.squawk && ig.reason.empty())
          extra.push_back(make("ignore-invalid", 0,
                               "the ignore comment gives no reason: say why the statement is safe here"));
        else if (!ig.used)
          extra.push_back(make("ignore-unused", 0, fmt::format("`{}` matches no finding here", ig.text)));
      }
    }
    for (auto& f : extra) m_out.push_back(std::move(f));
  }
};

}  // namespace

std::vector<Finding> lint_chain(const std::vector<SectionInput>& sections, const ChainOptions& options) {
  return Linter(options).run(sections);
}

void apply_catalog(std::vector<Finding>& findings, const TargetCatalog& catalog) {
  for (auto& f : findings) {
    if (f.table.empty()) continue;
    if (f.rule == "alter-column-type" && !f.changed_column.empty() && !f.new_type.name.empty()) {
      auto col = catalog.columns.find({f.table, f.changed_column});
      if (col != catalog.columns.end()) {
        bool keeps = !f.using_expression && changes_without_rewrite(col->second, f.new_type);
        f.message += fmt::format(" ({}.{} is {} on {}: {})", f.table, f.changed_column, to_sql(col->second), catalog.name,
                                 keeps ? fmt::format("{} keeps its data, so PostgreSQL does not rewrite the table; "
                                                     "the ACCESS EXCLUSIVE lock is brief",
                                                     to_sql(f.new_type))
                                       : fmt::format("changing it to {} rewrites the table", to_sql(f.new_type)));
        if (keeps) {
          f.level = Level::info;
          continue;
        }
      }
    }
    auto it = catalog.rows.find(f.table);
    if (it == catalog.rows.end()) {
      f.level = Level::info;
      f.message += fmt::format(" ({} does not exist on {}: nothing is blocked there today)", f.table, catalog.name);
      continue;
    }
    double rows = it->second;
    if (rows < 0) {
      f.message += fmt::format(" ({} has no statistics on {} yet: its size is unknown)", f.table, catalog.name);
      continue;
    }
    f.message += fmt::format(" ({} has about {} rows on {})", f.table, core::group_thousands(rows), catalog.name);
    if (rows < catalog.small_table_rows && f.level == Level::error) f.level = Level::warning;
  }
}

bool fails(const std::vector<Finding>& findings, Level fail_on) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return !f.suppressed && f.level >= fail_on; });
}

}  // namespace lint
