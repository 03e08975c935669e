// Rules on what API roles can reach around row level security: definer functions, extensions in
// exposed schemas, materialized views and views, and per-row auth calls in policies.
#include <fmt/format.h>

#include <algorithm>

#include "check/rule_functions.hpp"

namespace check::rule {

namespace {

std::string signature(const catalog::Function& f) { return f.signature(); }

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) ++n;
  return n;
}

}  // namespace

void security_definer_search_path(Context& ctx) {
  for (const auto& f : ctx.snapshot.functions)
    if (f.security_definer && !f.fixed_search_path())
      ctx.report(signature(f), "runs with its owner's rights and the caller's search_path: a caller can shadow the "
                               "objects it uses",
                 fmt::format("alter function {} set search_path = ''", signature(f)));
}

void security_definer_anon_executable(Context& ctx) {
  for (const auto& f : ctx.snapshot.functions)
    if (f.security_definer && ctx.exposed(f.schema) && contains(f.executable_by, "anon"))
      ctx.report(signature(f), "anonymous API callers may execute it with its owner's rights",
                 fmt::format("revoke execute on function {} from public, anon", signature(f)));
}

void extension_in_public(Context& ctx) {
  for (const auto& e : ctx.snapshot.extensions)
    if (ctx.exposed(e.schema))
      ctx.report(e.name, fmt::format("installed in exposed schema {}", e.schema),
                 fmt::format("alter extension {} set schema extensions", e.name));
}

void matview_readable_by_api(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!ctx.exposed(rel.schema) || rel.kind != 'm' || rel.readable_by.empty()) continue;
    std::string roles = fmt::format("{}", fmt::join(rel.readable_by, ", "));
    ctx.report(rel.qualified(), fmt::format("readable by {} and materialized views have no row level security", roles),
               fmt::format("revoke select on {} from {}; expose it through a function that checks the caller",
                           rel.qualified(), roles));
  }
}

void view_bypasses_rls(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!ctx.exposed(rel.schema) || rel.kind != 'v' || rel.security_invoker || rel.readable_by.empty()) continue;
    ctx.report(rel.qualified(),
               fmt::format("readable by {} and runs with its owner's rights, skipping the policies of the tables it reads",
                           fmt::join(rel.readable_by, ", ")),
               fmt::format("alter view {} set (security_invoker = true)", rel.qualified()));
  }
}

void auth_uid_not_wrapped(Context& ctx) {
  for (const auto& p : ctx.snapshot.policies) {
    std::string text = p.using_expr + " " + p.check_expr;
    std::size_t calls = 0, wrapped = 0;
    for (const char* fn : {"auth.uid()", "auth.jwt()", "auth.role()", "auth.email()"}) {
      calls += count(text, fn);
      wrapped += count(text, std::string("SELECT ") + fn);
    }
    if (calls > wrapped)
      ctx.report(fmt::format("{}.{}: policy \"{}\"", p.schema, p.table, p.name),
                 "auth.uid()/auth.jwt()/auth.role()/auth.email() is evaluated for every row",
                 "wrap each call in a select: (select auth.uid())");
  }
}

void plpgsql_body_error(Context& ctx) {
  for (const auto& b : ctx.snapshot.body_problems)
    ctx.report(b.function, fmt::format("line {} of the body: {}", b.line, b.message),
               "fix the body (plpgsql_check_function() shows the statement) and replace the function in a new migration");
}

void plpgsql_check_skipped(Context& ctx) {
  if (ctx.snapshot.plpgsql_check_ran) return;
  bool plpgsql = std::any_of(ctx.snapshot.functions.begin(), ctx.snapshot.functions.end(),
                             [](const catalog::Function& f) { return f.language == "plpgsql"; });
  if (!plpgsql) return;
  if (!ctx.snapshot.plpgsql_check_error.empty()) {
    ctx.report("plpgsql_check", fmt::format("PL/pgSQL bodies not checked: plpgsql_check failed: {}", ctx.snapshot.plpgsql_check_error),
               "run select * from plpgsql_check_function_tb(...) by hand to see which function it fails on");
    return;
  }
  bool available = contains(ctx.snapshot.available_extensions, "plpgsql_check");
  ctx.report("plpgsql_check",
             available ? "PL/pgSQL bodies not checked: plpgsql_check is available but not installed in this database"
                       : "PL/pgSQL bodies not checked: the plpgsql_check extension is not available on this server",
             available ? "create extension plpgsql_check (in a schema of your choice), then run check again"
                       : "install postgresql-15-plpgsql-check (Debian) and create extension plpgsql_check");
}

}  // namespace check::rule
