// `check` against the real AutoCRM schema: quiet when correct, and each mutation found with the
// right rule and object, on its own fresh database.
#include <doctest/doctest.h>

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
           "[[suppress]]\nrule = \"index-skipped\"\nobject = \"*\"\nreason = \"the test server has no pgvector\"\n");
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
