// Statement classification from PostgreSQL's parse trees, and the section check built on it.
#include <doctest/doctest.h>

#include <memory>

#include "core/lock_key.hpp"
#include "core/section_check.hpp"
#include "core/sql_classify.hpp"

using core::classify_statement;
using core::TxControl;

namespace {

core::StatementList statements_of(const std::string& text) {
  return core::split_statements(text, "m.sql", 1);
}

core::SectionReport check(const std::string& text, bool transactional = true, core::StatementList* out = nullptr) {
  auto list = statements_of(text);
  auto report = core::check_section(list, {"m.sql", "up", transactional, 4242});
  if (out) *out = list;
  return report;
}

std::string first_error(const core::SectionReport& r) { return r.errors.empty() ? "" : r.errors.front().what(); }

}  // namespace

TEST_CASE("transaction control is read from the parse tree - whatever its spelling") {
  CHECK(classify_statement("begin").tx == TxControl::begin);
  CHECK(classify_statement("START TRANSACTION ISOLATION LEVEL SERIALIZABLE").tx == TxControl::begin);
  CHECK(classify_statement("commit").tx == TxControl::commit);
  CHECK(classify_statement("END").tx == TxControl::commit);
  CHECK(classify_statement("rollback").tx == TxControl::rollback);
  CHECK(classify_statement("abort").tx == TxControl::rollback);
  CHECK(classify_statement("savepoint a").tx == TxControl::savepoint);
  CHECK(classify_statement("release savepoint a").tx == TxControl::release);
  CHECK(classify_statement("rollback to savepoint a").tx == TxControl::rollback_to);
  CHECK(classify_statement("prepare transaction 'x'").tx == TxControl::prepare);
  CHECK(classify_statement("commit prepared 'x'").tx == TxControl::commit_prepared);
  CHECK(classify_statement("ROLLBACK PREPARED 'x'").tx == TxControl::rollback_prepared);
  // Words in strings, comments or names are not statements.
  CHECK(classify_statement("select 'commit'").plain());
  CHECK(classify_statement("/* begin */ insert into t values ('rollback')").plain());
  CHECK(classify_statement("create table commit_log (id int)").tx == TxControl::none);
}

TEST_CASE("statements that cannot run in a transaction block are named") {
  auto named = [](const char* sql) { return classify_statement(sql).no_transaction_block; };
  CHECK(named("create index concurrently i on t (a)") == "CREATE INDEX CONCURRENTLY");
  CHECK(named("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)") == "CREATE INDEX CONCURRENTLY");
  CHECK(named("drop index concurrently if exists i") == "DROP INDEX CONCURRENTLY");
  CHECK(named("reindex index concurrently i") == "REINDEX ... CONCURRENTLY");
  CHECK(named("reindex (verbose, concurrently) table t") == "REINDEX ... CONCURRENTLY");
  CHECK(named("reindex schema public") == "REINDEX SCHEMA");
  CHECK(named("alter table p detach partition c concurrently") == "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY");
  CHECK(named("vacuum (analyze) t") == "VACUUM");
  CHECK(named("create database d") == "CREATE DATABASE");
  CHECK(named("drop database d") == "DROP DATABASE");
  CHECK(named("alter system set work_mem = '8MB'") == "ALTER SYSTEM");
  CHECK(named("create tablespace s location '/x'") == "CREATE TABLESPACE");
  CHECK(named("cluster") == "CLUSTER without a table");
  CHECK(named("discard all") == "DISCARD ALL");
  // ... and their transaction-safe cousins are not.
  CHECK(named("create index i on t (a)").empty());
  CHECK(named("drop index i").empty());
  CHECK(named("reindex index i").empty());
  CHECK(named("analyze t").empty());
  CHECK(named("cluster t using i").empty());
  CHECK(named("alter table p detach partition c").empty());
  CHECK(named("discard temp").empty());
}

TEST_CASE("statements that release advisory locks - and the keys they name") {
  CHECK(classify_statement("select pg_advisory_unlock_all()").releases_all_locks == "pg_advisory_unlock_all()");
  CHECK(classify_statement("SELECT pg_catalog.PG_ADVISORY_UNLOCK_ALL()").releases_all_locks == "pg_advisory_unlock_all()");
  CHECK(classify_statement("discard all").releases_all_locks == "DISCARD ALL");
  auto f = classify_statement("select pg_advisory_unlock(42), pg_advisory_unlock(-7::bigint)");
  CHECK(f.unlocks_advisory);
  CHECK(f.unlock_keys == std::vector<std::int64_t>{42, -7});
  CHECK_FALSE(f.unlock_key_unknown);
  CHECK(classify_statement("select pg_advisory_unlock(k) from keys").unlock_key_unknown);
  CHECK(classify_statement("select pg_advisory_unlock(1, 2)").plain());  // the two-key form is another lock space
  CHECK(classify_statement("select 'pg_advisory_unlock_all()'").plain());
}

TEST_CASE("enum values added and indexes created") {
  auto e = classify_statement("alter type public.ticket_status add value if not exists 'escalated' after 'open'");
  CHECK(e.enum_type == "public.ticket_status");
  CHECK(e.enum_value == "escalated");
  CHECK(classify_statement("alter type s rename value 'a' to 'b'").enum_value.empty());
  CHECK(classify_statement("create unique index concurrently if not exists ix on s.t (a)").indexes_created ==
        std::vector<std::string>{"s.ix"});
  CHECK(classify_statement("create table t (id int)").tables_created == std::vector<std::string>{"\"t\""});
  CHECK(classify_statement("create table if not exists t (id int)").tables_created.empty());
  CHECK(core::uses_string_constant("update t set s = 'escalated'", "escalated"));
  CHECK_FALSE(core::uses_string_constant("update t set escalated = true", "escalated"));
}

TEST_CASE("a transactional section refuses transaction control inside - and accepts a whole BEGIN ... COMMIT") {
  CHECK(first_error(check("create table a (id int);\ncommit;\ncreate table b (id int);\n")) ==
        "m.sql:2: COMMIT inside a transactional section: the tool runs the section in one transaction with its "
        "ledger row, which this would end or leave");
  CHECK(first_error(check("create table a (id int);\nrollback;\n")).starts_with("m.sql:2: ROLLBACK inside"));
  CHECK(first_error(check("prepare transaction 'x';\n")).starts_with("m.sql:1: PREPARE TRANSACTION inside"));
  CHECK(check("savepoint s;\ncreate table a (id int);\nrollback to savepoint s;\nrelease savepoint s;\n").errors.empty());
  core::StatementList wrapped;
  auto r = check("BEGIN;\ncreate table a (id int);\ninsert into a values (1);\nCOMMIT;\n", true, &wrapped);
  CHECK(r.errors.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("wrapped whole in BEGIN ... COMMIT") != std::string::npos);
  CHECK(wrapped.size() == 2);
  CHECK(wrapped.wrapper_begin == "BEGIN");
  // A wrapper ending in ROLLBACK is not a wrapper: it would be recorded applied with nothing done.
  CHECK(first_error(check("begin;\ncreate table a (id int);\nrollback;\n")).starts_with("m.sql:1: BEGIN inside"));
  // Outside a transaction the section manages its own transactions.
  CHECK(check("begin;\ncreate table a (id int);\ncommit;\nbegin;\nrollback;\n", false).errors.empty());
}

TEST_CASE("statements that cannot run in a transaction, lock releases and early enum values are refused") {
  auto r = check("create table a (id int);\ncreate index concurrently ia on a (id);\n");
  CHECK(first_error(r) == "m.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and this "
                          "section runs in one");
  CHECK(r.errors.front().hint() == "move it to a migration of its own whose marker line says '-- migrate:up "
                                   "transaction:false'");
  CHECK(check("create index concurrently ia on a (id);\n", false).errors.empty());
  CHECK(first_error(check("select pg_advisory_unlock_all();\n", false)).starts_with("m.sql:1: pg_advisory_unlock_all()"));
  CHECK(first_error(check("discard all;\n", false)).starts_with("m.sql:1: DISCARD ALL releases"));
  CHECK(first_error(check("select pg_advisory_unlock(4242);\n")).starts_with("m.sql:1: pg_advisory_unlock(4242) releases"));
  CHECK(check("select pg_advisory_unlock(17);\n").errors.empty());
  auto dynamic = check("select pg_advisory_unlock(k) from keys;\n");
  CHECK(dynamic.errors.empty());
  CHECK(dynamic.warnings.size() == 1);
  CHECK(first_error(check("alter type s add value 'x';\nupdate t set s = 'x';\n"))
            .starts_with("m.sql:2: uses 'x', the value that ALTER TYPE s ADD VALUE adds at line 1"));
  CHECK(check("alter type s add value 'x';\nupdate t set s = 'x';\n", false).errors.empty());
}

TEST_CASE("the migration lock's key tells apart names that concatenate alike") {
  CHECK(core::migration_lock_key("a.b", "c") != core::migration_lock_key("a", "b.c"));
  CHECK(core::migration_lock_key("autocrm_migrate", "schema_migrations") ==
        core::migration_lock_key("autocrm_migrate", "schema_migrations"));
}
