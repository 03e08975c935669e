// Rules on what API roles can really do around row level security: policies that let everything
// through or reach anon, policies other than the declared ones, roles that skip RLS, objects owned by
// API roles, definer functions reading RLS tables, rewrite rules on exposed tables.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "check/rule_functions.hpp"
#include "core/sql_tokens.hpp"

namespace check::rule {

namespace {

std::string policy_object(const catalog::Policy& p) { return fmt::format("{}.{}: policy \"{}\"", p.schema, p.table, p.name); }

// True when an expression is a constant true: true, (true), 1 = 1 (spaces and case ignored).
bool constant_true(const std::string& expr) {
  std::string t;
  for (char c : expr)
    if (c != ' ' && c != '\n' && c != '\t') t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t == "true" || t == "(true)" || t == "1=1" || t == "(1=1)";
}

// True when an expression lets every row through: absent, or a constant true.
bool open(const std::string& expr) { return expr.empty() || constant_true(expr); }

// The commands a permissive policy opens to every row of the table.
std::vector<std::string> opened_commands(const catalog::Policy& p) {
  bool using_open = open(p.using_expr);
  bool check_open = p.check_expr.empty() ? using_open : constant_true(p.check_expr);
  std::vector<std::string> out;
  auto add = [&](char c, const char* name, bool is_open) {
    if ((p.command == c || p.command == '*') && is_open) out.push_back(name);
  };
  add('r', "select", using_open);
  add('a', "insert", p.command == 'a' ? open(p.check_expr) : check_open);
  add('w', "update", using_open && check_open);
  add('d', "delete", using_open);
  return out;
}

// The API roles a policy applies to (PUBLIC applies to all of them).
std::vector<std::string> api_roles_of(const Context& ctx, const catalog::Policy& p) {
  std::vector<std::string> out;
  for (const auto& role : ctx.declaration.api_roles)
    if (contains(p.roles, "public") || contains(p.roles, role)) out.push_back(role);
  return out;
}

// The search path a function runs with: its SET search_path, or public when it sets none.
std::vector<std::string> search_path_of(const catalog::Function& f) {
  auto at = f.config.find("search_path=");
  if (at == std::string::npos) return {"public"};
  std::vector<std::string> out;
  std::string rest = f.config.substr(at + 12);
  // The value runs to the next "name=" entry: split on ", " and stop at the first part with '='.
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    auto next = rest.find(',', pos);
    std::string part = rest.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.find('=') != std::string::npos) break;
    if (part.size() >= 2 && part.front() == '"') part = part.substr(1, part.size() - 2);
    if (!part.empty() && part != "$user") out.push_back(part);
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

// The RLS-protected tables (schema.name) a function body names.
std::vector<std::string> rls_tables_named(const Context& ctx, const catalog::Function& f) {
  std::set<std::string> out;
  auto path = search_path_of(f);
  for (const auto& [schema, name] : core::names_mentioned(f.body)) {
    std::vector<std::string> candidates;
    if (!schema.empty()) candidates.push_back(schema + "." + name);
    else
      for (const auto& s : path) candidates.push_back(s + "." + name);
    for (const auto& q : candidates) {
      const auto* rel = ctx.relation(q);
      if (rel && rel->rls && (rel->kind == 'r' || rel->kind == 'p')) {
        out.insert(q);
        break;
      }
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace

void policy_always_true(Context& ctx) {
  for (const auto& p : ctx.snapshot.policies) {
    if (!p.permissive) continue;  // a restrictive true policy narrows nothing but opens nothing either
    auto roles = api_roles_of(ctx, p);
    if (roles.empty()) continue;
    const DeclaredTable* declared = ctx.declaration.find(p.schema + "." + p.table);
    std::vector<std::string> open_commands;
    for (const auto& c : opened_commands(p)) {
      // Without a declaration nothing says which tables are public: a true SELECT is taken as the
      // deliberate public read it usually is (as splinter does); writes are still reported.
      if (!ctx.declaration.present && c == "select") continue;
      if (!declared || !contains(declared->public_commands, c)) open_commands.push_back(c);
    }
    if (open_commands.empty()) continue;
    ctx.report(policy_object(p),
               fmt::format("lets {} {} every row: its {} is true (or absent)", fmt::join(roles, " and "),
                           fmt::join(open_commands, ", "), p.command == 'a' ? "WITH CHECK" : "USING"),
               declared ? fmt::format("restrict the policy to the rows each caller owns, or add the command to "
                                      "public_commands of {}.{} if the table is meant to be public",
                                      p.schema, p.table)
                        : "restrict the policy to the rows each caller owns (e.g. using (owner_id = (select auth.uid())))");
  }
}

void policy_public_role(Context& ctx) {
  for (const auto& p : ctx.snapshot.policies) {
    if (!contains(p.roles, "public") && !contains(p.roles, "anon")) continue;
    std::string table = p.schema + "." + p.table;
    const DeclaredTable* declared = ctx.declaration.find(table);
    if (!declared && !ctx.exposed(p.schema)) continue;
    if (declared) {
      auto it = declared->grants.find("anon");
      if (it != declared->grants.end() && !it->second.empty()) continue;
    }
    ctx.report(policy_object(p),
               fmt::format("applies to {}, but the declaration gives anon nothing on {}",
                           contains(p.roles, "public") ? "PUBLIC (so to anon)" : "anon", table),
               fmt::format("alter policy \"{}\" on {} to authenticated", p.name, table));
  }
}

void policy_undeclared(Context& ctx) {
  for (const auto& t : ctx.declaration.tables) {
    if (t.declared_policies.empty()) continue;
    for (const auto* p : ctx.policies(t.qualified())) {
      bool known = std::any_of(t.declared_policies.begin(), t.declared_policies.end(),
                               [&](const DeclaredPolicy& d) { return d.name == p->name; });
      if (!known)
        ctx.report(policy_object(*p),
                   fmt::format("not in the declaration: {} {} for {}", p->permissive ? "permissive" : "restrictive",
                               policy_command_name(p->command), fmt::join(p->roles, ", ")),
                   fmt::format("drop policy \"{}\" on {}, or declare it", p->name, t.qualified()));
    }
  }
}

void policy_missing(Context& ctx) {
  for (const auto& t : ctx.declaration.tables) {
    if (!ctx.relation(t.qualified())) continue;
    for (const auto& d : t.declared_policies) {
      const auto& found = ctx.policies(t.qualified());
      if (std::none_of(found.begin(), found.end(), [&](const catalog::Policy* p) { return p->name == d.name; }))
        ctx.report(fmt::format("{}: policy \"{}\"", t.qualified(), d.name),
                   fmt::format("declared ({} for {}) but not in the database", d.command, fmt::join(d.roles, ", ")),
                   "apply the migrations that create it (autocrm-migrate up), or fix the declaration");
    }
  }
}

void policy_mismatch(Context& ctx) {
  for (const auto& t : ctx.declaration.tables) {
    for (const auto& d : t.declared_policies) {
      for (const auto* p : ctx.policies(t.qualified())) {
        if (p->name != d.name) continue;
        std::vector<std::string> diff;
        if (policy_command_name(p->command) != d.command)
          diff.push_back(fmt::format("command {} (expected {})", policy_command_name(p->command), d.command));
        if (p->roles != d.roles)
          diff.push_back(fmt::format("roles {} (expected {})", fmt::join(p->roles, ", "), fmt::join(d.roles, ", ")));
        if (p->permissive != d.permissive)
          diff.push_back(p->permissive ? "permissive (expected restrictive)" : "restrictive (expected permissive)");
        if (!diff.empty())
          ctx.report(policy_object(*p), fmt::format("{}", fmt::join(diff, "; ")),
                     fmt::format("drop policy \"{}\" on {}; create it as declared", d.name, t.qualified()));
      }
    }
  }
}

void api_role_bypasses_rls(Context& ctx) {
  for (const auto& r : ctx.snapshot.role_powers)
    ctx.report(r.role,
               r.via == r.role ? fmt::format("has {}: row level security does not apply to it", r.attribute)
                               : fmt::format("is a member of {}, which has {}: it can set role and skip row level "
                                             "security",
                                             r.via, r.attribute),
               r.via == r.role ? fmt::format("alter role {} no{}", r.role, r.attribute)
                               : fmt::format("revoke {} from {}", r.via, r.role));
}

void api_role_owns_object(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations)
    if (!rel.owned_by_api.empty())
      ctx.report(rel.qualified(),
                 fmt::format("owned by {}: owners skip row level security and may alter or drop it",
                             fmt::join(rel.owned_by_api, ", ")),
                 fmt::format("alter {} {} owner to postgres",
                             rel.kind == 'v' ? "view" : rel.kind == 'm' ? "materialized view" : "table", rel.qualified()));
  for (const auto& f : ctx.snapshot.functions)
    if (!f.owned_by_api.empty())
      ctx.report(f.signature(),
                 fmt::format("owned by {}: it may replace the body{}", fmt::join(f.owned_by_api, ", "),
                             f.security_definer ? ", and the function runs with its owner's rights" : ""),
                 fmt::format("alter function {} owner to postgres", f.signature()));
}

void security_definer_reads_rls(Context& ctx) {
  for (const auto& f : ctx.snapshot.functions) {
    if (!f.security_definer || f.executable_by.empty() || f.body.empty()) continue;
    // Without a declaration nothing lists the helpers policies are meant to call (Supabase's
    // private-schema pattern): only the functions the API serves (exposed schemas) are reported.
    if (!ctx.declaration.present && !ctx.exposed(f.schema)) continue;
    const DeclaredObject* declared = ctx.declaration.find_object("function", f.signature());
    if (declared && !declared->definer_reason.empty()) continue;
    auto tables = rls_tables_named(ctx, f);
    if (tables.empty()) continue;
    ctx.report(f.signature(),
               fmt::format("executable by {}, reads {} with its owner's rights, past their row level security",
                           fmt::join(f.executable_by, ", "), fmt::join(tables, ", ")),
               fmt::format("make it security invoker, or revoke execute from {}, or declare it with definer_reason "
                           "([functions.\"{}.{}\"])",
                           fmt::join(f.executable_by, ", "), f.schema, f.name));
  }
}

void table_rule(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (rel.rules.empty() || (!ctx.exposed(rel.schema) && !ctx.declaration.find(rel.qualified()))) continue;
    ctx.report(rel.qualified(),
               fmt::format("rewrite rule {} runs with the table owner's rights on every matching statement, whatever "
                           "the caller may see",
                           fmt::join(rel.rules, ", ")),
               fmt::format("drop rule {} on {} (use a trigger, which runs under the policies)", rel.rules.front(),
                           rel.qualified()));
  }
}

}  // namespace check::rule
