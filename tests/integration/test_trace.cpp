// `trace` on a real server: the locks each statement takes, what they block and the rewrites, for
// the cases eugene and squawk are known for, CONCURRENTLY included (seen from a watching session).
#include <doctest/doctest.h>

#include "core/json.hpp"
#include "harness.hpp"

using it::run_tool;

namespace {

// A project whose first migration (applied) makes a table big enough for its index builds to take
// a while; each test then traces one pending file.
struct TraceProject {
  it::Workspace ws;
  it::TestDatabase db;
  TraceProject() {
    ws.write("autocrm-migrate.toml", "migrations_dir = \"migrations\"\nshadow_url = \"postgresql://postgres@127.0.0.1:" +
                                         it::server_port() + "/postgres\"\n");
    ws.write_migration("001_base.sql",
                       "-- migrate:up\ncreate table items (id bigint primary key, v text not null);\n"
                       "create table orders (id bigint primary key, item_id bigint);\n"
                       "insert into items select g, md5(g::text) from generate_series(1, 300000) g;\n");
    auto up = run_tool({"--database-url", db.url(), "up"}, ws.path());
    REQUIRE(up.code == 0);
  }
  it::RunResult trace(const std::string& file, const std::string& sql) {
    ws.write_migration(file, sql);
    return run_tool({"--database-url", db.url(), "--format", "json", "trace"}, ws.path());
  }
};

std::string lock(const std::string& relation, const std::string& mode, const std::string& blocks) {
  auto j = core::Json::object().set("relation", relation).set("mode", mode).set("blocks", blocks).dump();
  return j.substr(0, j.size() - 1);
}

}  // namespace

TEST_CASE("trace: a column with a volatile default takes ACCESS EXCLUSIVE and rewrites the table") {
  TraceProject p;
  auto r = p.trace("002_token.sql", "-- migrate:up\nalter table items add column token uuid default gen_random_uuid();\n");
  CHECK_EXIT(r, 3);  // lint's error, confirmed
  CHECK(r.out.find("\"findings\":[{\"rule\":\"add-column-volatile-default\",\"level\":\"error\"") != std::string::npos);
  CHECK(r.out.find("\"confirmed_by_trace\":true") != std::string::npos);
  CHECK(r.out.find(lock("public.items", "ACCESS EXCLUSIVE", "reads and writes")) != std::string::npos);
  CHECK(r.out.find("\"rewrites\":[\"public.items\"") != std::string::npos);
  CHECK(r.out.find("\"worst_lock\":" + lock("public.items", "ACCESS EXCLUSIVE", "reads and writes")) !=
        std::string::npos);
  // A stable default is not a rewrite.
  TraceProject q;
  auto stable = q.trace("002_seen.sql", "-- migrate:up\nalter table items add column seen timestamptz default now();\n");
  CHECK_EXIT(stable, 0);
  CHECK(stable.out.find("\"rewrites\":[]") != std::string::npos);
  // No lint rule covers it, yet it takes ACCESS EXCLUSIVE for a moment: trace's own warning.
  CHECK(stable.out.find("{\"rule\":\"trace-blocking-lock\",\"level\":\"warning\",\"message\":\"ACCESS EXCLUSIVE on "
                        "public.items blocks reads and writes") != std::string::npos);
}

TEST_CASE("trace: a plain create index takes SHARE (blocks writes), CONCURRENTLY blocks neither") {
  TraceProject p;
  auto plain = p.trace("002_index.sql", "-- migrate:up\ncreate index items_v on items (v);\n");
  CHECK_EXIT(plain, 3);
  CHECK(plain.out.find("\"rule\":\"create-index-not-concurrently\"") != std::string::npos);
  CHECK(plain.out.find(lock("public.items", "SHARE", "writes")) != std::string::npos);
  CHECK(plain.out.find("\"created\":[\"public.items_v\"]") != std::string::npos);

  TraceProject q;
  auto concurrent =
      q.trace("002_index.sql", "-- migrate:up transaction:false\ncreate index concurrently items_v on items (v);\n");
  CHECK_EXIT(concurrent, 0);
  // Seen from the watching session while the build ran: the weak lock CONCURRENTLY takes ...
  CHECK(concurrent.out.find(lock("public.items", "SHARE UPDATE EXCLUSIVE", "neither reads nor writes")) !=
        std::string::npos);
  // ... and nothing that blocks the application.
  CHECK(concurrent.out.find("\"blocks\":\"writes\"") == std::string::npos);
  CHECK(concurrent.out.find("\"blocks\":\"reads and writes\"") == std::string::npos);
}

TEST_CASE("trace: a foreign key locks both tables, a table created in the same migration is new") {
  TraceProject p;
  auto r = p.trace("002_fk.sql", "-- migrate:up\nalter table orders add constraint orders_item_fk foreign key (item_id) "
                                 "references items (id);\ncreate table fresh (id int);\n"
                                 "create index fresh_id on fresh (id);\n");
  CHECK_EXIT(r, 3);
  CHECK(r.out.find(lock("public.orders", "SHARE ROW EXCLUSIVE", "writes")) != std::string::npos);
  CHECK(r.out.find(lock("public.items", "SHARE ROW EXCLUSIVE", "writes")) != std::string::npos);
  CHECK(r.out.find(lock("public.fresh", "SHARE", "writes") + ",\"held_ms\":") != std::string::npos);
  CHECK(r.out.find("\"new_object\":true") != std::string::npos);
  // The applied chain is replayed, the traced file is not applied to the target.
  CHECK(p.db.ledger_rows() == 1);
  CHECK_FALSE(p.db.has_table("public.fresh"));
}

TEST_CASE("trace: relations created earlier in the traced chain, partitioned indexes included, are new") {
  TraceProject p;
  p.ws.write_migration("002_parts.sql", "-- migrate:up\ncreate table events (id bigint, at date) partition by range (at);\n"
                                        "create table events_2026 partition of events for values from ('2026-01-01') "
                                        "to ('2027-01-01');\ncreate index events_at on events (at);\n");
  auto r = p.trace("003_more.sql", "-- migrate:up\ndrop index events_at;\ncreate index events_id on events (id);\n");
  CHECK_EXIT(r, 0);
  CHECK(r.out.find("\"version\":\"003\"") != std::string::npos);
  CHECK(r.out.find("\"new_object\":false") == std::string::npos);
  CHECK(r.out.find("\"worst_lock\":null") != std::string::npos);
}

TEST_CASE("trace and lint --catalog agree: a widened varchar rewrites nothing, int to bigint rewrites") {
  TraceProject p;
  p.ws.write_migration("002_code.sql", "-- migrate:up\nalter table items add column code varchar(20), add column n int;\n");
  REQUIRE(run_tool({"--database-url", p.db.url(), "up"}, p.ws.path()).code == 0);
  // Widening: the server keeps the data (no rewrite), and lint --catalog, reading the column's type
  // on the target, makes its finding info.
  auto widen = p.trace("003_widen.sql", "-- migrate:up\nalter table items alter column code type varchar(50);\n");
  CHECK(widen.out.find("\"rewrites\":[]") != std::string::npos);
  auto lint_widen = run_tool({"--database-url", p.db.url(), "lint", "--catalog"}, p.ws.path());
  CHECK_EXIT(lint_widen, 0);
  CHECK(lint_widen.out.find("info alter-column-type") != std::string::npos);
  CHECK(lint_widen.out.find("public.items.code is varchar(20) on the target: varchar(50) keeps its data") !=
        std::string::npos);
  // Static lint cannot know the column's type: an error that says which changes do not rewrite.
  CHECK_EXIT(run_tool({"lint", "migrations/003_widen.sql"}, p.ws.path()), 3);
  std::filesystem::remove(p.ws.path() / "migrations" / "003_widen.sql");
  // int to bigint: a rewrite on the server, an error for lint --catalog.
  auto widen_int = p.trace("003_bigint.sql", "-- migrate:up\nalter table items alter column n type bigint;\n");
  CHECK_EXIT(widen_int, 3);
  CHECK(widen_int.out.find("\"rewrites\":[\"public.items\"") != std::string::npos);
  CHECK(widen_int.out.find("\"confirmed_by_trace\":true") != std::string::npos);
  auto lint_int = run_tool({"--database-url", p.db.url(), "lint", "--catalog"}, p.ws.path());
  CHECK_EXIT(lint_int, 3);
  CHECK(lint_int.out.find("public.items.n is int4 on the target: changing it to int8 rewrites the table") !=
        std::string::npos);
  // The same trace for code scanning and workflow annotations, with lint's rule ids.
  auto sarif = run_tool({"--database-url", p.db.url(), "--format", "sarif", "trace"}, p.ws.path());
  CHECK_EXIT(sarif, 3);
  auto doc = core::Json::parse(sarif.out);
  REQUIRE(doc);
  const auto& results = (*doc)["runs"].elements().at(0)["results"].elements();
  REQUIRE(results.size() == 2);  // errors first, then statement-timeout-missing (info: none configured)
  CHECK(results[1]["ruleId"].text() == "statement-timeout-missing");
  CHECK(results[0]["ruleId"].text() == "alter-column-type");
  CHECK(results[0]["message"]["text"].text().find("confirmed by trace") != std::string::npos);
  CHECK(results[0]["locations"].elements().at(0)["physicalLocation"]["region"]["startLine"].integer() == 2);
  auto github = run_tool({"--database-url", p.db.url(), "--format", "github", "trace"}, p.ws.path());
  CHECK_EXIT(github, 3);
  CHECK(github.out.starts_with("::error file=migrations/003_bigint.sql,line=2,col=1,title=autocrm-migrate "
                               "alter-column-type::"));
}

TEST_CASE("lint asks for a lock_timeout only where the configuration sets none") {
  TraceProject p;
  p.ws.write_migration("002_col.sql", "-- migrate:up\nalter table items add column note text;\n");
  auto with_default = run_tool({"--database-url", p.db.url(), "lint"}, p.ws.path());
  CHECK(with_default.out.find("lock-timeout-missing") == std::string::npos);
  auto without = run_tool({"--database-url", p.db.url(), "--lock-timeout", "0", "lint"}, p.ws.path());
  CHECK(without.out.find("migrations/002_col.sql:2:1: warning lock-timeout-missing") != std::string::npos);
  p.ws.write_migration("002_col.sql", "-- migrate:up\nset lock_timeout = '2s';\nalter table items add column note text;\n");
  auto set_here = run_tool({"--database-url", p.db.url(), "--lock-timeout", "0", "lint"}, p.ws.path());
  CHECK(set_here.out.find("lock-timeout-missing") == std::string::npos);
}
