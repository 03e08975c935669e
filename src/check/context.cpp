#include "check/context.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace check {

const char* policy_command_name(char c) {
  switch (c) {
    case 'r': return "select";
    case 'a': return "insert";
    case 'w': return "update";
    case 'd': return "delete";
    default: return "all";
  }
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Context::Context(const Declaration& d, const catalog::Snapshot& s) : declaration(d), snapshot(s) {
  for (const auto& r : s.relations) m_relations[r.qualified()] = &r;
  for (const auto& p : s.policies) m_policies[p.schema + "." + p.table].push_back(&p);
  for (const auto& t : s.triggers) m_triggers[t.schema + "." + t.table].push_back(&t);
  for (const auto& i : s.indexes) {
    m_indexes[i.schema + "." + i.table].push_back(&i);
    m_index_by_name[i.schema + "." + i.name] = &i;
  }
  for (const auto& e : s.extensions) m_extensions.insert(e.name);
}

namespace {

template <class T>
const std::vector<const T*>& lookup(const std::map<std::string, std::vector<const T*>>& m, const std::string& key) {
  static const std::vector<const T*> none;
  auto it = m.find(key);
  return it == m.end() ? none : it->second;
}

}  // namespace

const catalog::Relation* Context::relation(const std::string& qualified) const {
  auto it = m_relations.find(qualified);
  return it == m_relations.end() ? nullptr : it->second;
}

const std::vector<const catalog::Policy*>& Context::policies(const std::string& q) const { return lookup(m_policies, q); }
const std::vector<const catalog::Trigger*>& Context::triggers(const std::string& q) const { return lookup(m_triggers, q); }
const std::vector<const catalog::Index*>& Context::indexes(const std::string& q) const { return lookup(m_indexes, q); }

const catalog::Index* Context::index_named(const std::string& schema, const std::string& name) const {
  auto it = m_index_by_name.find(schema + "." + name);
  return it == m_index_by_name.end() ? nullptr : it->second;
}

bool Context::exposed(const std::string& schema) const { return contains(declaration.exposed_schemas, schema); }

bool Context::covered(const std::string& table, std::vector<std::string> columns) const {
  std::sort(columns.begin(), columns.end());
  for (const auto* i : indexes(table)) {
    if (!i->valid || i->columns.size() < columns.size() || !i->predicate.empty()) continue;
    std::vector<std::string> prefix(i->columns.begin(), i->columns.begin() + static_cast<long>(columns.size()));
    std::sort(prefix.begin(), prefix.end());
    if (prefix == columns) return true;
  }
  return false;
}

void Context::report(std::string object, std::string message, std::string remediation) {
  m_findings.push_back(
      Finding{m_rule->id, m_rule->level, std::move(object), std::move(message), std::move(remediation), false, {}});
}

void Context::evaluate(const Rule& rule) {
  m_rule = &rule;
  rule.evaluate(*this);
  m_rule = nullptr;
}

std::vector<Finding> run_checks(const Declaration& declaration, const catalog::Snapshot& snapshot) {
  Context ctx(declaration, snapshot);
  for (const auto& rule : rules())
    if (declaration.present || !rule.needs_declaration) ctx.evaluate(rule);
  auto out = std::move(ctx.findings());
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.level != b.level) return a.level > b.level;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.object < b.object;
  });
  return out;
}

void validate_suppressions(const std::vector<core::Suppression>& suppressions) {
  for (const auto& s : suppressions)
    if (!find_rule(s.rule))
      throw core::UsageError(fmt::format("{}: unknown check rule '{}'", s.origin, s.rule),
                             "docs/checks.md lists every rule id");
}

void apply_suppressions(std::vector<Finding>& findings, const std::vector<core::Suppression>& suppressions) {
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

}  // namespace check
