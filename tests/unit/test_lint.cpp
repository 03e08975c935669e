// lint: every rule shown firing (exact rule id and line) and not firing on the safe form or on a
// table the chain created itself; ignores; positions; the report formats.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/migration.hpp"
#include "lint/lint.hpp"
#include "lint/report.hpp"
#include "lint/rules.hpp"

namespace {

// Lints files (name, text) as one chain, in the order given.
std::vector<lint::Finding> lint_files(const std::vector<std::pair<std::string, std::string>>& files,
                                      const lint::ChainOptions& options = {}) {
  std::vector<lint::SectionInput> sections;
  for (const auto& [name, text] : files) {
    core::Migration m = core::parse_migration(std::string_view(text), name, "migrations/" + name);
    sections.push_back({m.display_path(), core::section_statements(m, m.up), m.up.body, m.up.body_line,
                        m.up.transaction});
  }
  return lint::lint_chain(sections, options);
}

std::vector<lint::Finding> lint_sql(const std::string& sql, const lint::ChainOptions& options = {}) {
  return lint_files({{"20260101000000_t.sql", sql}}, options);
}

// The lines where rule fired (unsuppressed), in order.
std::vector<int> lines_of(const std::vector<lint::Finding>& findings, const std::string& rule) {
  std::vector<int> out;
  for (const auto& f : findings)
    if (f.rule == rule && !f.suppressed) out.push_back(f.line);
  return out;
}

std::vector<int> fired(const std::string& rule, const std::string& sql) { return lines_of(lint_sql(sql), rule); }

using Lines = std::vector<int>;

// The rules a test below shows firing; the meta test checks none is forgotten.
std::set<std::string>& covered() {
  static std::set<std::string> s;
  return s;
}
std::vector<int> fires(const std::string& rule, const std::string& sql) {
  covered().insert(rule);
  return fired(rule, sql);
}

}  // namespace

TEST_CASE("lint: create index without concurrently fires on an existing table, not on one the chain created") {
  CHECK(fires("create-index-not-concurrently", "select 1;\ncreate index tickets_x on tickets (x);") == Lines{2});
  CHECK(fired("create-index-not-concurrently", "create index concurrently tickets_x on tickets (x);").empty());
  CHECK(fired("create-index-not-concurrently",
              "create table app.t (x text);\ncreate index t_x on app.t (x);").empty());
  // An earlier file of the chain linted together created it.
  auto chain = lint_files({{"20260101000000_a.sql", "create table t (x text);"},
                           {"20260101000100_b.sql", "create index t_x on public.t (x);"}});
  CHECK(lines_of(chain, "create-index-not-concurrently").empty());
  // An index the chain already built, created again with IF NOT EXISTS (a real Supabase project
  // repeats one in a later file): PostgreSQL skips it, nothing is built.
  auto again = lint_files({{"20260101000000_a.sql", "create index if not exists t_x on public.t (x);"},
                           {"20260101000100_b.sql", "create index if not exists t_x on public.t (x);"}});
  CHECK(lines_of(again, "create-index-not-concurrently") == Lines{1});
  CHECK(again.front().file == "migrations/20260101000000_a.sql");
  auto without = lint_files({{"20260101000000_a.sql", "create index t_x on public.t (x);"},
                             {"20260101000100_b.sql", "create index if not exists t_y on public.t (x);"}});
  CHECK(lines_of(without, "create-index-not-concurrently") == Lines{1, 1});  // another name is built
  // The same index file alone: the table is not known to be new.
  auto alone = lint_files({{"20260101000100_b.sql", "create index t_x on public.t (x);"}});
  CHECK(lines_of(alone, "create-index-not-concurrently") == Lines{1});
}

TEST_CASE("lint: drop index without concurrently") {
  CHECK(fires("drop-index-not-concurrently", "\n\ndrop index tickets_x;") == Lines{3});
  CHECK(fired("drop-index-not-concurrently", "drop index concurrently tickets_x;").empty());
  CHECK(fired("drop-index-not-concurrently",
              "create table app.t (x text);\ncreate index t_x on app.t (x);\ndrop index app.t_x;").empty());
}

TEST_CASE("lint: add constraint without not valid") {
  CHECK(fires("constraint-not-valid-missing",
              "alter table tickets\n  add constraint fk foreign key (org_id) references orgs (id);") == Lines{2});
  CHECK(fired("constraint-not-valid-missing", "alter table tickets add constraint c check (x > 0);") == Lines{1});
  CHECK(fired("constraint-not-valid-missing",
              "alter table tickets add constraint fk foreign key (org_id) references orgs (id) not valid;")
            .empty());
  CHECK(fired("constraint-not-valid-missing", "alter table tickets validate constraint fk;").empty());
  CHECK(fired("constraint-not-valid-missing",
              "create table app.t (x int);\nalter table app.t add constraint c check (x > 0);").empty());
}

TEST_CASE("lint: add column with a volatile default, not a stable one") {
  CHECK(fires("add-column-volatile-default", "alter table tickets add column k uuid default gen_random_uuid();") ==
        Lines{1});
  CHECK(fired("add-column-volatile-default", "alter table tickets add column r float8 default random();") == Lines{1});
  CHECK(fired("add-column-volatile-default", "alter table tickets add column at timestamptz default now();").empty());
  CHECK(fired("add-column-volatile-default", "alter table tickets add column n int default 0;").empty());
  // identity, serial and stored generated columns are filled per row at ADD time: a rewrite too
  CHECK(fired("add-column-volatile-default",
              "alter table tickets add column seq bigint generated always as identity;") == Lines{1});
  CHECK(fired("add-column-volatile-default", "alter table tickets add column seq bigserial;") == Lines{1});
  CHECK(fired("add-column-volatile-default",
              "alter table tickets add column n2 int generated always as (n * 2) stored;") == Lines{1});
  CHECK(fired("add-column-volatile-default", "create table app.t (x int);\nalter table app.t add column s serial;")
            .empty());
  CHECK(fired("add-column-volatile-default",
              "create table app.t (x int);\nalter table app.t add column k uuid default gen_random_uuid();")
            .empty());
}

TEST_CASE("lint: add column with an inline foreign key or check is validated like add constraint") {
  CHECK(fired("constraint-not-valid-missing",
              "alter table tickets add column org_id uuid references public.organizations (id);") == Lines{1});
  CHECK(fired("constraint-not-valid-missing", "alter table tickets add column n int check (n > 0);") == Lines{1});
  CHECK(fired("constraint-not-valid-missing", "alter table tickets add column n int;").empty());
  CHECK(fired("constraint-not-valid-missing",
              "create table app.t (x int);\nalter table app.t add column o uuid references public.organizations (id);")
            .empty());
}

TEST_CASE("lint: add column not null without a default") {
  CHECK(fires("add-column-required", "alter table tickets\n  add column priority int not null;") == Lines{2});
  CHECK(fired("add-column-required", "alter table tickets add column priority int not null default 3;").empty());
  CHECK(fired("add-column-required", "alter table tickets add column priority int;").empty());
  CHECK(fired("add-column-required",
              "alter table tickets add column n bigint not null generated always as identity;").empty());
  CHECK(fired("add-column-required", "create table app.t (x int);\nalter table app.t add column y int not null;")
            .empty());
}

TEST_CASE("lint: unique and primary key constraints built under the table's lock") {
  CHECK(fires("add-unique-constraint", "alter table tickets add constraint tickets_title_key unique (title);") ==
        Lines{1});
  CHECK(fired("add-unique-constraint", "alter table tickets add column seq serial primary key;") == Lines{1});
  // Adopting an index built concurrently beforehand is the safe form; a new table is not at risk.
  CHECK(fired("add-unique-constraint",
              "alter table tickets add constraint tickets_title_key unique using index tickets_title_idx;")
            .empty());
  CHECK(fired("add-unique-constraint", "create table app.t (x int);\nalter table app.t add primary key (x);").empty());
  CHECK(fired("add-unique-constraint", "alter table tickets add constraint c check (x > 0) not valid;").empty());
}

TEST_CASE("lint: several ALTER TABLEs on one existing table") {
  CHECK(fires("multiple-alter-table", "alter table tickets add column a int;\nalter table tickets add column b int;\n"
                                      "alter table tickets add column c int;") == Lines{2});
  CHECK(fired("multiple-alter-table", "alter table tickets add column a int, add column b int;").empty());
  CHECK(fired("multiple-alter-table", "alter table tickets add column a int;\nalter table teams add column b int;")
            .empty());
  CHECK(fired("multiple-alter-table",
              "create table app.t (x int);\nalter table app.t add column a int;\nalter table app.t add column b int;")
            .empty());
  // One per migration: a later file starts again.
  CHECK(lines_of(lint_files({{"1_a.sql", "alter table tickets add column a int;"},
                             {"2_b.sql", "alter table tickets add column b int;"}}),
                 "multiple-alter-table")
            .empty());
}

TEST_CASE("lint: alter column type") {
  CHECK(fires("alter-column-type", "alter table tickets alter column title type varchar(500);") == Lines{1});
  CHECK(fired("alter-column-type", "create table app.t (x int);\nalter table app.t alter column x type bigint;")
            .empty());
}

TEST_CASE("lint: set not null") {
  CHECK(fires("set-not-null", "alter table tickets alter column title set not null;") == Lines{1});
  CHECK(fired("set-not-null", "alter table tickets alter column title drop not null;").empty());
  CHECK(fired("set-not-null", "create table app.t (x int);\nalter table app.t alter column x set not null;").empty());
}

TEST_CASE("lint: renames and drops break clients") {
  CHECK(fires("rename-column", "alter table tickets rename column title to subject;") == Lines{1});
  CHECK(fires("rename-table", "alter table tickets rename to issues;") == Lines{1});
  CHECK(fires("drop-column", "alter table tickets drop column title;") == Lines{1});
  CHECK(fires("drop-table", "drop table tickets;") == Lines{1});
  const char* fresh = "create table app.t (x int);\nalter table app.t rename column x to y;\n"
                      "alter table app.t drop column y;\nalter table app.t rename to u;\ndrop table app.u;";
  auto f = lint_sql(fresh);
  for (const char* rule : {"rename-column", "rename-table", "drop-column", "drop-table"})
    CHECK_MESSAGE(lines_of(f, rule).empty(), rule);
}

TEST_CASE("lint: column types") {
  CHECK(fires("prefer-text", "create table app.t (\n  id bigint,\n  name varchar(20)\n);") == Lines{3});
  CHECK(fired("prefer-text", "create table app.t (name text, other varchar);").empty());
  CHECK(fires("ban-char", "alter table tickets add column code char(2);") == Lines{1});
  CHECK(fired("ban-char", "alter table tickets add column code text;").empty());
  CHECK(fires("prefer-bigint", "create table app.t (id serial primary key, org_id integer);") == Lines{1, 1});
  CHECK(fired("prefer-bigint", "create table app.t (id bigint primary key, position int);").empty());
  CHECK(fires("prefer-timestamptz", "create table app.t (at timestamp);") == Lines{1});
  CHECK(fired("prefer-timestamptz", "create table app.t (at timestamptz, b timestamp with time zone);").empty());
  CHECK(fires("prefer-jsonb", "alter table tickets add column meta json;") == Lines{1});
  CHECK(fired("prefer-jsonb", "alter table tickets add column meta jsonb;").empty());
}

TEST_CASE("lint: vacuum full and cluster") {
  CHECK(fires("vacuum-full", "vacuum full tickets;") == Lines{1});
  CHECK(fired("vacuum-full", "vacuum analyze tickets;").empty());
  CHECK(fires("cluster", "cluster tickets using tickets_pkey;") == Lines{1});
  CHECK(fired("cluster", "analyze tickets;").empty());
}

TEST_CASE("lint: Supabase rules") {
  CHECK(fires("rls-not-enabled", "select 1;\ncreate table notes (id bigint);") == Lines{2});
  CHECK(fired("rls-not-enabled", "create table public.notes (id bigint);\n"
                                 "alter table notes enable row level security;")
            .empty());
  CHECK(fired("rls-not-enabled", "create table private.notes (id bigint);").empty());
  CHECK(fired("rls-not-enabled", "create temporary table notes (id bigint);").empty());

  const char* definer = "create function app.f() returns int language sql security definer as $$ select 1 $$;";
  CHECK(fires("security-definer-search-path", definer) == Lines{1});
  CHECK(fired("security-definer-search-path",
              "create function app.f() returns int language sql security definer set search_path = '' "
              "as $$ select 1 $$;")
            .empty());
  CHECK(fired("security-definer-search-path", std::string(definer) + "\nalter function app.f() set search_path = '';")
            .empty());
  CHECK(fired("security-definer-search-path", "create function app.f() returns int language sql as $$ select 1 $$;")
            .empty());

  CHECK(fires("grant-to-anon", "grant select on kb_articles to authenticated, anon;") == Lines{1});
  CHECK(fired("grant-to-anon", "alter default privileges in schema public grant select on tables to anon;") ==
        Lines{1});
  CHECK(fired("grant-to-anon", "grant select on kb_articles to authenticated;").empty());
  CHECK(fired("grant-to-anon", "revoke all on kb_articles from anon;").empty());

  CHECK(fires("extension-in-public", "create extension pgcrypto;") == Lines{1});
  CHECK(fired("extension-in-public", "create extension if not exists pgcrypto with schema public;") == Lines{1});
  CHECK(fired("extension-in-public", "create extension pgcrypto with schema extensions;").empty());
}

TEST_CASE("lint: transaction control inside a transactional section") {
  CHECK(fires("transaction-nesting", "create table app.a (x text);\ncommit;\ncreate table app.b (x text);") ==
        Lines{2});
  // A section wrapped whole in BEGIN ... COMMIT: the wrapper is the tool's own transaction.
  CHECK(fired("transaction-nesting", "begin;\ncreate table app.a (x text);\ncommit;").empty());
  CHECK(fired("transaction-nesting", "BEGIN;\ncreate table app.a (x text);\nCOMMIT;").empty());
  CHECK(fired("transaction-nesting", "Start Transaction;\ncreate table app.a (x text);\nend;").empty());
  CHECK(fired("transaction-nesting", "begin;\ncreate table app.a (x text);\ncommit;\nselect 1;") == Lines{1, 3});
  CHECK(fired("transaction-nesting", "create table app.a (x text);").empty());
}

TEST_CASE("lint: identifiers over 63 bytes") {
  std::string long_name(64, 'x'), ok_name(63, 'y');
  CHECK(fires("identifier-too-long", "\ncreate table app." + long_name + " (id bigint);") == Lines{2});
  CHECK(fired("identifier-too-long", "create table app." + ok_name + " (id bigint);").empty());
  CHECK(fired("identifier-too-long", "create index \"" + long_name + "\" on app.t (x);") == Lines{1});
  CHECK(fired("identifier-too-long", "select '" + long_name + "';").empty());
  // the scanner is skipped only where no long token can be: these still reach it
  std::string spaced = "a name with spaces " + std::string(50, 'z');  // 69 bytes, no run over 63
  CHECK(fired("identifier-too-long", "create index \"" + spaced + "\" on app.t (x);") == Lines{1});
  std::string accented;
  for (int i = 0; i < 33; ++i) accented += "\xc3\xa9";  // 33 x U+00E9: 66 bytes, 33 characters
  CHECK(fired("identifier-too-long", "create table app.t_" + accented + " (id bigint);") == Lines{1});
  CHECK(fired("identifier-too-long", "create table app.t$" + std::string(63, 'd') + " (id bigint);") == Lines{1});
}

TEST_CASE("lint: ignore comments") {
  // With a reason, on the line before or on the statement's line: suppressed.
  auto f = lint_sql("-- autocrm-migrate:ignore create-index-not-concurrently tiny table, seconds at most\n"
                    "create index tickets_x on tickets (x);\n"
                    "drop index tickets_y; -- autocrm-migrate:ignore drop-index-not-concurrently, cluster unused index\n");
  CHECK(lines_of(f, "create-index-not-concurrently").empty());
  CHECK(lines_of(f, "drop-index-not-concurrently").empty());
  CHECK(std::count_if(f.begin(), f.end(), [](auto& x) { return x.suppressed; }) == 2);
  CHECK(lines_of(f, "ignore-unused").empty());
  CHECK(f.front().suppression_reason == "tiny table, seconds at most");

  // Without a reason: an error, and nothing suppressed.
  covered().insert("ignore-invalid");
  f = lint_sql("-- autocrm-migrate:ignore create-index-not-concurrently\ncreate index tickets_x on tickets (x);");
  CHECK(lines_of(f, "ignore-invalid") == Lines{1});
  CHECK(lines_of(f, "create-index-not-concurrently") == Lines{2});
  // An unknown rule: an error.
  f = lint_sql("-- autocrm-migrate:ignore no-such-rule because\nselect 1;");
  CHECK(lines_of(f, "ignore-invalid") == Lines{1});

  // squawk's own comment, mapped through equivalents.
  f = lint_sql("-- squawk-ignore require-concurrent-index-creation\ncreate index tickets_x on tickets (x);");
  CHECK(lines_of(f, "create-index-not-concurrently").empty());
  CHECK(lines_of(f, "ignore-unused").empty());

  // An ignore that matches nothing: info.
  covered().insert("ignore-unused");
  f = lint_sql("select 1;\n-- autocrm-migrate:ignore drop-table nothing is dropped any more\nselect 2;");
  CHECK(lines_of(f, "ignore-unused") == Lines{2});
  CHECK(f.back().level == core::Level::info);
  // A comment that merely mentions the marker mid-text is not an ignore.
  CHECK(lines_of(lint_sql("select 1; -- see autocrm-migrate:ignore docs"), "ignore-unused").empty());
}

TEST_CASE("lint: positions, levels, remediation and equivalents") {
  auto f = lint_sql("-- migrate:up\ncreate table app.t (\n\tid bigint,\n\tbody   json\n);\n-- migrate:down\ndrop table app.t;\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "prefer-jsonb");
  CHECK(f[0].file == "migrations/20260101000000_t.sql");
  CHECK(f[0].line == 4);
  CHECK(f[0].column == 9);
  CHECK(f[0].source_line == "\tbody   json");
  CHECK(f[0].level == core::Level::warning);
  CHECK(f[0].remediation == "jsonb");

  const lint::Rule* r = lint::find_rule("create-index-not-concurrently");
  REQUIRE(r);
  CHECK(lint::equivalents_of(*r) ==
        std::vector<std::string>{"squawk:require-concurrent-index-creation", "eugene:E6"});
  CHECK(lint::rules_for_squawk("ban-drop-column") == std::vector<std::string>{"drop-column"});

  std::string text = lint::format_text(f, {1, 1, 0}, core::Level::error, false);
  CHECK(text.find("migrations/20260101000000_t.sql:4:9: warning prefer-jsonb: column body is json") == 0);
  CHECK(text.find("\n  \tbody   json\n  \t       ^\n  fix: jsonb\n") != std::string::npos);
  CHECK(text.find("PASSED (fail on error): 0 error(s), 1 warning(s)") != std::string::npos);
  CHECK(lint::fails(f, core::Level::warning));
  CHECK_FALSE(lint::fails(f, core::Level::error));
  std::string json = lint::format_json(f, {1, 1, 0}, core::Level::error).dump();
  CHECK(json.find("\"rule\":\"prefer-jsonb\"") != std::string::npos);
  CHECK(json.find("\"line\":4") != std::string::npos);
  CHECK(json.find("\"equivalents\":[\"eugene:E3\"]") != std::string::npos);
  CHECK(lint::format_github(f).starts_with(
      "::warning file=migrations/20260101000000_t.sql,line=4,col=9,title=autocrm-migrate prefer-jsonb::"));
}

TEST_CASE("lint: reindex, detach partition and statements that cannot run in a transaction") {
  CHECK(fires("reindex-not-concurrently", "select 1;\nreindex index tickets_x;") == Lines{2});
  CHECK(fired("reindex-not-concurrently", "reindex table tickets;") == Lines{1});
  CHECK(fired("reindex-not-concurrently", "reindex (verbose) table tickets;") == Lines{1});
  CHECK(fired("reindex-not-concurrently",
              "-- migrate:up transaction:false\nreindex index concurrently tickets_x;").empty());
  // An index of a table the chain created: nobody else uses it yet.
  CHECK(fired("reindex-not-concurrently", "create table app.t (x text);\ncreate index t_x on app.t (x);\n"
                                          "reindex index app.t_x;\nreindex table app.t;")
            .empty());
  CHECK(fires("detach-partition-not-concurrently", "alter table events detach partition events_2020;") == Lines{1});
  CHECK(fired("detach-partition-not-concurrently",
              "-- migrate:up transaction:false\nalter table events detach partition events_2020 concurrently;")
            .empty());
  CHECK(fires("cannot-run-in-transaction", "select 1;\ncreate index concurrently tickets_x on tickets (x);") ==
        Lines{2});
  CHECK(fired("cannot-run-in-transaction", "vacuum tickets;") == Lines{1});
  CHECK(fired("cannot-run-in-transaction",
              "-- migrate:up transaction:false\ncreate index concurrently tickets_x on tickets (x);")
            .empty());
  // A DO block always runs in a transaction, also in a transaction:false section.
  CHECK(fired("cannot-run-in-transaction", "-- migrate:up transaction:false\ndo $$\nbegin\n  create index "
                                           "concurrently tickets_x on tickets (x);\nend $$;") == Lines{4});
}

TEST_CASE("lint: drop not null, drop database, truncate cascade") {
  CHECK(fires("drop-not-null", "alter table tickets alter column title drop not null;") == Lines{1});
  CHECK(fired("drop-not-null", "create table app.t (x int not null);\nalter table app.t alter column x drop not null;")
            .empty());
  CHECK(fires("drop-database", "\ndrop database legacy;") == Lines{2});
  CHECK(fired("drop-database", "drop schema legacy;").empty());
  CHECK(fires("truncate-cascade", "truncate tickets cascade;") == Lines{1});
  CHECK(fired("truncate-cascade", "truncate tickets;").empty());
  CHECK(fired("truncate-cascade", "truncate tickets restrict;").empty());
}

TEST_CASE("lint: serial types, small ids, domains with checks, enum values without a place") {
  CHECK(fires("prefer-identity", "create table app.t (\n  id serial primary key);") == Lines{2});
  CHECK(fired("prefer-identity", "alter table tickets add column n bigserial;") == Lines{1});
  CHECK(fired("prefer-identity", "create table app.t (id bigint generated always as identity primary key);").empty());
  CHECK(fired("prefer-bigint", "create table app.t (team_id smallint);") == Lines{1});
  CHECK(fired("prefer-bigint", "create table app.t (team_id bigint, n smallint);").empty());
  CHECK(fires("domain-check-constraint", "create domain app.score as int\n  check (value between 0 and 5);") ==
        Lines{2});
  CHECK(fired("domain-check-constraint", "create domain app.score as int not null;").empty());
  CHECK(fired("domain-check-constraint", "alter domain app.score add constraint c check (value > 0);") == Lines{1});
  CHECK(fired("domain-check-constraint", "alter domain app.score add constraint c check (value > 0) not valid;")
            .empty());
  CHECK(fires("enum-value-unordered", "alter type ticket_status add value 'waiting';") == Lines{1});
  CHECK(fired("enum-value-unordered", "alter type ticket_status add value 'waiting' before 'resolved';").empty());
  CHECK(fired("enum-value-unordered", "alter type ticket_status add value if not exists 'x' after 'open';").empty());
  CHECK(fired("enum-value-unordered", "alter type ticket_status rename value 'a' to 'b';").empty());
}

TEST_CASE("lint: lock-timeout-missing only where the tool sets no lock_timeout") {
  covered().insert("lock-timeout-missing");
  lint::ChainOptions none;
  none.tool_sets_lock_timeout = false;
  auto lint_with = [](const std::string& sql, const lint::ChainOptions& options) {
    return lines_of(lint_sql(sql, options), "lock-timeout-missing");
  };
  const std::string two = "create table app.t (x int);\nalter table tickets add column a text;\n"
                          "alter table tickets add column b text;";
  CHECK(lint_with(two, none) == Lines{2});  // once per section
  CHECK(lint_with(two, {}).empty());        // the configured lock_timeout is set by the tool
  CHECK(lint_with("set lock_timeout = '2s';\n" + two, none).empty());
  CHECK(lint_with("create table app.t (x int);\nalter table app.t add column a text;", none).empty());
  CHECK(lint_with("create policy p on tickets for select using (true);", none) == Lines{1});
}

TEST_CASE("lint: statement-timeout-missing only where the tool sets no statement_timeout") {
  covered().insert("statement-timeout-missing");
  lint::ChainOptions none;
  none.tool_sets_statement_timeout = false;
  auto lint_with = [](const std::string& sql, const lint::ChainOptions& options) { return lint_sql(sql, options); };
  const std::string sql = "select 1;\ncreate index tickets_x on tickets (x);\nalter table tickets add column a text;";
  auto findings = lint_with(sql, none);
  CHECK(lines_of(findings, "statement-timeout-missing") == Lines{2});
  CHECK(lines_of(findings, "lock-timeout-missing").empty());  // the tool sets lock_timeout here
  for (const auto& f : findings)
    if (f.rule == "statement-timeout-missing") CHECK(f.level == core::Level::info);
  CHECK(lines_of(lint_with(sql, {}), "statement-timeout-missing").empty());
  CHECK(lines_of(lint_with("set statement_timeout = '10min';\n" + sql, none), "statement-timeout-missing").empty());
}

TEST_CASE("lint: the statements of a DO block are linted where they are in the file") {
  std::string sql = "select 1;\ndo $body$\ndeclare n int;\nbegin\n  if not exists (select 1) then\n"
                    "    create index tickets_x on tickets (x);\n  end if;\n"
                    "  execute 'alter table tickets add column y int not null';\nend\n$body$;";
  auto findings = lint_sql(sql);
  CHECK(lines_of(findings, "create-index-not-concurrently") == Lines{6});
  CHECK(lines_of(findings, "add-column-required") == Lines{8});
  for (const auto& f : findings)
    if (f.rule == "create-index-not-concurrently") {
      CHECK(f.column == 5);
      CHECK(f.source_line == "    create index tickets_x on tickets (x);");
    }
  // Tables created in the block are new for the rest of the chain.
  CHECK(fired("create-index-not-concurrently",
              "do $$ begin create table app.t (x int); end $$;\ncreate index t_x on app.t (x);").empty());
  // A body written as a quoted string: the findings point at the DO statement.
  CHECK(fired("create-index-not-concurrently", "\ndo 'begin create index i on tickets (x); end';") == Lines{2});
  // Computed EXECUTEs cannot be read; other languages are not PL/pgSQL.
  CHECK(fired("drop-table", "do $$ begin execute format('drop table %I', 'tickets'); end $$;").empty());
  CHECK(fired("drop-table", "do language plperl $$ spi_exec_query('drop table tickets'); $$;").empty());
  // An ignore comment inside the block covers the statement below it.
  CHECK(fired("create-index-not-concurrently",
              "do $$\nbegin\n  -- autocrm-migrate:ignore create-index-not-concurrently the table is empty\n"
              "  create index tickets_x on tickets (x);\nend $$;")
            .empty());
  // A body PL/pgSQL cannot parse is the server's to report when it runs.
  CHECK(lint_sql("do $$ begin create index; end $$;").empty());
}

TEST_CASE("apply_catalog: a type change that keeps the column's data is info, one that rewrites stays an error") {
  auto changed = lint_sql("alter table tickets alter column title type varchar(200);\n"
                          "alter table tickets alter column code type text;\n"
                          "alter table tickets alter column n type bigint;\n"
                          "alter table tickets alter column title type varchar(200) using title::varchar(200);");
  std::vector<lint::Finding> types;
  for (const auto& f : changed)
    if (f.rule == "alter-column-type") types.push_back(f);
  REQUIRE(types.size() == 4);
  CHECK(types[0].changed_column == "title");
  CHECK(lint::to_sql(types[0].new_type) == "varchar(200)");
  CHECK(types[3].using_expression);
  lint::TargetCatalog catalog{"the target", {{"public.tickets", 1000000}}, {}};
  catalog.columns[{"public.tickets", "title"}] = lint::column_type_from_catalog("varchar", 104);
  catalog.columns[{"public.tickets", "code"}] = lint::column_type_from_catalog("varchar", -1);
  catalog.columns[{"public.tickets", "n"}] = lint::column_type_from_catalog("int4", -1);
  lint::apply_catalog(types, catalog);
  CHECK(types[0].level == core::Level::info);
  CHECK(types[0].message.find("public.tickets.title is varchar(100) on the target: varchar(200) keeps its data") !=
        std::string::npos);
  CHECK(types[1].level == core::Level::info);
  CHECK(types[2].level == core::Level::error);
  CHECK(types[2].message.find("int4 on the target: changing it to int8 rewrites the table") != std::string::npos);
  CHECK(types[3].level == core::Level::error);  // USING recomputes every row
}

TEST_CASE("column types: which ALTER COLUMN TYPE changes keep the data") {
  auto t = [](std::string name, std::vector<int> mods = {}) { return lint::ColumnType{std::move(name), std::move(mods)}; };
  CHECK(lint::changes_without_rewrite(t("varchar", {50}), t("varchar", {100})));
  CHECK(lint::changes_without_rewrite(t("varchar", {50}), t("varchar")));
  CHECK(lint::changes_without_rewrite(t("varchar", {50}), t("text")));
  CHECK(lint::changes_without_rewrite(t("text"), t("varchar")));
  CHECK_FALSE(lint::changes_without_rewrite(t("varchar", {100}), t("varchar", {50})));
  CHECK_FALSE(lint::changes_without_rewrite(t("text"), t("varchar", {50})));
  CHECK_FALSE(lint::changes_without_rewrite(t("varchar"), t("varchar", {50})));
  CHECK(lint::changes_without_rewrite(t("numeric", {10, 2}), t("numeric", {12, 2})));
  CHECK(lint::changes_without_rewrite(t("numeric", {10, 2}), t("numeric")));
  CHECK_FALSE(lint::changes_without_rewrite(t("numeric", {10, 2}), t("numeric", {12, 3})));
  CHECK_FALSE(lint::changes_without_rewrite(t("numeric"), t("numeric", {12, 2})));
  CHECK(lint::changes_without_rewrite(t("numeric", {10}), t("numeric", {12, 0})));
  CHECK(lint::changes_without_rewrite(t("cidr"), t("inet")));
  CHECK_FALSE(lint::changes_without_rewrite(t("int4"), t("int8")));
  CHECK_FALSE(lint::changes_without_rewrite(t("timestamp"), t("timestamptz")));
  CHECK_FALSE(lint::changes_without_rewrite(t("bpchar", {5}), t("bpchar", {10})));
  // The catalog's typmods: varchar and numeric are offset by 4 bytes.
  CHECK(lint::column_type_from_catalog("varchar", 54) == t("varchar", {50}));
  CHECK(lint::column_type_from_catalog("numeric", ((10 << 16) | 2) + 4) == t("numeric", {10, 2}));
  CHECK(lint::column_type_from_catalog("_varchar", 24) == t("varchar[]", {20}));
  CHECK(lint::to_sql(t("varchar[]", {20})) == "varchar(20)[]");
}

TEST_CASE("lint: a chain parsed on several threads gives the findings of one thread") {
  // Enough statements for the parallel parse (2,000 and more); every fourth a finding, some on
  // tables an earlier file created.
  std::vector<lint::SectionInput> sections;
  std::vector<core::Migration> files;
  for (int f = 0; f < 700; ++f) {
    std::string sql = "-- migrate:up\ncreate table app.t" + std::to_string(f) + " (id int);\n" +
                      "create index i" + std::to_string(f) + " on app.t" + std::to_string(f / 2) + " (id);\n" +
                      "alter table tickets add column c" + std::to_string(f) + " int not null;\nselect 1;\n";
    files.push_back(core::parse_migration(std::string_view(sql), std::to_string(20260101000000LL + f) + "_f.sql",
                                          "migrations/f" + std::to_string(f) + ".sql"));
  }
  for (const auto& m : files)
    sections.push_back({m.display_path(), core::section_statements(m, m.up), m.up.body, m.up.body_line,
                        m.up.transaction});
  lint::ChainOptions one, four;
  one.parse_threads = 1;
  four.parse_threads = 4;
  auto a = lint::lint_chain(sections, one), b = lint::lint_chain(sections, four);
  REQUIRE(a.size() == b.size());
  CHECK(a.size() > 700);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].rule == b[i].rule);
    CHECK(a[i].file == b[i].file);
    CHECK(a[i].line == b[i].line);
    CHECK(a[i].message == b[i].message);
  }
}

TEST_CASE("lint: the configuration's [lint] levels turn rules off or change their level") {
  std::string sql = "create table app.t (code varchar(10), meta json);\nalter table tickets add column n int not null;";
  lint::ChainOptions options;
  options.levels["prefer-text"] = std::nullopt;
  options.levels["prefer-jsonb"] = core::Level::error;
  options.levels["add-column-required"] = core::Level::info;
  auto findings = lint_sql(sql, options);
  CHECK(lines_of(findings, "prefer-text").empty());
  bool jsonb = false, required = false;
  for (const auto& f : findings) {
    if (f.rule == "prefer-jsonb") jsonb = f.level == core::Level::error;
    if (f.rule == "add-column-required") required = f.level == core::Level::info;
  }
  CHECK(jsonb);
  CHECK(required);
  lint::ChainOptions relaxed;
  relaxed.levels["prefer-jsonb"] = core::Level::warning;
  relaxed.levels["add-column-required"] = std::nullopt;
  CHECK_FALSE(lint::fails(lint_sql(sql, relaxed), core::Level::error));
  CHECK(lint::fails(lint_sql(sql), core::Level::error));
}

TEST_CASE("lint: every rule has a test that shows it firing (meta)") {
  if (covered().empty()) return;  // run alone (a filter): the rule tests did not run before it
  for (const auto& r : lint::rules()) CHECK_MESSAGE(covered().count(r.id) == 1, r.id);
  std::set<std::string> ids;
  for (const auto& r : lint::rules()) CHECK_MESSAGE(ids.insert(r.id).second, "duplicate rule id ", r.id);
}


TEST_CASE("apply_catalog: row estimates in the message, a small table is a warning, a missing one info") {
  lint::Finding big{}, small{}, missing{}, unknown{}, other{};
  big.rule = small.rule = missing.rule = unknown.rule = "create-index-not-concurrently";
  big.table = "public.tickets";
  small.table = "public.teams";
  missing.table = "public.gone";
  unknown.table = "public.fresh";
  other.rule = "prefer-text";
  std::vector<lint::Finding> findings{big, small, missing, unknown, other};
  for (auto& f : findings) f.message = "m";
  lint::TargetCatalog catalog{"the target", {{"public.tickets", 1000000}, {"public.teams", 40}, {"public.fresh", -1}}};
  lint::apply_catalog(findings, catalog);
  CHECK(findings[0].level == core::Level::error);
  CHECK(findings[0].message == "m (public.tickets has about 1,000,000 rows on the target)");
  CHECK(findings[1].level == core::Level::warning);
  CHECK(findings[2].level == core::Level::info);
  CHECK(findings[2].message == "m (public.gone does not exist on the target: nothing is blocked there today)");
  CHECK(findings[3].level == core::Level::error);
  CHECK(findings[3].message.find("no statistics") != std::string::npos);
  CHECK(findings[4].message == "m");
}
