#include "db/diagnose.hpp"

#include <fmt/format.h>

#include <optional>

namespace db {

std::string describe_lock_wait(Connection& watcher, int pid) {
  pqxx::nontransaction tx(watcher.pqxx());
  // The lock the session waits for (a relation, a transaction id, an advisory lock...).
  auto wanted = tx.exec_params(
      "select l.locktype, l.mode, coalesce(l.relation::regclass::text, ''), l.relation::bigint"
      " from pg_locks l where l.pid = $1 and not l.granted limit 1",
      pid);
  // Who blocks it, and what each of them holds on the same relation.
  auto blockers = tx.exec_params(
      "select a.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.usename::text, '?'),"
      " coalesce(a.client_addr::text, 'local'), coalesce(a.state, '?'),"
      " coalesce(to_char(coalesce(a.xact_start, a.state_change) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS UTC'), '?'),"
      " coalesce((select string_agg(distinct h.mode, ', ') from pg_locks h where h.pid = a.pid and h.granted"
      "   and h.relation = $2::bigint::oid), '')"
      " from pg_stat_activity a where a.pid = any(pg_blocking_pids($1)) order by a.pid",
      pid, wanted.empty() || wanted[0][3].is_null() ? std::optional<long long>() : wanted[0][3].as<long long>());
  if (blockers.empty()) return {};
  std::string what = "a lock";
  if (!wanted.empty()) {
    std::string relation = wanted[0][2].as<std::string>();
    what = relation.empty() ? fmt::format("{} ({} lock)", wanted[0][1].as<std::string>(), wanted[0][0].as<std::string>())
                            : fmt::format("{} on relation {}", wanted[0][1].as<std::string>(), relation);
  }
  std::string out = what + ", held by ";
  bool first = true;
  for (const auto& b : blockers) {
    if (!first) out += "; and by ";
    first = false;
    out += fmt::format("pid {} (application {}, user {}, from {}, {} since {}", b[0].as<int>(), b[1].as<std::string>(),
                       b[2].as<std::string>(), b[3].as<std::string>(), b[4].as<std::string>(),
                       b[5].as<std::string>());
    if (auto held = b[6].as<std::string>(); !held.empty()) out += ", holding " + held;
    out += ")";
  }
  return out;
}

std::vector<InvalidIndex> invalid_indexes(Connection& conn) {
  pqxx::nontransaction tx(conn.pqxx());
  auto r = tx.exec(
      "select format('%I.%I', n.nspname, c.relname), format('%I.%I', tn.nspname, t.relname) from pg_index i"
      " join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
      " join pg_class t on t.oid = i.indrelid join pg_namespace tn on tn.oid = t.relnamespace"
      " where not i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema')"
      " and n.nspname not like 'pg_toast%' order by 1");
  std::vector<InvalidIndex> out;
  for (const auto& row : r) out.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
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
