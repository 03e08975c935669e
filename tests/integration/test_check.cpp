// `check` against the real AutoCRM schema: quiet when correct, and each mutation found with the
// right rule and object, on its own fresh database.
#include <doctest/doctest.h>

#include "check/rule.hpp"
#include "core/level.hpp"
#include "harness.hpp"

using it::run_tool;

namespace {

// A fresh database with every AutoCRM migration applied with the shipped configuration (a copy of
// the template database the harness makes once per run).
struct AutoCrmDatabase {
  it::TestDatabase db{it::Schema::autocrm};
  void exec(const std::string& sql) const {
    auto c = db.connect();
    pqxx::nontransaction tx(*c);
    tx.exec(sql);
  }
  it::RunResult check(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"--database-url", db.url(), "--format", "json", "check"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool(args, it::source_dir());
  }
};

std::string finding(const std::string& rule, const std::string& level, const std::string& object) {
  return "{\"rule\":\"" + rule + "\",\"level\":\"" + level + "\",\"object\":\"" + object + "\"";
}

// The level of a rule as the JSON report prints it.
std::string find_rule_level(const std::string& rule) {
  const auto* r = check::find_rule(rule);
  return r ? std::string(core::level_name(r->level)) : "unknown";
}

#define CHECK_FINDS(result, rule, level, object)                                  \
  do {                                                                            \
    INFO("check output: " << (result).out << "\n" << (result).err);               \
    CHECK((result).out.find(finding(rule, level, object)) != std::string::npos); \
  } while (0)

}  // namespace

TEST_CASE("check on a freshly migrated AutoCRM database exits 0 with no error") {
  AutoCrmDatabase a;
  auto r = a.check();
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("\"errors\":0") != std::string::npos);
  // Without pgvector the vector index is reported as skipped at warning level, never as passed.
  CHECK_FINDS(r, "index-skipped", "warning", "public.idx_kb_articles_embedding");
  auto text = run_tool({"--database-url", a.db.url(), "check"}, it::source_dir());
  CHECK_EXIT(text, 0);
  CHECK(text.out.find("PASSED (fail on error)") != std::string::npos);
  CHECK(text.out.find("\x1b[") == std::string::npos);  // no colour when not on a terminal
}

TEST_CASE("check finds RLS disabled on a table") {
  AutoCrmDatabase a;
  a.exec("alter table public.tickets disable row level security");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "rls-disabled", "error", "public.tickets");
  CHECK_FINDS(r, "policy-without-rls", "error", "public.tickets");
}

TEST_CASE("check finds a command left without a policy") {
  AutoCrmDatabase a;
  a.exec("do $$ declare p record; begin for p in select policyname from pg_policies where schemaname = 'public' and "
         "tablename = 'tickets' and cmd in ('INSERT', 'ALL') loop execute format('drop policy %I on public.tickets', "
         "p.policyname); end loop; end $$");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "rls-missing-command-policy", "error", "public.tickets (insert)");
}

TEST_CASE("check finds the plan's recursive admin policy before anyone hits it") {
  AutoCrmDatabase a;
  a.exec("create policy \"Admins can view all profiles\" on public.profiles for select using (exists (select 1 from "
         "public.profiles where id = auth.uid() and role = 'admin'))");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "policy-self-reference", "error", "public.profiles: policy \\\"Admins can view all profiles\\\"");
  CHECK_FINDS(r, "auth-uid-not-wrapped", "warning", "public.profiles: policy \\\"Admins can view all profiles\\\"");
}

TEST_CASE("check finds a dropped trigger and a disabled trigger") {
  AutoCrmDatabase a;
  a.exec("drop trigger handle_updated_at on public.teams");
  a.exec("alter table public.tickets disable trigger audit_tickets_changes");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "trigger-missing", "error", "public.teams: trigger handle_updated_at");
  CHECK_FINDS(r, "trigger-disabled", "error", "public.tickets: trigger audit_tickets_changes");
}

TEST_CASE("check finds an updated_at trigger pointed at the wrong column") {
  AutoCrmDatabase a;
  a.exec("drop trigger handle_updated_at on public.messages");
  a.exec("create trigger handle_updated_at before update on public.messages for each row execute function "
         "extensions.moddatetime(created_at)");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "trigger-mismatch", "error", "public.messages: trigger handle_updated_at");
  CHECK(r.out.find("arguments (created_at) (expected (updated_at))") != std::string::npos);
}

TEST_CASE("check finds a dropped index and an index replaced by one on other columns") {
  AutoCrmDatabase a;
  a.exec("drop index public.idx_tickets_status");
  a.exec("drop index public.idx_tickets_priority");
  a.exec("create index idx_tickets_priority on public.tickets (created_at)");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "index-missing", "error", "public.idx_tickets_status");
  CHECK_FINDS(r, "index-mismatch", "error", "public.idx_tickets_priority");
}

TEST_CASE("check counts an INVALID index left by a failed concurrent build as broken") {
  AutoCrmDatabase a;
  a.exec("drop index public.idx_organizations_domain");
  a.exec("insert into public.organizations (name, domain) values ('a', 'same.example'), ('b', 'same.example')");
  CHECK_THROWS(a.exec("create unique index concurrently idx_organizations_domain on public.organizations (domain)"));
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "index-invalid", "error", "public.idx_organizations_domain");
}

TEST_CASE("check finds an unindexed foreign key") {
  AutoCrmDatabase a;
  a.exec("alter table public.response_templates add column reviewer_id uuid references public.profiles (id)");
  auto warn_only = a.check();
  CHECK_EXIT(warn_only, 0);
  CHECK_FINDS(warn_only, "fk-without-index", "warning", "public.response_templates.response_templates_reviewer_id_fkey");
  auto r = a.check({"--fail-on", "warning"});
  CHECK_EXIT(r, 3);
}

TEST_CASE("check finds a security definer function without search_path") {
  AutoCrmDatabase a;
  a.exec("create function public.leaky() returns int language sql security definer as 'select 1'");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "security-definer-search-path", "error", "public.leaky()");
  CHECK_FINDS(r, "security-definer-anon-executable", "warning", "public.leaky()");
}

TEST_CASE("check finds an extension in public") {
  AutoCrmDatabase a;
  a.exec("create extension pg_trgm schema public");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "extension-in-public", "error", "pg_trgm");
}

TEST_CASE("check finds a materialized view and a view that expose rows past RLS") {
  AutoCrmDatabase a;
  a.exec("create materialized view public.ticket_counts as select count(*) as n from public.tickets");
  a.exec("create view public.all_tickets as select id, title from public.tickets");
  a.exec("grant select on public.ticket_counts, public.all_tickets to anon, authenticated");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "matview-readable-by-api", "error", "public.ticket_counts");
  CHECK_FINDS(r, "view-bypasses-rls", "error", "public.all_tickets");
}

TEST_CASE("suppressed findings need a reason and are shown with it") {
  AutoCrmDatabase a;
  a.exec("alter table public.response_templates add column reviewer_id uuid references public.profiles (id)");
  it::Workspace ws;
  ws.write("autocrm-migrate.toml",
           "migrations_dir = \"" + (it::source_dir() / "migrations").string() + "\"\n"
           "declaration = \"" + (it::source_dir() / "schema" / "autocrm.schema.toml").string() + "\"\n"
           "[[suppress]]\nrule = \"fk-without-index\"\nobject = \"public.response_templates.response_templates_reviewer_id_fkey\"\n"
           "reason = \"reviewers are few and never deleted\"\n"
           "[[suppress]]\nrule = \"index-skipped\"\nobject = \"*\"\nreason = \"the test server has no pgvector\"\n"
           "[[suppress]]\nrule = \"multiple-permissive-policies\"\nobject = \"*\"\n"
           "reason = \"one policy per role of the access matrix; measured in docs/benchmarks-load.md\"\n"
           "[[suppress]]\nrule = \"function-search-path-mutable\"\nobject = \"*\"\n"
           "reason = \"the analytics functions are inlined SQL (migration 20260101002300)\"\n");
  auto r = run_tool({"--database-url", a.db.url(), "check", "--fail-on", "warning"}, ws.path());
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("reason: reviewers are few and never deleted") != std::string::npos);
  ws.write("autocrm-migrate.toml", "[[suppress]]\nrule = \"fk-without-index\"\nobject = \"*\"\n");
  auto bad = run_tool({"--database-url", a.db.url(), "check"}, ws.path());
  CHECK_EXIT(bad, 2);
  CHECK(bad.err.find("autocrm-migrate.toml:1: a suppression needs rule, object and a written reason") != std::string::npos);
}

TEST_CASE("check speaks JUnit and GitHub annotations") {
  AutoCrmDatabase a;
  a.exec("drop index public.idx_tickets_status");
  auto junit = run_tool({"--database-url", a.db.url(), "--format", "junit", "check"}, it::source_dir());
  CHECK_EXIT(junit, 3);
  CHECK(junit.out.find("<testsuite name=\"autocrm-migrate check\"") != std::string::npos);
  CHECK(junit.out.find("failures=\"1\"") != std::string::npos);
  auto gh = run_tool({"--database-url", a.db.url(), "--format", "github", "check"}, it::source_dir());
  CHECK_EXIT(gh, 3);
  CHECK(gh.out.find("::error title=autocrm-migrate index-missing::public.idx_tickets_status: ") != std::string::npos);
  auto wrong = run_tool({"--database-url", a.db.url(), "--format", "junit", "status"}, it::source_dir());
  CHECK_EXIT(wrong, 2);
}

// The changes a hurried admin or an attacker with Studio access makes, each on a fresh database:
// check must exit 3 and name the rule and object (issue 15's list).
TEST_CASE("check sees through hand-made changes that open the data") {
  struct Tamper {
    const char* sql;
    const char* rule;
    const char* object;
  };
  const std::vector<Tamper> cases = {
      {"create policy open_read on public.tickets for select to authenticated using (true)", "policy-always-true",
       "public.tickets: policy \\\"open_read\\\""},
      {"create policy open_all on public.tickets to public using (true) with check (true)", "policy-public-role",
       "public.tickets: policy \\\"open_all\\\""},
      {"alter policy \"Customers can view own tickets\" on public.tickets using (true)", "policy-always-true",
       "public.tickets: policy \\\"Customers can view own tickets\\\""},
      {"alter policy \"Customers can view own tickets\" on public.tickets to authenticated, anon", "policy-mismatch",
       "public.tickets: policy \\\"Customers can view own tickets\\\""},
      {"grant all on public.tickets to anon; create policy anon_read on public.tickets for select to anon using "
       "(status <> 'closed')",
       "privilege-extra", "public.tickets (anon)"},
      {"alter table public.tickets owner to authenticated", "api-role-owns-object", "public.tickets"},
      {"create function public.all_tickets() returns setof public.tickets language sql security definer set "
       "search_path = '' as 'select * from public.tickets'; grant execute on function public.all_tickets() to "
       "authenticated",
       "security-definer-reads-rls", "public.all_tickets()"},
      {"drop trigger audit_tickets_changes on public.tickets; create trigger audit_tickets_changes after update on "
       "public.tickets for each row when (false) execute function public.audit_trigger_func('id')",
       "trigger-mismatch", "public.tickets: trigger audit_tickets_changes"},
      {"alter table public.tickets enable replica trigger audit_tickets_changes", "trigger-disabled",
       "public.tickets: trigger audit_tickets_changes"},
      {"drop trigger audit_tickets_changes on public.tickets; create trigger audit_tickets_changes after update of "
       "metadata on public.tickets for each row execute function public.audit_trigger_func('id')",
       "trigger-mismatch", "public.tickets: trigger audit_tickets_changes"},
      {"create rule publish as on insert to public.messages do also insert into public.kb_articles (title, content, "
       "organization_id) values ('leak', new.content, (select organization_id from public.tickets where id = "
       "new.ticket_id))",
       "table-rule", "public.messages"},
      {"grant truncate on public.messages to authenticated", "privilege-dangerous", "public.messages (authenticated)"},
      {"grant update (organization_id) on public.tickets to authenticated", "privilege-extra",
       "public.tickets.organization_id (authenticated)"},
      {"revoke execute on function public.get_ticket_metrics(timestamptz, timestamptz, uuid) from authenticated",
       "privilege-missing", "public.get_ticket_metrics (authenticated)"},
      {"alter default privileges in schema public grant select on tables to anon", "default-privileges-grant",
       "default privileges of postgres in schema public on tables (anon)"},
      {"create function public.touch() returns int language sql as 'select 1'", "function-search-path-mutable",
       "public.touch()"},
      {"create policy meta on public.tickets for select to authenticated using ((select auth.jwt()) -> "
       "'user_metadata' ->> 'role' = 'admin')",
       "policy-user-metadata", "public.tickets: policy \\\"meta\\\""},
      {"create table public.api_keys (id uuid primary key, api_key text); grant select on public.api_keys to anon",
       "sensitive-columns-exposed", "public.api_keys"},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.sql));
    AutoCrmDatabase a;
    a.exec(c.sql);
    auto r = a.check();
    // Errors fail the run; a warning-level rule (default privileges, a mutable search_path) is
    // only reported, and fails it with --fail-on warning.
    if (find_rule_level(c.rule) == "error") CHECK_EXIT(r, 3);
    else CHECK_EXIT(a.check({"--fail-on", "warning"}), 3);
    CHECK_FINDS(r, c.rule, find_rule_level(c.rule), c.object);
  }
}

TEST_CASE("check finds what splinter's lints find, each object named, on a real database") {
  struct Change {
    const char* sql;
    const char* rule;
    const char* object;
  };
  const std::vector<Change> cases = {
      {"create policy extra_read on public.tickets for select to authenticated using (status <> 'closed')",
       "policy-undeclared", "public.tickets: policy \\\"extra_read\\\""},
      {"drop policy \"Customers can view own tickets\" on public.tickets", "policy-missing",
       "public.tickets: policy \\\"Customers can view own tickets\\\""},
      {"create function public.whoami() returns uuid language sql stable security definer set search_path = '' as "
       "'select auth.uid()'",
       "security-definer-authenticated-executable", "public.whoami()"},
      {"create table public.notes (id uuid primary key, owner uuid); alter table public.notes enable row level "
       "security; create policy mine on public.notes for select to authenticated using (owner = (select auth.uid())); "
       "create policy unowned on public.notes for select to authenticated using (owner is null)",
       "multiple-permissive-policies", "public.notes (authenticated select)"},
      {"create view public.user_emails as select id, email from auth.users; grant select on public.user_emails to "
       "authenticated",
       "auth-users-exposed",
       "public.user_emails"},
      {"create table public.subscribers (email text primary key references auth.users (email))", "fk-to-auth-unique",
       "public.subscribers.subscribers_email_fkey"},
      {"create foreign data wrapper dummy_fdw; create server dummy_srv foreign data wrapper dummy_fdw; create foreign "
       "table public.remote_notes (id int) server dummy_srv; grant select on public.remote_notes to anon",
       "foreign-table-in-api", "public.remote_notes"},
      {"create extension pg_trgm version '1.3' schema extensions", "extension-outdated", "pg_trgm"},
      {"create table public.jobs (id int primary key, handler regproc)", "unsupported-reg-types",
       "public.jobs.handler"},
      {"create table public.events (happened_at timestamptz); alter table public.events enable row level security",
       "table-without-primary-key", "public.events"},
      // Both found by running splinter's SQL next to check (docs/checks.md): auth.email() per row,
      // and a search_path that depends on the caller through "$user".
      {"create function auth.email() returns text language sql stable as 'select null::text'; create table "
       "public.contacts (id int primary key, email text); alter table public.contacts enable row level security; "
       "create policy own_email on public.contacts for select to authenticated using (email = auth.email())",
       "auth-uid-not-wrapped", "public.contacts: policy \\\"own_email\\\""},
      {"create function public.by_user() returns int language sql set search_path = \"$user\", public as 'select 1'",
       "function-search-path-mutable", "public.by_user()"},
  };
  AutoCrmDatabase clean;
  auto before = clean.check({"--fail-on", "warning"});
  for (const auto& c : cases) {
    INFO(std::string(c.sql));
    // Not there before the change, so finding it after is the change's doing.
    CHECK(before.out.find(finding(c.rule, find_rule_level(c.rule), c.object)) == std::string::npos);
    AutoCrmDatabase a;
    a.exec(c.sql);
    auto r = a.check({"--fail-on", find_rule_level(c.rule)});
    CHECK_EXIT(r, 3);
    CHECK_FINDS(r, c.rule, find_rule_level(c.rule), c.object);
  }
}

TEST_CASE("check finds an INVALID index nobody declared, as splinter's invalid_index does") {
  AutoCrmDatabase a;
  a.exec("create table public.dups (id int primary key, v int); insert into public.dups values (1, 1), (2, 1)");
  CHECK_THROWS(a.exec("create unique index concurrently dups_v on public.dups (v)"));
  for (const auto& r : {a.check(), a.check({"--no-declaration"})}) {
    CHECK_EXIT(r, 3);
    CHECK_FINDS(r, "index-invalid", "error", "public.dups_v");
  }
}

TEST_CASE("check finds an API role that can skip RLS, and the cluster is put back") {
  AutoCrmDatabase a;
  a.exec("alter role authenticated bypassrls");
  auto r = a.check();
  a.exec("alter role authenticated nobypassrls");
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "api-role-bypasses-rls", "error", "authenticated");
}

TEST_CASE("check runs plpgsql_check over the bodies where it is installed, and says skipped where not") {
  AutoCrmDatabase a;
  auto before = a.check();
  CHECK_FINDS(before, "plpgsql-check-skipped", "info", "plpgsql_check");
  a.exec("create extension plpgsql_check schema extensions");
  auto clean = a.check();
  CHECK_EXIT(clean, 0);
  CHECK(clean.out.find("plpgsql-check-skipped") == std::string::npos);
  a.exec("create or replace function private.is_admin() returns boolean language plpgsql stable security definer set "
         "search_path = '' as $$ begin return (select p.rol from public.profiles p where p.id = (select auth.uid())) = "
         "'admin'; end $$");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "plpgsql-body-error", "error", "private.is_admin()");
}

TEST_CASE("check without a declaration runs the rules that need none and leaves Supabase's schemas alone") {
  AutoCrmDatabase a;
  a.exec("create table auth.sessions_x (id uuid); alter table auth.sessions_x enable row level security");
  a.exec("create table public.notes (id uuid primary key, body text)");
  auto r = a.check({"--no-declaration"});
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "rls-disabled", "error", "public.notes");
  CHECK(r.out.find("auth.sessions_x") == std::string::npos);
  CHECK(r.out.find("\"declaration\":false") != std::string::npos);
  CHECK(r.out.find("\"skipped_rules\":[\"table-missing\"") != std::string::npos);
  CHECK(r.out.find("\"rule\":\"policy-undeclared\"") == std::string::npos);
  CHECK(r.out.find("\"equivalents\":[\"splinter:rls_disabled_in_public\"]") != std::string::npos);
}

TEST_CASE("check counts a project's own PL/pgSQL function that sets NEW.updated_at as maintaining it") {
  AutoCrmDatabase a;
  a.exec("create function public.touch_updated_at() returns trigger language plpgsql set search_path = '' as $$ begin "
         "new.updated_at := now(); return new; end $$");
  a.exec("create function public.noop_trigger() returns trigger language plpgsql set search_path = '' as $$ begin if "
         "new.updated_at = old.updated_at then return new; end if; return new; end $$");
  a.exec("create table public.notes (id uuid primary key, updated_at timestamptz); alter table public.notes enable "
         "row level security; create trigger touch before update on public.notes for each row execute function "
         "public.touch_updated_at()");
  a.exec("create table public.drafts (id uuid primary key, updated_at timestamptz); alter table public.drafts enable "
         "row level security; create trigger touch before update on public.drafts for each row execute function "
         "public.noop_trigger()");
  auto r = a.check();
  CHECK_EXIT(r, 3);
  CHECK_FINDS(r, "updated-at-trigger-missing", "error", "public.drafts");
  CHECK(r.out.find("\"rule\":\"updated-at-trigger-missing\",\"level\":\"error\",\"object\":\"public.notes\"") ==
        std::string::npos);
}
