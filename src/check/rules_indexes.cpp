// Rules on indexes: the declared ones exist as declared and are valid; foreign keys and policy
// columns are indexed; no index is there twice.
#include <fmt/format.h>

#include <algorithm>

#include "check/rule_functions.hpp"
#include "core/text.hpp"

namespace check::rule {

namespace {

// Where a declared index stands; exactly one of the index rules reports each state but present.
enum class IndexState { skipped, missing, renamed, invalid, present };

struct DeclaredIndexStatus {
  IndexState state = IndexState::missing;
  const catalog::Index* index = nullptr;  // the index found by name, or the renamed twin
};

DeclaredIndexStatus status_of(const Context& ctx, const DeclaredTable& t, const DeclaredIndex& di) {
  if (!di.requires_extension.empty() && !ctx.has_extension(di.requires_extension)) return {IndexState::skipped};
  if (const auto* found = ctx.index_named(t.schema, di.name))
    return {found->valid ? IndexState::present : IndexState::invalid, found};
  for (const auto* i : ctx.indexes(t.qualified()))
    if (i->valid && i->columns == di.columns && i->method == di.method && i->unique == di.unique)
      return {IndexState::renamed, i};
  return {IndexState::missing};
}

// Calls visit(table, declared index, status) for every declared index of a table that exists.
template <class Visit>
void each_declared_index(const Context& ctx, Visit visit) {
  for (const auto& t : ctx.declaration.tables) {
    if (!ctx.relation(t.qualified())) continue;
    for (const auto& di : t.indexes) visit(t, di, status_of(ctx, t, di));
  }
}

std::string strip(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }), s.end());
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> differences(const DeclaredTable& t, const DeclaredIndex& di, const catalog::Index& found) {
  std::vector<std::string> out;
  if (found.schema + "." + found.table != t.qualified())
    out.push_back(fmt::format("on table {}.{}", found.schema, found.table));
  if (found.columns != di.columns)
    out.push_back(fmt::format("columns ({}) (expected ({}))", fmt::join(found.columns, ", "), fmt::join(di.columns, ", ")));
  if (found.method != di.method) out.push_back(fmt::format("method {} (expected {})", found.method, di.method));
  if (found.unique != di.unique) out.push_back(di.unique ? "not unique (expected unique)" : "unique (expected not unique)");
  if (strip(found.predicate) != strip(di.where))
    out.push_back(fmt::format("predicate '{}' (expected '{}')", found.predicate, di.where));
  if (!di.opclass.empty() && (found.opclasses.empty() || found.opclasses[0] != di.opclass))
    out.push_back(fmt::format("operator class {} (expected {})", found.opclasses.empty() ? "?" : found.opclasses[0],
                              di.opclass));
  return out;
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

}  // namespace

void index_skipped(Context& ctx) {
  each_declared_index(ctx, [&](const DeclaredTable& t, const DeclaredIndex& di, const DeclaredIndexStatus& s) {
    if (s.state != IndexState::skipped) return;
    bool available = contains(ctx.snapshot.available_extensions, di.requires_extension);
    ctx.report(fmt::format("{}.{}", t.schema, di.name),
               fmt::format("not checked: extension {} is not installed ({})", di.requires_extension,
                           available ? "available on this server but not created" : "not available on this server"),
               available ? fmt::format("create extension {} with schema extensions, then apply its migration",
                                       di.requires_extension)
                         : fmt::format("install {} on the server (Supabase has it) to get this index",
                                       di.requires_extension));
  });
}

void index_missing(Context& ctx) {
  each_declared_index(ctx, [&](const DeclaredTable& t, const DeclaredIndex& di, const DeclaredIndexStatus& s) {
    if (s.state != IndexState::missing) return;
    ctx.report(fmt::format("{}.{}", t.schema, di.name),
               fmt::format("expected {}{} index on {} ({})", di.unique ? "a unique " : "a ", di.method, t.qualified(),
                           fmt::join(di.columns, ", ")),
               fmt::format("create {}index concurrently {} on {} using {} ({})", di.unique ? "unique " : "", di.name,
                           t.qualified(), di.method, fmt::join(di.columns, ", ")));
  });
}

void index_renamed(Context& ctx) {
  each_declared_index(ctx, [&](const DeclaredTable& t, const DeclaredIndex& di, const DeclaredIndexStatus& s) {
    if (s.state != IndexState::renamed) return;
    ctx.report(fmt::format("{}.{}", t.schema, di.name),
               fmt::format("not found by name; {} has the same definition", s.index->name),
               fmt::format("alter index {}.{} rename to {}", s.index->schema, s.index->name, di.name));
  });
}

void index_invalid(Context& ctx) {
  // Every index of the checked schemas, not only declared ones: an INVALID index is never used,
  // still slows every write and, if unique, enforces nothing.
  for (const auto& ix : ctx.snapshot.indexes) {
    if (ix.valid) continue;
    ctx.report(fmt::format("{}.{}", ix.schema, ix.name),
               fmt::format("the index on {}.{} is INVALID (left by a failed CREATE INDEX CONCURRENTLY): it is not "
                           "used",
                           ix.schema, ix.table),
               fmt::format("drop index concurrently {}.{}; then create it again", core::quote_identifier(ix.schema),
                           core::quote_identifier(ix.name)));
  }
}

void index_mismatch(Context& ctx) {
  each_declared_index(ctx, [&](const DeclaredTable& t, const DeclaredIndex& di, const DeclaredIndexStatus& s) {
    if (s.state != IndexState::present) return;
    auto diff = differences(t, di, *s.index);
    if (!diff.empty())
      ctx.report(fmt::format("{}.{}", t.schema, di.name), fmt::format("{}", fmt::join(diff, "; ")),
                 fmt::format("drop index concurrently {}.{}; create it as declared", t.schema, di.name));
  });
}

void fk_without_index(Context& ctx) {
  for (const auto& fk : ctx.snapshot.foreign_keys) {
    std::string table = fk.schema + "." + fk.table;
    if (!ctx.covered(table, fk.columns))
      ctx.report(fmt::format("{}.{}", table, fk.name),
                 fmt::format("no index starts with ({}): deletes on the referenced table and joins scan {}",
                             fmt::join(fk.columns, ", "), table),
                 fmt::format("create index concurrently on {} ({})", table, fmt::join(fk.columns, ", ")));
  }
}

void policy_column_without_index(Context& ctx) {
  std::set<std::string> seen;
  for (const auto& pc : ctx.snapshot.policy_columns) {
    std::string table = pc.schema + "." + pc.table;
    if (!ctx.exposed(pc.schema) || !seen.insert(table + "." + pc.column).second) continue;
    // Only USING clauses filter rows; a WITH CHECK clause judges the new row and needs no index.
    bool filters = false;
    for (const auto* p : ctx.policies(table)) filters = filters || mentions(p->using_expr, pc.column);
    if (filters && !ctx.covered(table, {pc.column}))
      ctx.report(table + "." + pc.column, "row level security filters on this column for every query, and no index "
                                          "starts with it",
                 fmt::format("create index concurrently on {} ({})", table, pc.column));
  }
}

void duplicate_index(Context& ctx) {
  std::map<std::string, std::vector<const catalog::Index*>> by_identity;
  for (const auto& i : ctx.snapshot.indexes)
    if (i.valid) by_identity[i.schema + "." + i.table + "/" + i.identity].push_back(&i);
  for (const auto& [key, list] : by_identity) {
    if (list.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* i : list) names.push_back(i->name);
    std::sort(names.begin(), names.end());
    ctx.report(fmt::format("{}.{}: {}", list[0]->schema, list[0]->table, fmt::join(names, ", ")),
               "the same index twice: every write maintains both",
               fmt::format("drop index concurrently {}.{}", list[0]->schema, names.back()));
  }
}

}  // namespace check::rule
