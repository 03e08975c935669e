#include "check/declaration.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"

namespace check {

using core::UsageError;

const DeclaredTable* Declaration::find(const std::string& qualified) const {
  for (const auto& t : tables)
    if (t.qualified() == qualified) return &t;
  return nullptr;
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
  return name.find('.') == std::string::npos ? default_schema + "." + name : name;
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
  tr.reject_unknown();
  return trig;
}

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
                          std::set<std::string>& seen_indexes) {
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
  if (auto v = r.strings("policies")) {
    for (const auto& c : *v)
      check_member(c, {"select", "insert", "update", "delete"}, r.where_of("policies"), "policy command");
    table.policies = *v;
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
  top.reject_unknown();
  if (!tables) return d;
  std::set<std::string> seen_indexes;
  for (const auto& [key, node] : *tables) d.tables.push_back(parse_table(key, node, display, seen_indexes));
  return d;
}

}  // namespace check
