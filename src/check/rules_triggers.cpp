// Rules on triggers: the declared ones exist as declared and are enabled; every updated_at column is
// maintained; every insert, update and delete of an audited table is audited.
#include <fmt/format.h>

#include <map>

#include "check/rule_functions.hpp"
#include "core/sql_tokens.hpp"

namespace check::rule {

namespace {

// The trigger named as dt on table t, or nullptr.
const catalog::Trigger* find_declared(const Context& ctx, const DeclaredTable& t, const DeclaredTrigger& dt) {
  const catalog::Trigger* found = nullptr;
  for (const auto* tr : ctx.triggers(t.qualified()))
    if (tr->name == dt.name) found = tr;
  return found;
}

// How found differs from its declaration, one phrase per difference.
std::vector<std::string> differences(const catalog::Trigger& found, const DeclaredTrigger& dt) {
  std::vector<std::string> out;
  if (found.timing() != dt.timing) out.push_back(fmt::format("timing {} (expected {})", found.timing(), dt.timing));
  if (found.events() != dt.events)
    out.push_back(fmt::format("events {} (expected {})", fmt::join(found.events(), ","), fmt::join(dt.events, ",")));
  if (found.level() != dt.level)
    out.push_back(fmt::format("for each {} (expected for each {})", found.level(), dt.level));
  if (found.function != dt.function) out.push_back(fmt::format("function {} (expected {})", found.function, dt.function));
  if (found.args != dt.args)
    out.push_back(fmt::format("arguments ({}) (expected ({}))", fmt::join(found.args, ", "), fmt::join(dt.args, ", ")));
  if (found.when != dt.when)
    out.push_back(found.when.empty() ? fmt::format("no WHEN (expected WHEN ({}))", dt.when)
                  : dt.when.empty()  ? fmt::format("WHEN ({}) (expected none: it fires only when that holds)", found.when)
                                     : fmt::format("WHEN ({}) (expected WHEN ({}))", found.when, dt.when));
  if (found.columns != dt.columns)
    out.push_back(found.columns.empty()
                      ? fmt::format("update of any column (expected update of {})", fmt::join(dt.columns, ", "))
                      : fmt::format("update of {} only (expected {})", fmt::join(found.columns, ", "),
                                    dt.columns.empty() ? std::string("any column") : fmt::format("{}", fmt::join(dt.columns, ", "))));
  return out;
}

// Calls visit(table, declared trigger, trigger found or nullptr) for each declared trigger of a
// table that exists.
template <class Visit>
void each_declared_trigger(const Context& ctx, Visit visit) {
  for (const auto& t : ctx.declaration.tables) {
    if (!ctx.relation(t.qualified())) continue;
    for (const auto& dt : t.triggers) visit(t, dt, find_declared(ctx, t, dt));
  }
}

// True when a declared trigger of table that executes function is missing, different or disabled:
// its own finding already says so, so the coverage rules do not report the table again.
bool declared_trigger_reported(const Context& ctx, const std::string& table, const std::string& function) {
  bool reported = false;
  each_declared_trigger(ctx, [&](const DeclaredTable& t, const DeclaredTrigger& dt, const catalog::Trigger* found) {
    if (t.qualified() != table || dt.function != function) return;
    reported = reported || !found || !differences(*found, dt).empty() || found->enabled != dt.enabled;
  });
  return reported;
}

// True when the trigger fires in normal sessions (enabled O or A), for every row (no WHEN) and,
// for updates, whatever column changed (no UPDATE OF list).
bool fires_always(const catalog::Trigger& tr) {
  return (tr.enabled == 'O' || tr.enabled == 'A') && tr.when.empty() && tr.columns.empty();
}

// True when the trigger fires for event and sees its rows: a row trigger, or a statement trigger
// with the transition table(s) of the event (new for insert, old for delete, both for update).
bool audits_event(const catalog::Trigger& tr, const std::string& event) {
  if (!fires_always(tr) || !contains(tr.events(), event)) return false;
  if (tr.row()) return true;
  if (event == "insert") return !tr.new_table.empty();
  if (event == "delete") return !tr.old_table.empty();
  return !tr.old_table.empty() && !tr.new_table.empty();
}

// True when function (schema.name) is a PL/pgSQL function whose body assigns NEW.updated_at.
// Each function's body is lexed once per run (known), not once per table whose trigger calls it.
bool assigns_updated_at(const Context& ctx, const std::string& function, std::map<std::string, bool>& known) {
  auto [at, inserted] = known.try_emplace(function, false);
  if (!inserted) return at->second;
  for (const auto& f : ctx.snapshot.functions)
    if (f.schema + "." + f.name == function && f.language == "plpgsql" && f.returns_trigger &&
        core::assigns_new_column(f.body, "updated_at"))
      return at->second = true;
  return false;
}

// True when tr keeps updated_at current: a before-update row trigger that always fires and calls a
// declared updated_at function (moddatetime with the updated_at column) or the project's own
// PL/pgSQL function that assigns NEW.updated_at. The cheap tests come first: an after trigger
// (the audit triggers) never needs its function's body lexed.
bool maintains_updated_at(const Context& ctx, const catalog::Trigger& tr, std::map<std::string, bool>& known) {
  if (!fires_always(tr) || !tr.row() || tr.timing() != "before" || !contains(tr.events(), "update")) return false;
  if (tr.function.ends_with(".moddatetime") && tr.args != std::vector<std::string>{"updated_at"}) return false;
  return contains(ctx.declaration.updated_at_functions, tr.function) || assigns_updated_at(ctx, tr.function, known);
}

}  // namespace

void trigger_missing(Context& ctx) {
  each_declared_trigger(ctx, [&](const DeclaredTable& t, const DeclaredTrigger& dt, const catalog::Trigger* found) {
    if (found) return;
    ctx.report(fmt::format("{}: trigger {}", t.qualified(), dt.name),
               fmt::format("expected {} {} for each {} executing {}", dt.timing, fmt::join(dt.events, " or "), dt.level,
                           dt.function),
               fmt::format("create trigger {} {} {} on {} for each {} execute function {}({})", dt.name, dt.timing,
                           fmt::join(dt.events, " or "), t.qualified(), dt.level, dt.function, fmt::join(dt.args, ", ")));
  });
}

void trigger_mismatch(Context& ctx) {
  each_declared_trigger(ctx, [&](const DeclaredTable& t, const DeclaredTrigger& dt, const catalog::Trigger* found) {
    if (!found) return;
    auto diff = differences(*found, dt);
    if (!diff.empty())
      ctx.report(fmt::format("{}: trigger {}", t.qualified(), dt.name), fmt::format("{}", fmt::join(diff, "; ")),
                 fmt::format("drop trigger {} on {}; create it as declared", dt.name, t.qualified()));
  });
}

namespace {

// What an enabled state means, for messages.
const char* enabled_meaning(char state) {
  switch (state) {
    case 'D': return "disabled: it never fires";
    case 'R': return "enabled replica: it fires only in sessions with session_replication_role = replica, never in "
                     "normal ones";
    case 'A': return "enabled always: it fires in replica sessions too";
    default: return "enabled (origin)";
  }
}

// The ALTER TABLE clause that sets an enabled state.
const char* enable_clause(char state) {
  switch (state) {
    case 'D': return "disable trigger";
    case 'R': return "enable replica trigger";
    case 'A': return "enable always trigger";
    default: return "enable trigger";
  }
}

}  // namespace

void trigger_disabled(Context& ctx) {
  each_declared_trigger(ctx, [&](const DeclaredTable& t, const DeclaredTrigger& dt, const catalog::Trigger* found) {
    if (found && found->enabled != dt.enabled)
      ctx.report(fmt::format("{}: trigger {}", t.qualified(), dt.name),
                 fmt::format("the trigger is {} (declared: {})", enabled_meaning(found->enabled), enabled_meaning(dt.enabled)),
                 fmt::format("alter table {} {} {}", t.qualified(), enable_clause(dt.enabled), dt.name));
  });
}

void updated_at_trigger_missing(Context& ctx) {
  std::map<std::string, bool> known;  // trigger function -> its body assigns NEW.updated_at
  for (const auto& rel : ctx.snapshot.relations) {
    if ((rel.kind != 'r' && rel.kind != 'p') || rel.is_partition || !rel.has_updated_at) continue;
    std::string q = rel.qualified();
    if (!ctx.exposed(rel.schema) && !ctx.declaration.find(q)) continue;
    bool ok = false;
    for (const auto* t : ctx.triggers(q)) ok = ok || maintains_updated_at(ctx, *t, known);
    bool reported = false;
    for (const auto& f : ctx.declaration.updated_at_functions) reported = reported || declared_trigger_reported(ctx, q, f);
    if (!ok && !reported)
      ctx.report(q, "updated_at is never maintained: no enabled before update row trigger sets it",
                 fmt::format("create trigger handle_updated_at before update on {} for each row execute function "
                             "extensions.moddatetime(updated_at)",
                             q));
  }
}

void audit_trigger_missing(Context& ctx) {
  const std::string& audit = ctx.declaration.audit_function;
  if (audit.empty()) return;
  for (const auto& t : ctx.declaration.tables) {
    if (!t.audited || !ctx.relation(t.qualified())) continue;
    std::vector<std::string> unaudited;
    for (const char* event : {"insert", "update", "delete"}) {
      bool ok = false;
      for (const auto* tr : ctx.triggers(t.qualified()))
        ok = ok || (tr->enabled != 'D' && tr->timing() == "after" && tr->function == audit && audits_event(*tr, event));
      if (!ok) unaudited.push_back(event);
    }
    if (unaudited.empty() || declared_trigger_reported(ctx, t.qualified(), audit)) continue;
    ctx.report(t.qualified(),
               fmt::format("{} not audited: no enabled after trigger executing {} sees the changed rows (a row trigger, "
                           "or a statement trigger with the transition table of the event)",
                           fmt::join(unaudited, ", "), audit),
               fmt::format("create trigger audit_{}_changes after {} on {} for each row execute function {}()", t.name,
                           fmt::join(unaudited, " or "), t.qualified(), audit));
  }
}

}  // namespace check::rule
