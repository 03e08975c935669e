#include "drift/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/text.hpp"
#include "core/text_diff.hpp"

namespace drift {

namespace {

// Kinds in the order a reader wants them: containers before what they contain.
int kind_rank(const std::string& kind) {
  static const std::vector<std::string> order{
      "schema",   "extension", "type",      "sequence",        "table",       "column",
      "constraint", "index",   "view",      "materialized view", "foreign table", "function",
      "procedure", "aggregate", "trigger", "rule",            "policy",      "default privileges",
      "publication", "event trigger"};
  auto it = std::find(order.begin(), order.end(), kind);
  return static_cast<int>(it - order.begin());
}

// Attributes whose values are sets written "a, b, c" (privileges, role and table lists).
bool is_set_attribute(const std::string& name) {
  return name == "privileges" || name == "roles" || name == "tables" || name == "schemas";
}

std::set<std::string> members(const std::string& value) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start < value.size()) {
    std::size_t end = value.find(", ", start);
    if (end == std::string::npos) end = value.size();
    if (end > start) out.insert(value.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

AttributeChange attribute_change(const std::string& name, const std::string& expected, const std::string& actual) {
  AttributeChange c{name, expected, actual, {}, {}, {}};
  if (is_set_attribute(name)) {
    auto e = members(expected), a = members(actual);
    std::set_difference(a.begin(), a.end(), e.begin(), e.end(), std::back_inserter(c.added));
    std::set_difference(e.begin(), e.end(), a.begin(), a.end(), std::back_inserter(c.removed));
  } else if (expected.find('\n') != std::string::npos || actual.find('\n') != std::string::npos) {
    c.diff = core::unified_diff(expected, actual, "migrations", "database");
  }
  return c;
}

using Key = std::pair<std::string, std::string>;

std::map<Key, const catalog::SchemaObject*> by_key(const catalog::SchemaObjects& objects) {
  std::map<Key, const catalog::SchemaObject*> out;
  for (const auto& o : objects) out.emplace(Key{o.kind, o.identity}, &o);
  return out;
}

std::vector<AttributeChange> all_attributes(const catalog::SchemaObject& o, bool expected_side) {
  std::vector<AttributeChange> out;
  for (const auto& [name, value] : o.attributes)
    out.push_back(expected_side ? AttributeChange{name, value, "", {}, {}, {}}
                                : AttributeChange{name, "", value, {}, {}, {}});
  return out;
}

void indent_into(std::string& out, const std::string& text, const char* prefix) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix;
    out.append(text, start, end - start);
    out += '\n';
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// One attribute as the text report shows it.
void describe(std::string& out, Change change, const AttributeChange& a) {
  if (change != Change::changed) {
    const std::string& value = change == Change::missing ? a.expected : a.actual;
    if (value.find('\n') == std::string::npos) {
      out += fmt::format("    {}: {}\n", a.name, value);
    } else {
      out += fmt::format("    {}:\n", a.name);
      indent_into(out, value, "      ");
    }
    return;
  }
  if (!a.added.empty() || !a.removed.empty()) {
    out += fmt::format("    {}:", a.name);
    if (!a.added.empty()) out += fmt::format(" only in the database: {};", join(a.added));
    if (!a.removed.empty()) out += fmt::format(" only in the migrations: {};", join(a.removed));
    out.back() = '\n';
  } else if (!a.diff.empty()) {
    out += fmt::format("    {}:\n", a.name);
    indent_into(out, a.diff, "      ");
  } else {
    auto shown = [](const std::string& v) { return v.empty() ? std::string("(not set)") : "'" + v + "'"; };
    out += fmt::format("    {}: migrations {}, database {}\n", a.name, shown(a.expected), shown(a.actual));
  }
}

using core::github_escape;

}  // namespace

const char* change_name(Change c) {
  switch (c) {
    case Change::missing: return "missing";
    case Change::extra: return "extra";
    case Change::changed: return "changed";
  }
  return "";
}

std::vector<Difference> compare(const catalog::SchemaObjects& expected, const catalog::SchemaObjects& actual) {
  auto want = by_key(expected), have = by_key(actual);
  std::vector<Difference> out;
  for (const auto& [key, e] : want) {
    auto it = have.find(key);
    if (it == have.end()) {
      out.push_back({Change::missing, key.first, key.second, all_attributes(*e, true)});
      continue;
    }
    const auto& a = *it->second;
    std::set<std::string> names;
    for (const auto& kv : e->attributes) names.insert(kv.first);
    for (const auto& kv : a.attributes) names.insert(kv.first);
    std::vector<AttributeChange> changes;
    for (const auto& name : names) {
      auto ev = e->attributes.find(name), av = a.attributes.find(name);
      std::string ex = ev == e->attributes.end() ? "" : ev->second;
      std::string ac = av == a.attributes.end() ? "" : av->second;
      if (ex != ac) changes.push_back(attribute_change(name, ex, ac));
    }
    if (!changes.empty()) out.push_back({Change::changed, key.first, key.second, std::move(changes)});
  }
  for (const auto& [key, a] : have)
    if (!want.count(key)) out.push_back({Change::extra, key.first, key.second, all_attributes(*a, false)});
  std::sort(out.begin(), out.end(), [](const Difference& x, const Difference& y) {
    return std::make_tuple(kind_rank(x.kind), x.kind, x.identity, static_cast<int>(x.change)) <
           std::make_tuple(kind_rank(y.kind), y.kind, y.identity, static_cast<int>(y.change));
  });
  return out;
}

std::string format_text(const std::vector<Difference>& diffs) {
  if (diffs.empty()) return "no drift: the database is what its applied migrations make\n";
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& d : diffs) ++counts[static_cast<int>(d.change)];
  std::string out;
  for (const auto& d : diffs) {
    out += fmt::format("{} {} {}\n", change_name(d.change), d.kind, d.identity);
    for (const auto& a : d.attributes) describe(out, d.change, a);
  }
  out += fmt::format("drift: {} difference{} ({} missing, {} extra, {} changed) between the applied migrations and "
                     "the database\n",
                     diffs.size(), diffs.size() == 1 ? "" : "s", counts[0], counts[1], counts[2]);
  return out;
}

core::Json to_json(const Difference& d) {
  core::Json attrs = core::Json::array();
  for (const auto& a : d.attributes) {
    core::Json j = core::Json::object();
    j.set("name", a.name);
    j.set("expected", a.expected);
    j.set("actual", a.actual);
    if (!a.diff.empty()) j.set("diff", a.diff);
    if (!a.added.empty() || !a.removed.empty()) {
      core::Json added = core::Json::array(), removed = core::Json::array();
      for (const auto& s : a.added) added.push(s);
      for (const auto& s : a.removed) removed.push(s);
      j.set("added", added);
      j.set("removed", removed);
    }
    attrs.push(j);
  }
  core::Json j = core::Json::object();
  j.set("change", change_name(d.change));
  j.set("kind", d.kind);
  j.set("identity", d.identity);
  j.set("attributes", attrs);
  return j;
}

std::string format_github(const std::vector<Difference>& diffs) {
  std::string out;
  for (const auto& d : diffs) {
    std::string body;
    for (const auto& a : d.attributes) describe(body, d.change, a);
    out += fmt::format("::error title=drift: {} {}::{} {} {}%0A{}\n", change_name(d.change), d.kind,
                       change_name(d.change), d.kind, github_escape(d.identity), github_escape(body));
  }
  return out;
}

}  // namespace drift
