#include "core/checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/sql_inspect.hpp"

namespace core {

const char* level_name(Level level) {
  switch (level) {
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "?";
}

Level parse_level(const std::string& text) {
  if (text == "error") return Level::error;
  if (text == "warning") return Level::warning;
  if (text == "info") return Level::info;
  throw UsageError(fmt::format("unknown level '{}': use error, warning or info", text));
}

const std::vector<RuleInfo>& check_rules() {
  static const std::vector<RuleInfo> rules = {
      {"table-missing", Level::error, "schema", "a declared table does not exist"},
      {"rls-disabled", Level::error, "rls", "a table in an exposed schema without row level security"},
      {"rls-no-policy", Level::warning, "rls", "row level security on, but no policy: every API query is denied"},
      {"rls-missing-command-policy", Level::error, "rls", "a command the declaration requires has no policy"},
      {"rls-not-forced", Level::warning, "rls", "the declaration requires forced row level security"},
      {"policy-without-rls", Level::error, "rls", "policies exist but row level security is off, so they do nothing"},
      {"policy-self-reference", Level::error, "rls",
       "a policy queries its own table: infinite recursion (42P17) for every non-owner"},
      {"trigger-missing", Level::error, "triggers", "a declared trigger does not exist"},
      {"trigger-disabled", Level::error, "triggers", "a declared trigger is disabled"},
      {"trigger-mismatch", Level::error, "triggers",
       "a declared trigger has another timing, events, level, function or arguments"},
      {"updated-at-trigger-missing", Level::error, "triggers", "a table with updated_at has no trigger maintaining it"},
      {"audit-trigger-missing", Level::error, "triggers", "an insert, update or delete of an audited table is not audited"},
      {"index-missing", Level::error, "indexes", "a declared index does not exist"},
      {"index-invalid", Level::error, "indexes", "a declared index is INVALID (a failed concurrent build)"},
      {"index-mismatch", Level::error, "indexes", "a declared index has other columns, method, uniqueness or predicate"},
      {"index-renamed", Level::warning, "indexes", "a declared index exists only under another name"},
      {"index-skipped", Level::warning, "indexes", "a declared index needs an extension this server does not have"},
      {"security-definer-search-path", Level::error, "security",
       "a security definer function without a fixed search_path can be hijacked"},
      {"security-definer-anon-executable", Level::warning, "security",
       "a security definer function in an exposed schema is executable by anon"},
      {"extension-in-public", Level::error, "security", "an extension installed in an exposed schema"},
      {"matview-readable-by-api", Level::error, "security",
       "a materialized view readable by API roles: it bypasses row level security"},
      {"view-bypasses-rls", Level::error, "security",
       "a view without security_invoker readable by API roles: it bypasses row level security"},
      {"fk-without-index", Level::warning, "performance", "a foreign key without a covering index"},
      {"policy-column-without-index", Level::warning, "performance", "a column policies filter on has no index"},
      {"auth-uid-not-wrapped", Level::warning, "performance",
       "auth.uid()/auth.jwt()/auth.role() called per row in a policy instead of once per query"},
      {"duplicate-index", Level::warning, "performance", "two indexes with the same definition"},
      {"table-without-primary-key", Level::warning, "schema", "a table in an exposed schema without a primary key"},
  };
  return rules;
}

const RuleInfo* find_rule(const std::string& id) {
  for (const auto& r : check_rules())
    if (id == r.id) return &r;
  return nullptr;
}

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const char* command_name(char c) {
  switch (c) {
    case 'r': return "select";
    case 'a': return "insert";
    case 'w': return "update";
    case 'd': return "delete";
    default: return "all";
  }
}

std::string strip(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }), s.end());
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  return s;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) ++n;
  return n;
}

// True when a subquery of the policy reads the policy's own table (pg_get_expr qualifies names
// outside the search path, so an unqualified name is taken as the same table).
bool reads_own_table(const CatalogPolicy& p) {
  for (const auto& expr : {p.using_expr, p.check_expr}) {
    if (expr.empty()) continue;
    for (const auto& [schema, name] : relations_read_by_expression(expr))
      if (name == p.table && (schema.empty() || schema == p.schema)) return true;
  }
  return false;
}

// True when expr mentions identifier as a whole word (pg_get_expr prints plain names unquoted).
bool mentions(const std::string& expr, const std::string& identifier) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t p = expr.find(identifier); p != std::string::npos; p = expr.find(identifier, p + 1)) {
    bool before = p == 0 || !word(expr[p - 1]);
    bool after = p + identifier.size() >= expr.size() || !word(expr[p + identifier.size()]);
    if (before && after) return true;
  }
  return false;
}

class Checker {
public:
  Checker(const Declaration& d, const CatalogSnapshot& c) : m_decl(d), m_cat(c) {
    for (const auto& r : c.relations) m_relations[r.qualified()] = &r;
    for (const auto& p : c.policies) m_policies[p.schema + "." + p.table].push_back(&p);
    for (const auto& t : c.triggers) m_triggers[t.schema + "." + t.table].push_back(&t);
    for (const auto& i : c.indexes) m_indexes[i.schema + "." + i.table].push_back(&i);
    for (const auto& e : c.extensions) m_extensions.insert(e.name);
  }

  std::vector<Finding> run() {
    check_declared_tables();
    check_rls();
    check_updated_at_and_audit();
    check_lints();
    std::sort(m_out.begin(), m_out.end(), [](const Finding& a, const Finding& b) {
      if (a.level != b.level) return a.level > b.level;
      if (a.rule != b.rule) return a.rule < b.rule;
      return a.object < b.object;
    });
    return std::move(m_out);
  }

private:
  const Declaration& m_decl;
  const CatalogSnapshot& m_cat;
  std::map<std::string, const CatalogRelation*> m_relations;
  std::map<std::string, std::vector<const CatalogPolicy*>> m_policies;
  std::map<std::string, std::vector<const CatalogTrigger*>> m_triggers;
  std::map<std::string, std::vector<const CatalogIndex*>> m_indexes;
  std::set<std::string> m_extensions;
  std::set<std::string> m_trigger_reported;  // tables whose declared triggers already produced findings
  std::vector<Finding> m_out;

  void add(const char* rule, std::string object, std::string message, std::string remediation) {
    const RuleInfo* info = find_rule(rule);
    m_out.push_back(Finding{rule, info ? info->level : Level::error, std::move(object), std::move(message),
                            std::move(remediation), false, {}});
  }

  bool exposed(const std::string& schema) const { return contains(m_decl.exposed_schemas, schema); }

  // Declared tables: existence, forced RLS, command policies, triggers, indexes.
  void check_declared_tables() {
    for (const auto& t : m_decl.tables) {
      auto it = m_relations.find(t.qualified());
      if (it == m_relations.end()) {
        add("table-missing", t.qualified(), "declared but not in the database",
            "apply the migrations (autocrm-migrate up) or fix the declaration");
        continue;
      }
      const CatalogRelation& rel = *it->second;
      if (t.rls && !rel.rls && !exposed(rel.schema))
        add("rls-disabled", t.qualified(), "row level security is off but the declaration requires it",
            fmt::format("alter table {} enable row level security", t.qualified()));
      if (t.force_rls && !rel.force_rls)
        add("rls-not-forced", t.qualified(), "the table owner bypasses row level security",
            fmt::format("alter table {} force row level security", t.qualified()));
      for (const auto& command : t.policies) {
        bool covered = false;
        for (const auto* p : m_policies[t.qualified()])
          covered = covered || p->command == '*' || command == command_name(p->command);
        if (!covered)
          add("rls-missing-command-policy", fmt::format("{} ({})", t.qualified(), command),
              fmt::format("no policy allows {} on this table: every {} through the API is denied", command, command),
              fmt::format("create policy ... on {} for {} to authenticated using (...)", t.qualified(), command));
      }
      for (const auto& dt : t.triggers) check_declared_trigger(t, dt);
      for (const auto& di : t.indexes) check_declared_index(t, di);
    }
  }

  void check_declared_trigger(const DeclaredTable& t, const DeclaredTrigger& dt) {
    std::string object = fmt::format("{}: trigger {}", t.qualified(), dt.name);
    const CatalogTrigger* found = nullptr;
    for (const auto* tr : m_triggers[t.qualified()])
      if (tr->name == dt.name) found = tr;
    if (!found) {
      m_trigger_reported.insert(t.qualified() + "/" + dt.function);
      add("trigger-missing", object, fmt::format("expected {} {} for each {} executing {}", dt.timing,
                                                 fmt::join(dt.events, " or "), dt.level, dt.function),
          fmt::format("create trigger {} {} {} on {} for each {} execute function {}({})", dt.name, dt.timing,
                      fmt::join(dt.events, " or "), t.qualified(), dt.level, dt.function, fmt::join(dt.args, ", ")));
      return;
    }
    std::vector<std::string> differences;
    if (found->timing() != dt.timing) differences.push_back(fmt::format("timing {} (expected {})", found->timing(), dt.timing));
    if (found->events() != dt.events)
      differences.push_back(fmt::format("events {} (expected {})", fmt::join(found->events(), ","), fmt::join(dt.events, ",")));
    if (found->level() != dt.level)
      differences.push_back(fmt::format("for each {} (expected for each {})", found->level(), dt.level));
    if (found->function != dt.function)
      differences.push_back(fmt::format("function {} (expected {})", found->function, dt.function));
    if (found->args != dt.args)
      differences.push_back(fmt::format("arguments ({}) (expected ({}))", fmt::join(found->args, ", "), fmt::join(dt.args, ", ")));
    if (!differences.empty()) {
      m_trigger_reported.insert(t.qualified() + "/" + dt.function);
      add("trigger-mismatch", object, fmt::format("{}", fmt::join(differences, "; ")),
          fmt::format("drop trigger {} on {}; create it as declared", dt.name, t.qualified()));
    }
    if (found->enabled == 'D') {
      m_trigger_reported.insert(t.qualified() + "/" + dt.function);
      add("trigger-disabled", object, "the trigger is disabled: it never fires",
          fmt::format("alter table {} enable trigger {}", t.qualified(), dt.name));
    }
  }

  void check_declared_index(const DeclaredTable& t, const DeclaredIndex& di) {
    std::string object = fmt::format("{}.{}", t.schema, di.name);
    if (!di.requires_extension.empty() && !m_extensions.count(di.requires_extension)) {
      bool available = contains(m_cat.available_extensions, di.requires_extension);
      add("index-skipped", object,
          fmt::format("not checked: extension {} is not installed ({})", di.requires_extension,
                      available ? "available on this server but not created" : "not available on this server"),
          available ? fmt::format("create extension {} with schema extensions, then apply its migration",
                                  di.requires_extension)
                    : fmt::format("install {} on the server (Supabase has it) to get this index", di.requires_extension));
      return;
    }
    const CatalogIndex* found = nullptr;
    for (const auto& [table, list] : m_indexes)
      for (const auto* i : list)
        if (i->schema == t.schema && i->name == di.name) found = i;
    if (!found) {
      for (const auto* i : m_indexes[t.qualified()]) {
        if (i->valid && i->columns == di.columns && i->method == di.method && i->unique == di.unique) {
          add("index-renamed", object, fmt::format("not found by name; {} has the same definition", i->name),
              fmt::format("alter index {}.{} rename to {}", i->schema, i->name, di.name));
          return;
        }
      }
      add("index-missing", object,
          fmt::format("expected {}{} index on {} ({})", di.unique ? "a unique " : "a ", di.method, t.qualified(),
                      fmt::join(di.columns, ", ")),
          fmt::format("create {}index concurrently {} on {} using {} ({})", di.unique ? "unique " : "", di.name,
                      t.qualified(), di.method, fmt::join(di.columns, ", ")));
      return;
    }
    if (!found->valid) {
      add("index-invalid", object, "the index is INVALID (left by a failed CREATE INDEX CONCURRENTLY): it is not used",
          fmt::format("drop index concurrently {}.{}; then create it again", t.schema, di.name));
      return;
    }
    std::vector<std::string> differences;
    if (found->schema + "." + found->table != t.qualified())
      differences.push_back(fmt::format("on table {}.{}", found->schema, found->table));
    if (found->columns != di.columns)
      differences.push_back(fmt::format("columns ({}) (expected ({}))", fmt::join(found->columns, ", "), fmt::join(di.columns, ", ")));
    if (found->method != di.method) differences.push_back(fmt::format("method {} (expected {})", found->method, di.method));
    if (found->unique != di.unique) differences.push_back(di.unique ? "not unique (expected unique)" : "unique (expected not unique)");
    if (strip(found->predicate) != strip(di.where))
      differences.push_back(fmt::format("predicate '{}' (expected '{}')", found->predicate, di.where));
    if (!di.opclass.empty() && (found->opclasses.empty() || found->opclasses[0] != di.opclass))
      differences.push_back(fmt::format("operator class {} (expected {})",
                                        found->opclasses.empty() ? "?" : found->opclasses[0], di.opclass));
    if (!differences.empty())
      add("index-mismatch", object, fmt::format("{}", fmt::join(differences, "; ")),
          fmt::format("drop index concurrently {}.{}; create it as declared", t.schema, di.name));
  }

  // RLS of every table in an exposed schema, declared or not.
  void check_rls() {
    for (const auto& rel : m_cat.relations) {
      if (rel.kind != 'r' && rel.kind != 'p') continue;
      std::string q = rel.qualified();
      const DeclaredTable* declared = m_decl.find(q);
      const auto& policies = m_policies[q];
      if (exposed(rel.schema) && !rel.rls && !(declared && !declared->rls))
        add("rls-disabled", q,
            rel.is_partition ? "a partition without row level security: querying it directly skips the parent's policies"
                             : "row level security is off: any API role with a grant reads and writes every row",
            fmt::format("alter table {} enable row level security; then create its policies", q));
      if (!rel.rls && !policies.empty())
        add("policy-without-rls", q,
            fmt::format("{} policies exist but row level security is off, so none of them applies", policies.size()),
            fmt::format("alter table {} enable row level security", q));
      if (rel.rls && policies.empty() && !rel.is_partition && !(declared && !declared->policies.empty()))
        add("rls-no-policy", q, "row level security is on but there is no policy: every API query is denied",
            fmt::format("create the policies of {} (or document that the table is private)", q));
      for (const auto* p : policies)
        if (reads_own_table(*p))
          add("policy-self-reference", fmt::format("{}: policy \"{}\"", q, p->name),
              "the policy queries its own table: PostgreSQL raises infinite recursion (42P17) for every non-owner",
              "move the lookup into a security definer function with a fixed search_path and call it as (select "
              "fn())");
    }
  }

  // Every table with updated_at has a trigger maintaining it; every audited table its audit trigger.
  void check_updated_at_and_audit() {
    for (const auto& rel : m_cat.relations) {
      if ((rel.kind != 'r' && rel.kind != 'p') || rel.is_partition || !rel.has_updated_at) continue;
      std::string q = rel.qualified();
      if (!exposed(rel.schema) && !m_decl.find(q)) continue;
      bool ok = false;
      for (const auto* t : m_triggers[q]) {
        bool updates = contains(t->events(), "update");
        bool function_ok = contains(m_decl.updated_at_functions, t->function);
        bool args_ok = t->function.ends_with(".moddatetime") ? t->args == std::vector<std::string>{"updated_at"} : true;
        ok = ok || (t->enabled != 'D' && t->row() && t->timing() == "before" && updates && function_ok && args_ok);
      }
      bool reported = false;
      for (const auto& f : m_decl.updated_at_functions) reported = reported || m_trigger_reported.count(q + "/" + f);
      if (!ok && !reported)
        add("updated-at-trigger-missing", q, "updated_at is never maintained: no enabled before update row trigger "
                                            "sets it",
            fmt::format("create trigger handle_updated_at before update on {} for each row execute function "
                        "extensions.moddatetime(updated_at)",
                        q));
    }
    if (m_decl.audit_function.empty()) return;
    for (const auto& t : m_decl.tables) {
      if (!t.audited || !m_relations.count(t.qualified())) continue;
      std::vector<std::string> unaudited;
      for (const char* event : {"insert", "update", "delete"}) {
        bool ok = false;
        for (const auto* tr : m_triggers[t.qualified()])
          ok = ok || (tr->enabled != 'D' && tr->timing() == "after" && tr->function == m_decl.audit_function &&
                      audits_event(*tr, event));
        if (!ok) unaudited.push_back(event);
      }
      if (!unaudited.empty() && !m_trigger_reported.count(t.qualified() + "/" + m_decl.audit_function))
        add("audit-trigger-missing", t.qualified(),
            fmt::format("{} not audited: no enabled after trigger executing {} sees the changed rows (a row trigger, "
                        "or a statement trigger with the transition table of the event)",
                        fmt::join(unaudited, ", "), m_decl.audit_function),
            fmt::format("create trigger audit_{}_changes after {} on {} for each row execute function {}()", t.name,
                        fmt::join(unaudited, " or "), t.qualified(), m_decl.audit_function));
    }
  }

  // True when the trigger fires for event and sees its rows: a row trigger, or a statement trigger
  // with the transition table(s) of the event (new for insert, old for delete, both for update).
  static bool audits_event(const CatalogTrigger& tr, const std::string& event) {
    if (!contains(tr.events(), event)) return false;
    if (tr.row()) return true;
    if (event == "insert") return !tr.new_table.empty();
    if (event == "delete") return !tr.old_table.empty();
    return !tr.old_table.empty() && !tr.new_table.empty();
  }

  // True when a valid index on table starts with exactly these columns (in any order).
  bool covered(const std::string& table, std::vector<std::string> columns) {
    std::sort(columns.begin(), columns.end());
    for (const auto* i : m_indexes[table]) {
      if (!i->valid || i->columns.size() < columns.size() || !i->predicate.empty()) continue;
      std::vector<std::string> prefix(i->columns.begin(), i->columns.begin() + static_cast<long>(columns.size()));
      std::sort(prefix.begin(), prefix.end());
      if (prefix == columns) return true;
    }
    return false;
  }

  void check_lints() {
    for (const auto& fk : m_cat.foreign_keys) {
      std::string table = fk.schema + "." + fk.table;
      if (!covered(table, fk.columns))
        add("fk-without-index", fmt::format("{}.{}", table, fk.name),
            fmt::format("no index starts with ({}): deletes on the referenced table and joins scan {}",
                        fmt::join(fk.columns, ", "), table),
            fmt::format("create index concurrently on {} ({})", table, fmt::join(fk.columns, ", ")));
    }
    std::set<std::string> seen;
    for (const auto& pc : m_cat.policy_columns) {
      std::string table = pc.schema + "." + pc.table;
      if (!exposed(pc.schema) || !seen.insert(table + "." + pc.column).second) continue;
      // Only USING clauses filter rows; a WITH CHECK clause judges the new row and needs no index.
      bool filters = false;
      for (const auto* p : m_policies[table]) filters = filters || mentions(p->using_expr, pc.column);
      if (!filters) continue;
      if (!covered(table, {pc.column}))
        add("policy-column-without-index", table + "." + pc.column,
            "row level security filters on this column for every query, and no index starts with it",
            fmt::format("create index concurrently on {} ({})", table, pc.column));
    }
    for (const auto& p : m_cat.policies) {
      std::string text = p.using_expr + " " + p.check_expr;
      std::size_t calls = 0, wrapped = 0;
      for (const char* fn : {"auth.uid()", "auth.jwt()", "auth.role()"}) {
        calls += count(text, fn);
        wrapped += count(text, std::string("SELECT ") + fn);
      }
      if (calls > wrapped)
        add("auth-uid-not-wrapped", fmt::format("{}.{}: policy \"{}\"", p.schema, p.table, p.name),
            "auth.uid()/auth.jwt()/auth.role() is evaluated for every row",
            "wrap each call in a select: (select auth.uid())");
    }
    for (const auto& f : m_cat.security_definer_functions) {
      std::string object = fmt::format("{}.{}({})", f.schema, f.name, f.arguments);
      if (!f.has_search_path())
        add("security-definer-search-path", object,
            "runs with its owner's rights and the caller's search_path: a caller can shadow the objects it uses",
            fmt::format("alter function {} set search_path = ''", object));
      if (exposed(f.schema) && contains(f.executable_by, "anon"))
        add("security-definer-anon-executable", object, "anonymous API callers may execute it with its owner's rights",
            fmt::format("revoke execute on function {} from public, anon", object));
    }
    for (const auto& e : m_cat.extensions)
      if (exposed(e.schema))
        add("extension-in-public", e.name, fmt::format("installed in exposed schema {}", e.schema),
            fmt::format("alter extension {} set schema extensions", e.name));
    for (const auto& rel : m_cat.relations) {
      std::string q = rel.qualified();
      if (!exposed(rel.schema)) continue;
      if (rel.kind == 'm' && !rel.readable_by.empty())
        add("matview-readable-by-api", q,
            fmt::format("readable by {} and materialized views have no row level security", fmt::join(rel.readable_by, ", ")),
            fmt::format("revoke select on {} from {}; expose it through a function that checks the caller", q,
                        fmt::join(rel.readable_by, ", ")));
      if (rel.kind == 'v' && !rel.security_invoker && !rel.readable_by.empty())
        add("view-bypasses-rls", q,
            fmt::format("readable by {} and runs with its owner's rights, skipping the policies of the tables it reads",
                        fmt::join(rel.readable_by, ", ")),
            fmt::format("alter view {} set (security_invoker = true)", q));
      if ((rel.kind == 'r' || rel.kind == 'p') && !rel.is_partition && !rel.has_primary_key)
        add("table-without-primary-key", q, "no primary key: rows cannot be addressed reliably",
            fmt::format("alter table {} add primary key (...)", q));
    }
    std::map<std::string, std::vector<const CatalogIndex*>> by_identity;
    for (const auto& i : m_cat.indexes)
      if (i.valid) by_identity[i.schema + "." + i.table + "/" + i.identity].push_back(&i);
    for (const auto& [key, list] : by_identity) {
      if (list.size() < 2) continue;
      std::vector<std::string> names;
      for (const auto* i : list) names.push_back(i->name);
      std::sort(names.begin(), names.end());
      add("duplicate-index", fmt::format("{}.{}: {}", list[0]->schema, list[0]->table, fmt::join(names, ", ")),
          "the same index twice: every write maintains both",
          fmt::format("drop index concurrently {}.{}", list[0]->schema, names.back()));
    }
  }
};

}  // namespace

std::vector<std::string> CatalogTrigger::events() const {
  std::vector<std::string> out;
  if (type & 4) out.push_back("insert");
  if (type & 16) out.push_back("update");
  if (type & 8) out.push_back("delete");
  if (type & 32) out.push_back("truncate");
  return out;
}

std::vector<Finding> run_checks(const Declaration& declaration, const CatalogSnapshot& catalog) {
  return Checker(declaration, catalog).run();
}

void apply_suppressions(std::vector<Finding>& findings, const std::vector<Suppression>& suppressions) {
  for (auto& f : findings) {
    for (const auto& s : suppressions) {
      if (s.rule == f.rule && (s.object == "*" || s.object == f.object)) {
        f.suppressed = true;
        f.suppression_reason = s.reason;
      }
    }
  }
}

bool fails(const std::vector<Finding>& findings, Level fail_on) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return !f.suppressed && f.level >= fail_on; });
}

}  // namespace core
