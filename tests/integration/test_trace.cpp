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

TEST_CASE("trace: a plain create index takes SHARE (blocks writes); CONCURRENTLY blocks neither") {
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

TEST_CASE("trace: a foreign key locks both tables; a table created in the same migration is new") {
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
