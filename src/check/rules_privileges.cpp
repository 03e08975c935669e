// Rules on the privileges of API roles: never TRUNCATE, TRIGGER or REFERENCES; exactly the declared
// grants on tables, columns, sequences, functions and schemas; no default privileges that would
// hand more to future objects.
#include <fmt/format.h>

#include <algorithm>

#include "check/rule_functions.hpp"

namespace check::rule {

namespace {

const std::vector<std::string> k_dangerous{"references", "trigger", "truncate"};

bool dangerous(const std::string& privilege) { return contains(k_dangerous, privilege); }

// schema.table of a column object schema.table.column.
std::string table_of_column(const std::string& object) { return object.substr(0, object.rfind('.')); }

// What the declaration grants role on the object of p (kind and name as the snapshot has them).
std::vector<std::string> declared_privileges(const Context& ctx, const std::string& kind, const std::string& object,
                                             const std::string& role) {
  const Grants* grants = nullptr;
  if (kind == "table") {
    if (const auto* t = ctx.declaration.find(object)) grants = &t->grants;
  } else if (kind == "column") {
    if (const auto* t = ctx.declaration.find(table_of_column(object))) {
      auto it = t->column_grants.find(object.substr(object.rfind('.') + 1));
      if (it != t->column_grants.end()) grants = &it->second;
    }
  } else if (const auto* o = ctx.declaration.find_object(kind, object)) {
    grants = &o->grants;
  }
  if (!grants) return {};
  auto it = grants->find(role);
  return it == grants->end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (!contains(b, x)) out.push_back(x);
  return out;
}

// The SQL noun of a privilege's object: "table public.t", "function public.f(uuid)", "schema s".
std::string on_clause(const std::string& kind, const std::string& object) {
  if (kind == "column") return fmt::format("table {}", table_of_column(object));
  return fmt::format("{} {}", kind, object);
}

// The column list of a column privilege, "(column)", "" otherwise.
std::string column_list(const std::string& kind, const std::string& object) {
  return kind == "column" ? fmt::format(" ({})", object.substr(object.rfind('.') + 1)) : "";
}

}  // namespace

void privilege_dangerous(Context& ctx) {
  for (const auto& p : ctx.snapshot.privileges) {
    if (p.kind != "table" && p.kind != "column") continue;
    std::vector<std::string> bad;
    for (const auto& x : p.privileges)
      if (dangerous(x)) bad.push_back(x);
    if (bad.empty()) continue;
    ctx.report(fmt::format("{} ({})", p.object, p.role),
               fmt::format("{} holds {}: TRUNCATE skips row level security and row triggers, TRIGGER runs its code "
                           "as the table's writers, REFERENCES lets it probe and lock keys",
                           p.role, fmt::join(bad, ", ")),
               fmt::format("revoke {}{} on {} from {}", fmt::join(bad, ", "), column_list(p.kind, p.object),
                           on_clause(p.kind, p.object), p.role));
  }
}

void privilege_extra(Context& ctx) {
  for (const auto& p : ctx.snapshot.privileges) {
    if (!ctx.declaration.privileges_checked(p.schema)) continue;
    auto extra = minus(p.privileges, declared_privileges(ctx, p.kind, p.object, p.role));
    extra.erase(std::remove_if(extra.begin(), extra.end(),
                               [&](const std::string& x) { return (p.kind == "table" || p.kind == "column") && dangerous(x); }),
                extra.end());
    if (extra.empty()) continue;
    ctx.report(fmt::format("{} ({})", p.object, p.role),
               fmt::format("{} holds {} on this {}, which the declaration does not grant", p.role,
                           fmt::join(extra, ", "), p.kind),
               fmt::format("revoke {}{} on {} from {}, public", fmt::join(extra, ", "), column_list(p.kind, p.object),
                           on_clause(p.kind, p.object), p.role));
  }
}

void privilege_missing(Context& ctx) {
  // Every declared grant, looked up in what the roles hold.
  auto held = [&](const std::string& kind, const std::string& object, const std::string& role) {
    for (const auto& p : ctx.snapshot.privileges)
      if (p.kind == kind && p.role == role &&
          (p.object == object || (kind == "function" && p.object.substr(0, p.object.find('(')) == object)))
        return p.privileges;
    return std::vector<std::string>{};
  };
  auto exists = [&](const std::string& kind, const std::string& object) {
    if (kind == "column") {
      // A column that exists only with an extension (kb_articles.embedding with pgvector) is skipped.
      const auto* rel = ctx.relation(table_of_column(object));
      return rel && contains(rel->columns, object.substr(object.rfind('.') + 1));
    }
    if (kind == "table" || kind == "sequence") return ctx.relation(object) != nullptr || kind == "sequence";
    if (kind == "function")
      return std::any_of(ctx.snapshot.functions.begin(), ctx.snapshot.functions.end(), [&](const catalog::Function& f) {
        return f.signature() == object || f.schema + "." + f.name == object;
      });
    return true;
  };
  auto compare = [&](const std::string& kind, const std::string& object, const Grants& grants) {
    if (!exists(kind, object)) return;
    for (const auto& [role, wanted] : grants) {
      auto missing = minus(wanted, held(kind, object, role));
      if (missing.empty()) continue;
      ctx.report(fmt::format("{} ({})", object, role),
                 fmt::format("the declaration grants {} {} on this {}, the database does not", role,
                             fmt::join(missing, ", "), kind),
                 fmt::format("grant {}{} on {} to {}", fmt::join(missing, ", "), column_list(kind, object),
                             on_clause(kind, object), role));
    }
  };
  for (const auto& t : ctx.declaration.tables) {
    compare("table", t.qualified(), t.grants);
    for (const auto& [column, grants] : t.column_grants) compare("column", t.qualified() + "." + column, grants);
  }
  for (const auto& o : ctx.declaration.objects) compare(o.kind, o.name, o.grants);
}

void default_privileges_grant(Context& ctx) {
  for (const auto& d : ctx.snapshot.default_privileges) {
    if (!d.schema.empty() && !ctx.exposed(d.schema)) continue;
    std::string in_schema = d.schema.empty() ? "" : fmt::format(" in schema {}", d.schema);
    ctx.report(fmt::format("default privileges of {}{} on {} ({})", d.owner, in_schema, d.object_type, d.grantee),
               fmt::format("every {} {} creates{} from now on gives {} {}", d.object_type.substr(0, d.object_type.size() - 1),
                           d.owner, in_schema, d.grantee, fmt::join(d.privileges, ", ")),
               fmt::format("alter default privileges for role {}{} revoke {} on {} from {}", d.owner, in_schema,
                           fmt::join(d.privileges, ", "), d.object_type, d.grantee));
  }
}

}  // namespace check::rule
