// `drift` against the real AutoCRM schema: a fresh database has none; each kind of change made by
// hand is reported with its kind and identity; the same change made by a migration is not drift;
// up with drift_check refuses a drifted database. The shadow is a temporary database on the test
// server (shadow_url), dropped by the command.
#include <doctest/doctest.h>

#include <filesystem>

#include "core/json.hpp"
#include "harness.hpp"

using it::run_tool;
namespace fs = std::filesystem;

namespace {

void exec(const it::TestDatabase& db, const std::string& sql) {
  auto c = db.connect();
  pqxx::nontransaction tx(*c);
  tx.exec(sql);
}

// The number of migration files of the repository (the AutoCRM chain).
int chain_length() {
  int n = 0;
  for (const auto& f : fs::directory_iterator(it::source_dir() / "migrations"))
    if (f.path().extension() == ".sql") ++n;
  return n;
}

std::string replayed(int n) { return "\"migrations_replayed\":" + std::to_string(n); }

std::string shadow_url() { return "postgresql://postgres@127.0.0.1:" + it::server_port() + "/postgres"; }

it::RunResult drift(const it::TestDatabase& db, const std::string& format = "json", const fs::path& cwd = {}) {
  return run_tool({"--database-url", db.url(), "--shadow-url", shadow_url(), "--format", format, "drift"},
                  cwd.empty() ? it::source_dir() : cwd);
}

// The start of a difference's JSON object: {"change":...,"kind":...,"identity":...
std::string difference(const std::string& change, const std::string& kind, const std::string& identity) {
  auto j = core::Json::object().set("change", change).set("kind", kind).set("identity", identity).dump();
  return j.substr(0, j.size() - 1);
}

// The temporary shadow database a JSON report names ("database NAME on ... (temporary)").
std::string shadow_name(const std::string& json) {
  const std::string key = "\"shadow\":\"database ";
  auto at = json.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return json.substr(at, json.find(' ', at) - at);
}

struct HandChange {
  const char* sql;
  const char* change;
  const char* kind;
  const char* identity;
};

// One change by hand per object kind drift covers.
const HandChange k_changes[] = {
    {"create schema rogue", "extra", "schema", "rogue"},
    {"grant usage on schema private to anon", "changed", "schema", "private"},
    {"create extension citext with schema extensions", "extra", "extension", "citext"},
    {"alter type public.ticket_status add value 'escalated'", "changed", "type", "public.ticket_status"},
    {"create domain public.email as text check (value like '%@%')", "extra", "type", "public.email"},
    {"create type public.pair as (a int, b int)", "extra", "type", "public.pair"},
    {"create table public.rogue (id int)", "extra", "table", "public.rogue"},
    {"create table private.rogue_part partition of public.audit_logs for values from ('2040-01-01') to "
     "('2040-02-01')",
     "extra", "table", "private.rogue_part"},
    {"alter table public.tickets disable row level security", "changed", "table", "public.tickets"},
    {"alter table public.tickets no force row level security; alter table public.tickets force row level security",
     "changed", "table", "public.tickets"},
    {"grant truncate on public.tickets to authenticated", "changed", "table", "public.tickets"},
    {"alter table public.teams owner to authenticated", "changed", "table", "public.teams"},
    {"comment on table public.teams is 'changed by hand'", "changed", "table", "public.teams"},
    {"alter table public.tickets add column rogue int", "extra", "column", "public.tickets.rogue"},
    {"alter table public.tickets alter column priority set default 'urgent'", "changed", "column",
     "public.tickets.priority"},
    {"alter table public.tickets alter column title drop not null", "changed", "column", "public.tickets.title"},
    {"alter table public.tickets alter column title type varchar(500)", "changed", "column", "public.tickets.title"},
    {"grant update (title) on public.kb_articles to anon", "changed", "column", "public.kb_articles.title"},
    {"alter table public.tickets add constraint rogue_title check (length(title) < 1000) not valid", "extra",
     "constraint", "public.tickets.rogue_title"},
    {"create sequence public.rogue_seq", "extra", "sequence", "public.rogue_seq"},
    {"drop index public.idx_tickets_status", "missing", "index", "public.idx_tickets_status"},
    {"create index rogue_idx on public.tickets (title)", "extra", "index", "public.rogue_idx"},
    {"create view public.rogue_view with (security_invoker = true) as select 1 as x", "extra", "view",
     "public.rogue_view"},
    {"create materialized view public.rogue_mv as select 1 as x", "extra", "materialized view", "public.rogue_mv"},
    {"create or replace function private.is_admin() returns boolean language sql stable security definer set "
     "search_path = '' as $$ select true $$",
     "changed", "function", "private.is_admin()"},
    {"alter function private.is_admin() reset search_path", "changed", "function", "private.is_admin()"},
    {"grant execute on function private.is_admin() to anon", "changed", "function", "private.is_admin()"},
    {"create procedure public.rogue_proc() language sql as $$ select 1 $$", "extra", "procedure",
     "public.rogue_proc()"},
    {"alter table public.tickets disable trigger audit_tickets_changes", "changed", "trigger",
     "public.tickets.audit_tickets_changes"},
    {"alter table public.tickets enable replica trigger audit_tickets_changes", "changed", "trigger",
     "public.tickets.audit_tickets_changes"},
    {"create rule rogue_rule as on insert to public.messages do also nothing", "extra", "rule",
     "public.messages.rogue_rule"},
    {"create policy rogue_policy on public.tickets for select to anon using (true)", "extra", "policy",
     "public.tickets.rogue_policy"},
    {"alter policy \"Customers can view own tickets\" on public.tickets using (true)", "changed", "policy",
     "public.tickets.\"Customers can view own tickets\""},
    {"alter default privileges in schema public grant select on tables to anon", "extra", "default privileges",
     "for role (migration role) in schema public on tables"},
    {"create publication rogue_pub for table public.tickets", "extra", "publication", "rogue_pub"},
    {"create function public.rogue_et() returns event_trigger language plpgsql as $$ begin end $$; create event "
     "trigger rogue_et on ddl_command_end execute function public.rogue_et()",
     "extra", "event trigger", "rogue_et"},
};

}  // namespace

TEST_CASE("drift: a freshly migrated AutoCRM database has none, and the shadow database is dropped") {
  it::TestDatabase db(it::Schema::autocrm);
  auto r = drift(db);
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("\"differences\":[]") != std::string::npos);
  CHECK(r.out.find(replayed(chain_length())) != std::string::npos);
  // Its own temporary database (other tests' may exist meanwhile on this server) is gone.
  std::string shadow = shadow_name(r.out);
  REQUIRE(shadow.starts_with("autocrm_migrate_shadow_"));
  CHECK(db.scalar("select count(*) from pg_database where datname = '" + shadow + "'") == "0");
  auto text = drift(db, "text");
  CHECK_EXIT(text, 0);
  CHECK(text.out.find("no drift: the database is what its applied migrations make") != std::string::npos);
  CHECK(text.out.find("\r") == std::string::npos);  // no progress display when not on a terminal
}

TEST_CASE("drift: each kind of change made by hand is reported with its kind and identity (exit 3)") {
  for (const auto& c : k_changes) {
    CAPTURE(c.sql);
    it::TestDatabase db(it::Schema::autocrm);
    exec(db, c.sql);
    auto r = drift(db);
    INFO(r.out << r.err);
    CHECK(r.code == 3);
    CHECK(r.out.find(difference(c.change, c.kind, c.identity)) != std::string::npos);
  }
}

TEST_CASE("drift: a changed function body comes with a unified diff, text and github formats") {
  it::TestDatabase db(it::Schema::autocrm);
  exec(db, "create or replace function private.is_admin() returns boolean language plpgsql stable security definer "
           "set search_path = '' as $$ begin return true; end $$");
  auto text = drift(db, "text");
  CHECK_EXIT(text, 3);
  CHECK(text.out.find("changed function private.is_admin()\n    definition:\n      --- migrations\n      +++ "
                      "database\n") != std::string::npos);
  CHECK(text.out.find("+AS $function$ begin return true; end $function$") != std::string::npos);
  CHECK(text.out.find("drift: 1 difference (0 missing, 0 extra, 1 changed)") != std::string::npos);
  auto gh = drift(db, "github");
  CHECK_EXIT(gh, 3);
  CHECK(gh.out.starts_with("::error title=drift: changed function::changed function private.is_admin()%0A"));
}

TEST_CASE("drift: the audit log's date-made partitions are ignored (ignore_tables), other partitions are not") {
  it::TestDatabase db(it::Schema::autocrm);
  exec(db, "create table private.audit_logs_y2039m01 partition of public.audit_logs for values from ('2039-01-01') "
           "to ('2039-02-01')");
  CHECK_EXIT(drift(db), 0);
}

TEST_CASE("drift: the same change made by a migration is not drift") {
  it::Workspace ws;
  for (const auto& f : fs::directory_iterator(it::source_dir() / "migrations"))
    fs::copy_file(f.path(), ws.migrations() / f.path().filename());
  ws.write_migration("20260101009900_rogue_policy.sql",
                     "-- migrate:up\ncreate policy rogue_policy on public.tickets for select to anon using (true);\n"
                     "grant truncate on public.tickets to authenticated;\n"
                     "-- migrate:down\ndrop policy rogue_policy on public.tickets;\n"
                     "revoke truncate on public.tickets from authenticated;\n");
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nignore_tables = \"private.audit_logs_y*\"\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
  auto r = drift(db, "json", ws.path());
  CHECK_EXIT(r, 0);
  CHECK(r.out.find(replayed(chain_length() + 1)) != std::string::npos);
  CHECK(r.out.find("\"replayed_from_ledger\":0") != std::string::npos);
  // A file edited since it was applied: the SQL recorded in the ledger is replayed, not the file.
  ws.write_migration("20260101009900_rogue_policy.sql",
                     "-- migrate:up\ncreate policy rogue_policy on public.tickets for select to anon using (false);\n"
                     "-- migrate:down\ndrop policy rogue_policy on public.tickets;\n");
  auto edited = drift(db, "text", ws.path());
  CHECK_EXIT(edited, 0);
  CHECK(edited.out.find("note: 1 of them from the SQL recorded in the target's ledger") != std::string::npos);
  // A pending file is not part of the comparison.
  ws.write_migration("20260101009901_pending.sql", "-- migrate:up\ncreate table public.pending (id int);\n");
  CHECK_EXIT(drift(db, "json", ws.path()), 0);
}

TEST_CASE("up with drift_check refuses a drifted database and applies nothing, applies on a clean one") {
  it::Workspace ws;
  for (const auto& f : fs::directory_iterator(it::source_dir() / "migrations"))
    fs::copy_file(f.path(), ws.migrations() / f.path().filename());
  ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nignore_tables = \"private.audit_logs_y*\"\n"
                                   "drift_check = true\nshadow_url = \"" + shadow_url() + "\"\n");
  it::TestDatabase db;
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up", "--to", "20260101001800"}, ws.path()), 0);
  exec(db, "grant truncate on public.tickets to authenticated");
  auto refused = run_tool({"--database-url", db.url(), "up"}, ws.path());
  CHECK_EXIT(refused, 3);
  CHECK(refused.err.find("up refused: drift_check found 1 difference(s)") != std::string::npos);
  CHECK(refused.err.find("changed table public.tickets") != std::string::npos);
  CHECK(db.ledger_rows() == 18);  // 20260101000100 to 20260101001800
  exec(db, "revoke truncate on public.tickets from authenticated");
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
  CHECK(db.ledger_rows() == chain_length());
}

TEST_CASE("drift on a database without a ledger says there is nothing to compare with (exit 1)") {
  it::TestDatabase db;
  exec(db, "create table public.t (id int)");
  auto r = drift(db, "text");
  CHECK_EXIT(r, 1);
  CHECK(r.err.find("has no ledger: no migration was applied to it by autocrm-migrate") != std::string::npos);
}
