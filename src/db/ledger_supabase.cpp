// The Supabase CLI's ledger kept in step with ours (supabase_ledger = true): same statement, same
// transaction, so `supabase migration list` and `status` agree after every command.
#include <fmt/format.h>

#include "db/errors.hpp"
#include "db/ledger.hpp"

namespace db {

namespace {

// The statements of a section as the Supabase CLI records them: one text per statement.
std::string statements_array(const core::StatementList& statements) {
  std::vector<std::optional<std::string>> items;
  items.reserve(statements.size());
  for (const auto& st : statements) items.emplace_back(std::string(st.sql));
  return text_array_literal(items);
}

}  // namespace

void Ledger::ensure_supabase_mirror() {
  // Written only when something is missing: "already exists, skipping" notices on every run are noise.
  auto r = with_context("reading the Supabase CLI's ledger", [&] {
    return m_q.query("select count(*) from pg_catalog.pg_attribute where attrelid = "
                     "pg_catalog.to_regclass('supabase_migrations.schema_migrations') and attname in ('version', "
                     "'statements', 'name') and not attisdropped");
  });
  if (r[0].integer(0) == 3) return;
  // The shape the Supabase CLI gives its table (it adds the columns when they are missing).
  write({{"create schema if not exists supabase_migrations", {}},
         {fmt::format("create table if not exists {} (version text not null primary key)", k_supabase_ledger), {}},
         {fmt::format("alter table {} add column if not exists statements text[]", k_supabase_ledger), {}},
         {fmt::format("alter table {} add column if not exists name text", k_supabase_ledger), {}}});
}

LedgerWrite Ledger::with_supabase_row(LedgerWrite ours, const core::Migration& m,
                                      const core::StatementList& statements) const {
  std::size_t n = ours.params.size();
  ours.sql = fmt::format("with ours as ({}) insert into {} (version, name, statements) values (${}, ${}, ${}::text[]) "
                         "on conflict (version) do update set name = excluded.name, statements = excluded.statements",
                         ours.sql, k_supabase_ledger, n + 1, n + 2, n + 3);
  ours.params.push_back(m.version);
  ours.params.push_back(m.name);
  ours.params.push_back(statements_array(statements));
  return ours;
}

void Ledger::mirror_applied(const core::Migration& m, const core::StatementList& statements) {
  if (!m_supabase) return;
  write(fmt::format("insert into {} (version, name, statements) values ($1, $2, $3::text[]) on conflict (version) do "
                    "update set name = excluded.name, statements = excluded.statements",
                    k_supabase_ledger),
        {m.version, m.name, statements_array(statements)});
}

}  // namespace db
