// The ledger is the tool's, never the API's: whatever a schema's default privileges or a grant by
// hand gave PUBLIC or Supabase's API roles on the ledger and its meta table, the next writing
// command takes it away (issue 14: "the tool's own ledger and meta tables are never reachable by
// API roles").
#include <doctest/doctest.h>

#include "faults_support.hpp"

using it::run_tool;
using it::with_url;
const auto exec = it::exec_sql;

namespace {

// Supabase's API roles, created when missing (cluster-wide: another test may create them too).
void ensure_api_roles(const it::TestDatabase& db) {
  exec(db, "do $$ declare r text; begin foreach r in array array['anon', 'authenticated', 'service_role'] loop "
           "if not exists (select 1 from pg_roles where rolname = r) then begin execute format('create role %I "
           "nologin', r); exception when duplicate_object or unique_violation then null; end; end if; end loop; end $$");
}

// Every privilege PUBLIC or an API role holds on table, as "grantee=privilege" items, sorted.
std::string api_privileges(const it::TestDatabase& db, const std::string& table) {
  return db.scalar("select coalesce(string_agg(case a.grantee when 0 then 'public' else a.grantee::regrole::text end "
                   "|| '=' || a.privilege_type, ',' order by 1), '') from pg_class c, aclexplode(c.relacl) a "
                   "where c.oid = '" + table + "'::regclass and (a.grantee = 0 or a.grantee::regrole::text in "
                   "('anon', 'authenticated', 'service_role'))");
}

}  // namespace

TEST_CASE("a ledger created in a schema whose default privileges grant all to the API roles keeps none of them") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  ensure_api_roles(db);
  // What every Supabase project has for schema public.
  exec(db, "alter default privileges in schema public grant all on tables to anon, authenticated, service_role");
  auto up = run_tool(with_url(db.url(), {"--ledger-schema", "public", "up"}), ws.path());
  CHECK_EXIT(up, 0);
  CHECK(api_privileges(db, "public.schema_migrations") == "");
  CHECK(api_privileges(db, "public.schema_migrations_meta") == "");
  // The default privileges did apply to an ordinary table of the same schema (the test's premise).
  exec(db, "create table public.ordinary (id int)");
  CHECK(api_privileges(db, "public.ordinary") != "");
  CHECK(db.scalar("select count(*) from public.schema_migrations") == "3");
}

TEST_CASE("grants on the ledger made by hand are revoked by the next writing command") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  ensure_api_roles(db);
  CHECK_EXIT(run_tool(with_url(db.url(), {"up", "--to", "20260101000000"}), ws.path()), 0);
  exec(db, "grant select, update on autocrm_migrate.schema_migrations to anon, authenticated; "
           "grant all on autocrm_migrate.schema_migrations_meta to public");
  REQUIRE(api_privileges(db, "autocrm_migrate.schema_migrations") != "");
  CHECK_EXIT(run_tool(with_url(db.url(), {"up"}), ws.path()), 0);
  CHECK(api_privileges(db, "autocrm_migrate.schema_migrations") == "");
  CHECK(api_privileges(db, "autocrm_migrate.schema_migrations_meta") == "");
  // Read-only commands change nothing (status never writes), and say nothing of it either.
  exec(db, "grant select on autocrm_migrate.schema_migrations to authenticated");
  CHECK_EXIT(run_tool(with_url(db.url(), {"status"}), ws.path()), 0);
  CHECK(api_privileges(db, "autocrm_migrate.schema_migrations") == "authenticated=SELECT");
}
