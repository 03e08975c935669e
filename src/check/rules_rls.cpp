// Rules on tables and their row level security: declared tables exist, RLS is on where it must be,
// every required command has a policy, no policy recurses into its own table.
#include <fmt/format.h>

#include "check/rule_functions.hpp"
#include "core/sql_inspect.hpp"

namespace check::rule {

namespace {

bool is_table(const catalog::Relation& rel) { return rel.kind == 'r' || rel.kind == 'p'; }

// True when a subquery of the policy reads the policy's own table (pg_get_expr qualifies names
// outside the search path, so an unqualified name is taken as the same table).
// An expression whose text does not hold the table's name cannot name the table (pg_get_expr
// prints it bare or in double quotes, both holding its characters unless the name has a '"'), so
// only the others are parsed: parsing every policy was most of check's time on large schemas.
bool reads_own_table(const catalog::Policy& p) {
  bool may_escape = p.table.find('"') != std::string::npos;
  for (const auto& expr : {p.using_expr, p.check_expr}) {
    if (expr.empty() || (!may_escape && expr.find(p.table) == std::string::npos)) continue;
    for (const auto& [schema, name] : core::relations_read_by_expression(expr))
      if (name == p.table && (schema.empty() || schema == p.schema)) return true;
  }
  return false;
}

}  // namespace

void table_missing(Context& ctx) {
  for (const auto& t : ctx.declaration.tables)
    if (!ctx.relation(t.qualified()))
      ctx.report(t.qualified(), "declared but not in the database",
                 "apply the migrations (autocrm-migrate up) or fix the declaration");
}

void rls_disabled(Context& ctx) {
  // Declared tables outside the exposed schemas that must have RLS.
  for (const auto& t : ctx.declaration.tables) {
    const auto* rel = ctx.relation(t.qualified());
    if (rel && t.rls && !rel->rls && !ctx.exposed(rel->schema))
      ctx.report(t.qualified(), "row level security is off but the declaration requires it",
                 fmt::format("alter table {} enable row level security", t.qualified()));
  }
  // Every table in an exposed schema, unless the declaration says it has none.
  for (const auto& rel : ctx.snapshot.relations) {
    if (!is_table(rel) || !ctx.exposed(rel.schema) || rel.rls) continue;
    const DeclaredTable* declared = ctx.declaration.find(rel.qualified());
    if (declared && !declared->rls) continue;
    ctx.report(rel.qualified(),
               rel.is_partition ? "a partition without row level security: querying it directly skips the parent's policies"
                                : "row level security is off: any API role with a grant reads and writes every row",
               fmt::format("alter table {} enable row level security; then create its policies", rel.qualified()));
  }
}

void rls_no_policy(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!is_table(rel) || !rel.rls || rel.is_partition || !ctx.policies(rel.qualified()).empty()) continue;
    const DeclaredTable* declared = ctx.declaration.find(rel.qualified());
    if (declared && !declared->policies.empty()) continue;  // rls-missing-command-policy says which
    ctx.report(rel.qualified(), "row level security is on but there is no policy: every API query is denied",
               fmt::format("create the policies of {} (or document that the table is private)", rel.qualified()));
  }
}

void rls_missing_command_policy(Context& ctx) {
  for (const auto& t : ctx.declaration.tables) {
    if (!ctx.relation(t.qualified())) continue;
    for (const auto& command : t.policies) {
      bool covered = false;
      for (const auto* p : ctx.policies(t.qualified()))
        covered = covered || p->command == '*' || command == policy_command_name(p->command);
      if (!covered)
        ctx.report(fmt::format("{} ({})", t.qualified(), command),
                   fmt::format("no policy allows {} on this table: every {} through the API is denied", command, command),
                   fmt::format("create policy ... on {} for {} to authenticated using (...)", t.qualified(), command));
    }
  }
}

void rls_not_forced(Context& ctx) {
  for (const auto& t : ctx.declaration.tables) {
    const auto* rel = ctx.relation(t.qualified());
    if (rel && t.force_rls && !rel->force_rls)
      ctx.report(t.qualified(), "the table owner bypasses row level security",
                 fmt::format("alter table {} force row level security", t.qualified()));
  }
}

void policy_without_rls(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    const auto& policies = ctx.policies(rel.qualified());
    if (!is_table(rel) || rel.rls || policies.empty()) continue;
    ctx.report(rel.qualified(),
               fmt::format("{} policies exist but row level security is off, so none of them applies", policies.size()),
               fmt::format("alter table {} enable row level security", rel.qualified()));
  }
}

void policy_self_reference(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!is_table(rel)) continue;
    for (const auto* p : ctx.policies(rel.qualified()))
      if (reads_own_table(*p))
        ctx.report(fmt::format("{}: policy \"{}\"", rel.qualified(), p->name),
                   "the policy queries its own table: PostgreSQL raises infinite recursion (42P17) for every non-owner",
                   "move the lookup into a security definer function with a fixed search_path and call it as (select "
                   "fn())");
  }
}

void table_without_primary_key(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!is_table(rel) || !ctx.exposed(rel.schema) || rel.is_partition || rel.has_primary_key) continue;
    ctx.report(rel.qualified(), "no primary key: rows cannot be addressed reliably",
               fmt::format("alter table {} add primary key (...)", rel.qualified()));
  }
}

}  // namespace check::rule
