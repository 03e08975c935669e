#include "check/declaration.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.hpp"

namespace check {

using core::UsageError;

const DeclaredTable* Declaration::find(const std::string& qualified) const {
  for (const auto& t : tables)
    if (t.qualified() == qualified) return &t;
  return nullptr;
}

const DeclaredObject* Declaration::find_object(const std::string& kind, const std::string& name) const {
  std::string base = name.substr(0, name.find('('));
  const DeclaredObject* by_name = nullptr;
  for (const auto& o : objects) {
    if (o.kind != kind) continue;
    if (o.name == name) return &o;
    if (kind == "function" && o.name == base) by_name = &o;
  }
  return by_name;
}

bool Declaration::privileges_checked(const std::string& schema) const {
  if (std::find(exposed_schemas.begin(), exposed_schemas.end(), schema) != exposed_schemas.end()) return true;
  for (const auto& o : objects)
    if (o.kind == "schema" && o.name == schema) return true;
  return false;
}

Declaration no_declaration(std::vector<std::string> exposed_schemas) {
  Declaration d;
  d.present = false;
  d.exposed_schemas = std::move(exposed_schemas);
  return d;
}

namespace {

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// Reads a table's keys through typed accessors and rejects keys nobody asked for.
class Reader {
public:
  Reader(const toml::table& t, std::string display, std::string context)
      : m_table(t), m_display(std::move(display)), m_context(std::move(context)) {}

  std::string where(const toml::node& n) const { return fmt::format("{}:{}", m_display, line_of(n)); }
  int line() const { return static_cast<int>(m_table.source().begin.line); }
  // "file:line" of key's value, or of the table when the key is absent.
  std::string where_of(const std::string& key) const {
    const toml::node* n = m_table.get(key);
    return n ? where(*n) : fmt::format("{}:{}", m_display, line());
  }

  std::optional<std::string> string(const std::string& key) {
    m_known.insert(key);
    const toml::node* n = m_table.get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) throw UsageError(fmt::format("{}: {}{} must be a string", where(*n), m_context, key));
    return *n->value<std::string>();
  }
  std::optional<bool> boolean(const std::string& key) {
    m_known.insert(key);
    const toml::node* n = m_table.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) throw UsageError(fmt::format("{}: {}{} must be true or false", where(*n), m_context, key));
    return *n->value<bool>();
  }
  std::optional<std::vector<std::string>> strings(const std::string& key) {
    m_known.insert(key);
    const toml::node* n = m_table.get(key);
    if (!n) return std::nullopt;
    const toml::array* a = n->as_array();
    if (!a) throw UsageError(fmt::format("{}: {}{} must be an array of strings", where(*n), m_context, key));
    std::vector<std::string> out;
    for (const auto& e : *a) {
      if (!e.is_string())
        throw UsageError(fmt::format("{}: {}{} must be an array of strings", where(*n), m_context, key));
      out.push_back(*e.value<std::string>());
    }
    return out;
  }
  const toml::array* array_of_tables(const std::string& key) {
    m_known.insert(key);
    const toml::node* n = m_table.get(key);
    if (!n) return nullptr;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables())
      throw UsageError(fmt::format("{}: {}{} must be an array of tables ([[...]])", where(*n), m_context, key));
    return a;
  }
  const toml::table* table(const std::string& key) {
    m_known.insert(key);
    const toml::node* n = m_table.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) throw UsageError(fmt::format("{}: {}{} must be a table", where(*n), m_context, key));
    return n->as_table();
  }
  // Throws for the first key that no accessor asked for.
  void reject_unknown() const {
    for (const auto& [k, v] : m_table) {
      if (!m_known.count(std::string(k.str())))
        throw UsageError(fmt::format("{}:{}: unknown key '{}{}'", m_display, k.source().begin.line, m_context, k.str()));
    }
  }

private:
  const toml::table& m_table;
  std::string m_display, m_context;
  std::set<std::string> m_known;
};

const std::vector<std::string> k_event_order{"insert", "update", "delete", "truncate"};

void check_member(const std::string& value, const std::vector<std::string>& allowed, const std::string& where,
                  const std::string& what) {
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
    throw UsageError(fmt::format("{}: unknown {} '{}' (expected one of: {})", where, what, value, fmt::join(allowed, ", ")));
}

std::string qualify(const std::string& name, const std::string& default_schema) {
  return name.substr(0, name.find('(')).find('.') == std::string::npos ? default_schema + "." + name : name;
}

DeclaredTrigger parse_trigger(const toml::table& tt, const std::string& display, const std::string& context) {
  Reader tr(tt, display, context + "triggers.");
  DeclaredTrigger trig;
  trig.line = tr.line();
  auto name = tr.string("name");
  auto timing = tr.string("timing");
  auto events = tr.strings("events");
  auto function = tr.string("function");
  if (!name || !timing || !events || !function)
    throw UsageError(fmt::format("{}:{}: a trigger needs name, timing, events and function", display, trig.line));
  trig.name = *name;
  trig.timing = *timing;
  check_member(trig.timing, {"before", "after", "instead of"}, tr.where_of("timing"), "timing");
  if (auto level = tr.string("level")) {
    trig.level = *level;
    check_member(trig.level, {"row", "statement"}, tr.where_of("level"), "level");
  }
  for (const auto& e : *events) check_member(e, k_event_order, tr.where_of("events"), "event");
  for (const auto& e : k_event_order)
    if (std::find(events->begin(), events->end(), e) != events->end()) trig.events.push_back(e);
  trig.function = qualify(*function, "public");
  if (auto a = tr.strings("args")) trig.args = *a;
  if (auto w = tr.string("when")) trig.when = *w;
  if (auto c = tr.strings("columns")) trig.columns = *c;
  if (auto e = tr.string("enabled")) {
    check_member(*e, {"origin", "always", "replica", "disabled"}, tr.where_of("enabled"), "enabled state");
    trig.enabled = *e == "origin" ? 'O' : *e == "always" ? 'A' : *e == "replica" ? 'R' : 'D';
  }
  tr.reject_unknown();
  return trig;
}

// A grants table: { role = ["privilege", ...] }, each role an API role, each privilege one of allowed.
Grants parse_grants(const toml::table& t, const std::string& display, const std::string& context,
                    const std::vector<std::string>& api_roles, const std::vector<std::string>& allowed) {
  Reader r(t, display, context);
  Grants out;
  for (const auto& [k, v] : t) {
    std::string role(k.str());
    auto privileges = r.strings(role);
    check_member(role, api_roles, r.where_of(role), "API role (api_roles)");
    std::vector<std::string> sorted;
    for (auto p : *privileges) {
      for (auto& ch : p) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      check_member(p, allowed, r.where_of(role), "privilege");
      sorted.push_back(p);
    }
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    out[role] = sorted;
  }
  return out;
}

DeclaredPolicy parse_policy(const toml::table& pt, const std::string& display, const std::string& context) {
  Reader pr(pt, display, context + "policies.");
  DeclaredPolicy p;
  p.line = pr.line();
  auto name = pr.string("name");
  auto command = pr.string("command");
  auto roles = pr.strings("roles");
  if (!name || !command || !roles)
    throw UsageError(fmt::format("{}:{}: a policy needs name, command and roles", display, p.line));
  p.name = *name;
  p.command = *command;
  check_member(p.command, {"select", "insert", "update", "delete", "all"}, pr.where_of("command"), "policy command");
  p.roles = *roles;
  std::sort(p.roles.begin(), p.roles.end());
  if (auto v = pr.boolean("permissive")) p.permissive = *v;
  pr.reject_unknown();
  return p;
}

const std::vector<std::string> k_table_privileges{"select", "insert", "update", "delete", "truncate", "references",
                                                  "trigger"};
const std::vector<std::string> k_column_privileges{"select", "insert", "update", "references"};

DeclaredIndex parse_index(const toml::table& it, const std::string& display, const std::string& context) {
  Reader ir(it, display, context + "indexes.");
  DeclaredIndex idx;
  idx.line = ir.line();
  auto name = ir.string("name");
  auto columns = ir.strings("columns");
  if (!name || !columns || columns->empty())
    throw UsageError(fmt::format("{}:{}: an index needs name and columns", display, idx.line));
  idx.name = *name;
  idx.columns = *columns;
  if (auto v = ir.string("method")) idx.method = *v;
  check_member(idx.method, {"btree", "hash", "gin", "gist", "spgist", "brin", "ivfflat", "hnsw"}, ir.where_of("method"),
               "method");
  if (auto v = ir.boolean("unique")) idx.unique = *v;
  if (auto v = ir.string("where")) idx.where = *v;
  if (auto v = ir.string("opclass")) idx.opclass = *v;
  if (auto v = ir.string("requires_extension")) idx.requires_extension = *v;
  ir.reject_unknown();
  return idx;
}

// One [tables.NAME] entry; seen_indexes catches an index name declared twice in a schema.
DeclaredTable parse_table(const toml::key& key, const toml::node& node, const std::string& display,
                          std::set<std::string>& seen_indexes, const std::vector<std::string>& api_roles) {
  const toml::table* t = node.as_table();
  if (!t) throw UsageError(fmt::format("{}:{}: tables.{} must be a table", display, key.source().begin.line, key.str()));
  DeclaredTable table;
  std::string qualified = qualify(std::string(key.str()), "public");
  table.schema = qualified.substr(0, qualified.find('.'));
  table.name = qualified.substr(qualified.find('.') + 1);
  table.line = static_cast<int>(key.source().begin.line);
  std::string context = fmt::format("tables.{}.", key.str());
  Reader r(*t, display, context);
  if (auto v = r.boolean("rls")) table.rls = *v;
  if (auto v = r.boolean("force_rls")) table.force_rls = *v;
  if (auto v = r.boolean("audited")) table.audited = *v;
  const toml::node* policies = t->get("policies");
  if (policies && policies->is_array_of_tables()) {
    for (const auto& pn : *r.array_of_tables("policies")) {
      table.declared_policies.push_back(parse_policy(*pn.as_table(), display, context));
      const std::string& c = table.declared_policies.back().command;
      if (c != "all" && !std::count(table.policies.begin(), table.policies.end(), c)) table.policies.push_back(c);
    }
  } else if (auto v = r.strings("policies")) {
    for (const auto& c : *v)
      check_member(c, {"select", "insert", "update", "delete"}, r.where_of("policies"), "policy command");
    table.policies = *v;
  }
  if (auto v = r.strings("public_commands")) {
    for (const auto& c : *v)
      check_member(c, {"select", "insert", "update", "delete"}, r.where_of("public_commands"), "policy command");
    table.public_commands = *v;
  }
  if (const toml::table* g = r.table("grants"))
    table.grants = parse_grants(*g, display, context + "grants.", api_roles, k_table_privileges);
  if (const toml::table* cg = r.table("column_grants")) {
    // column_grants = { role = { privilege = ["column", ...] } }, stored per column.
    Reader cr(*cg, display, context + "column_grants.");
    for (const auto& [rk, rv] : *cg) {
      std::string role(rk.str());
      const toml::table* per_privilege = cr.table(role);
      check_member(role, api_roles, cr.where_of(role), "API role (api_roles)");
      Reader pr(*per_privilege, display, context + "column_grants." + role + ".");
      for (const auto& [pk, pv] : *per_privilege) {
        std::string privilege(pk.str());
        auto columns = pr.strings(privilege);
        check_member(privilege, k_column_privileges, pr.where_of(privilege), "column privilege");
        for (const auto& column : *columns) {
          auto& list = table.column_grants[column][role];
          list.push_back(privilege);
          std::sort(list.begin(), list.end());
        }
      }
    }
  }
  if (const toml::array* triggers = r.array_of_tables("triggers"))
    for (const auto& tn : *triggers) table.triggers.push_back(parse_trigger(*tn.as_table(), display, context));
  if (const toml::array* indexes = r.array_of_tables("indexes")) {
    for (const auto& in : *indexes) {
      DeclaredIndex idx = parse_index(*in.as_table(), display, context);
      if (!seen_indexes.insert(table.schema + "." + idx.name).second)
        throw UsageError(fmt::format("{}:{}: index {} is declared twice", display, idx.line, idx.name));
      table.indexes.push_back(std::move(idx));
    }
  }
  r.reject_unknown();
  return table;
}

}  // namespace

Declaration parse_declaration(const std::string& text, const std::string& display) {
  toml::table root;
  try {
    root = toml::parse(text, display);
  } catch (const toml::parse_error& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", display, e.source().begin.line, e.source().begin.column, e.description()));
  }
  Declaration d;
  Reader top(root, display, "");
  if (auto v = top.strings("exposed_schemas")) d.exposed_schemas = *v;
  if (auto v = top.strings("api_roles")) d.api_roles = *v;
  if (auto v = top.string("audit_function")) d.audit_function = qualify(*v, "public");
  if (auto v = top.strings("updated_at_functions")) {
    d.updated_at_functions.clear();
    for (const auto& f : *v) d.updated_at_functions.push_back(qualify(f, "public"));
  }
  const toml::table* tables = top.table("tables");
  struct ObjectKind {
    const char* key;
    const char* kind;
    std::vector<std::string> privileges;
  };
  const std::vector<ObjectKind> kinds{{"schemas", "schema", {"usage", "create"}},
                                      {"sequences", "sequence", {"usage", "select", "update"}},
                                      {"functions", "function", {"execute"}}};
  for (const auto& k : kinds) {
    const toml::table* group = top.table(k.key);
    if (!group) continue;
    for (const auto& [key, node] : *group) {
      std::string context = fmt::format("{}.{}.", k.key, key.str());
      const toml::table* t = node.as_table();
      if (!t) throw UsageError(fmt::format("{}:{}: {}{} must be a table", display, key.source().begin.line, k.key, key.str()));
      Reader r(*t, display, context);
      DeclaredObject o;
      o.kind = k.kind;
      o.name = k.kind == std::string("schema") ? std::string(key.str()) : qualify(std::string(key.str()), "public");
      o.line = static_cast<int>(key.source().begin.line);
      if (const toml::table* g = r.table("grants")) o.grants = parse_grants(*g, display, context + "grants.", d.api_roles, k.privileges);
      if (k.kind == std::string("function"))
        if (auto reason = r.string("definer_reason")) o.definer_reason = *reason;
      r.reject_unknown();
      d.objects.push_back(std::move(o));
    }
  }
  top.reject_unknown();
  if (!tables) return d;
  std::set<std::string> seen_indexes;
  for (const auto& [key, node] : *tables) d.tables.push_back(parse_table(key, node, display, seen_indexes, d.api_roles));
  return d;
}

}  // namespace check
