#include "db/diagnose.hpp"

#include <fmt/format.h>

#include "db/errors.hpp"

namespace db {

std::string describe_lock_wait(Queryable& watcher, int pid) {
  std::string p = std::to_string(pid);
  // The lock the session waits for (a relation, a transaction id, an advisory lock...).
  auto wanted = watcher.query(
      "select l.locktype, l.mode, coalesce(l.relation::regclass::text, ''), l.relation::bigint"
      " from pg_locks l where l.pid = $1 and not l.granted limit 1",
      {p});
  // Who blocks it, and what each of them holds on the same relation.
  auto blockers = watcher.query(
      "select a.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.usename::text, '?'),"
      " coalesce(a.client_addr::text, 'local'), coalesce(a.state, '?'),"
      " coalesce(to_char(coalesce(a.xact_start, a.state_change) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS UTC'), '?'),"
      " coalesce((select string_agg(distinct h.mode, ', ') from pg_locks h where h.pid = a.pid and h.granted"
      "   and h.relation = $2::bigint::oid), '')"
      " from pg_stat_activity a where a.pid = any(pg_blocking_pids($1)) order by a.pid",
      {p, wanted.empty() || wanted[0].is_null(3) ? std::nullopt : std::optional<std::string>(wanted[0].text(3))});
  if (blockers.empty()) return {};
  std::string what = "a lock";
  if (!wanted.empty()) {
    const std::string& relation = wanted[0].text(2);
    what = relation.empty() ? fmt::format("{} ({} lock)", wanted[0].text(1), wanted[0].text(0))
                            : fmt::format("{} on relation {}", wanted[0].text(1), relation);
  }
  std::string out = what + ", held by ";
  bool first = true;
  for (const auto& b : blockers) {
    if (!first) out += "; and by ";
    first = false;
    out += fmt::format("pid {} (application {}, user {}, from {}, {} since {}", b.text(0), b.text(1), b.text(2),
                       b.text(3), b.text(4), b.text(5));
    if (const auto& held = b.text(6); !held.empty()) out += ", holding " + held;
    out += ")";
  }
  return out;
}

std::vector<InvalidIndex> invalid_indexes(Queryable& q) {
  auto r = with_context("listing invalid indexes", [&] {
    return q.query(
        "select format('%I.%I', n.nspname, c.relname), format('%I.%I', tn.nspname, t.relname) from pg_index i"
        " join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
        " join pg_class t on t.oid = i.indrelid join pg_namespace tn on tn.oid = t.relnamespace"
        " where not i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema')"
        " and n.nspname not like 'pg_toast%' order by 1");
  });
  std::vector<InvalidIndex> out;
  for (const auto& row : r) out.push_back({row.text(0), row.text(1)});
  return out;
}

std::string invalid_index_advice(const std::vector<InvalidIndex>& indexes) {
  std::string out;
  for (const auto& i : indexes) {
    if (!out.empty()) out += "; ";
    out += fmt::format("invalid index {} (on {}): drop index concurrently {}", i.name, i.table, i.name);
  }
  return out;
}

}  // namespace db
