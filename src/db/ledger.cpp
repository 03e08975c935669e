#include "db/ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "db/errors.hpp"

namespace db {

namespace {

// The longest prefix of s of at most n bytes that does not split a UTF-8 character (half a
// character is invalid text the server refuses).
std::string utf8_prefix(const std::string& s, std::size_t n) {
  n = std::min(n, s.size());
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// The meta table's name: "<table>_meta"; a table name over 58 bytes is cut to 49 and followed by
// 8 hex digits of its hash, so that two long names sharing a prefix never share a meta table.
std::string meta_name(const std::string& table) {
  if (table.size() <= 58) return table + "_meta";
  return utf8_prefix(table, 49) + "_" + core::sha256_hex(table).substr(0, 8) + "_meta";
}

core::LedgerRow row_of(const Row& r) {
  core::LedgerRow row;
  row.version = r.text(0);
  row.name = r.text(1);
  row.checksum = r.text(2);
  row.state = r.text(3);
  row.irreversible = r.boolean(4);
  row.down_transaction = r.boolean(5);
  row.down_line = static_cast<int>(r.integer(6));
  row.applied_at = r.text(7);
  row.applied_by = r.text(8);
  row.execution_ms = r.integer(9);
  row.error = r.text(10);
  row.down_missing = r.boolean(11);
  return row;
}

constexpr const char* k_row_columns =
    "version, name, checksum, state, irreversible, down_transaction, down_line, "
    "to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by, execution_ms, error, "
    "down_sql is null";

constexpr const char* k_table_columns = R"( (
  version text primary key,
  name text not null,
  checksum text not null,
  state text not null default 'applied' check (state in ('applied', 'failed')),
  up_transaction boolean not null default true,
  down_sql text,
  down_transaction boolean not null default true,
  down_line integer not null default 0,
  irreversible boolean not null default false,
  applied_at timestamptz not null default now(),
  applied_by text not null default current_user,
  execution_ms bigint not null default 0,
  baseline boolean not null default false,
  error text,
  up_sql text,
  up_line integer not null default 0
))";

}  // namespace

Ledger::Ledger(Queryable& q, std::string schema, std::string table, MigrationSession* writer)
    : m_q(q), m_schema(std::move(schema)), m_table(std::move(table)), m_writer(writer) {
  m_qualified = core::quote_identifier(m_schema) + "." + core::quote_identifier(m_table);
  m_qualified_meta = core::quote_identifier(m_schema) + "." + core::quote_identifier(meta_name(m_table));
}

bool Ledger::exists(bool allow_vanished) {
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query("select to_regclass($1) is not null, to_regclass($2) is not null", {m_qualified, m_qualified_meta});
  });
  bool table = r[0].boolean(0), meta = r[0].boolean(1);
  if (!table && meta && !allow_vanished)
    throw core::Failure(fmt::format("the ledger table {} is gone but its meta table {} is still there: the ledger was "
                                    "dropped by hand, and without it every migration would run again",
                                    display_name(), meta_name(m_table)),
                        "restore the ledger table from a backup, or adopt the database as it is with `autocrm-migrate "
                        "baseline VERSION` (which recreates the ledger and records the migrations up to VERSION)");
  if (table && !meta)
    throw core::Failure(fmt::format("{} exists but has no {} table: it is not an autocrm-migrate ledger",
                                    display_name(), meta_name(m_table)),
                        "choose another ledger_schema/ledger_table, or rename the existing table");
  if (table && !m_checked) check_format();
  return table;
}

void Ledger::check_format() {
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query("select max(format_version), max(oldest_reader) from " + m_qualified_meta);
  });
  int oldest_reader = r[0].is_null(1) ? 1 : static_cast<int>(r[0].integer(1));
  int format = r[0].is_null(0) ? 1 : static_cast<int>(r[0].integer(0));
  m_format = format;
  if (oldest_reader > k_ledger_format)
    throw core::Failure(fmt::format("the ledger {} has format {}, written by a newer autocrm-migrate (this one reads "
                                    "format {})",
                                    display_name(), format, k_ledger_format),
                        "upgrade autocrm-migrate");
  m_checked = true;
}

void Ledger::ensure(bool recreate) {
  if (exists(recreate)) {
    add_meta_primary_key();
    if (m_format < k_ledger_format) upgrade();
    seal_from_api_roles();
    return;
  }
  write({{"create schema if not exists " + core::quote_identifier(m_schema), {}},
         {"create table if not exists " + m_qualified + k_table_columns, {}},
         {"create table if not exists " + m_qualified_meta +
              " (format_version integer primary key, oldest_reader integer not null, created_at timestamptz not null "
              "default now())",
          {}},
         {"insert into " + m_qualified_meta + " (format_version, oldest_reader) values ($1, $2) on conflict do nothing",
          {std::to_string(k_ledger_format), "1"}},
         {"comment on table " + m_qualified + " is 'autocrm-migrate ledger: one row per applied migration'", {}}});
  add_meta_primary_key();
  seal_from_api_roles();
  m_checked = true;
  m_format = k_ledger_format;
}

void Ledger::seal_from_api_roles() {
  auto r = with_context("reading the privileges of the ledger " + display_name(), [&] {
    return m_q.query(
        "select coalesce(string_agg(g.who, ',' order by g.who), '') from ("
        " select distinct case a.grantee when 0 then 'public' else pg_catalog.quote_ident(r.rolname) end as who"
        "   from pg_catalog.pg_class c cross join lateral pg_catalog.aclexplode(c.relacl) a"
        "   left join pg_catalog.pg_roles r on r.oid = a.grantee"
        "  where c.oid in ($1::regclass, $2::regclass)"
        "    and (a.grantee = 0 or r.rolname = any ($3::text[]))) g",
        {m_qualified, m_qualified_meta, "{anon,authenticated,service_role}"});
  });
  const std::string holders = r[0].text(0);
  if (holders.empty()) return;
  write("revoke all on table " + m_qualified + ", " + m_qualified_meta + " from " + holders, {});
}

void Ledger::upgrade() {
  // Format 2 (2026-12): the up SQL as applied, for replaying a database's history (drift, trace).
  // Readers of format 1 read a format 2 ledger unchanged: oldest_reader stays 1.
  write({{"alter table " + m_qualified + " add column if not exists up_sql text", {}},
         {"alter table " + m_qualified + " add column if not exists up_line integer not null default 0", {}},
         {"insert into " + m_qualified_meta + " (format_version, oldest_reader) values ($1, 1) on conflict do nothing",
          {std::to_string(k_ledger_format)}}});
}

void Ledger::add_meta_primary_key() {
  // Meta tables of earlier releases have no primary key: one row per format version, from now on.
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query("select exists (select 1 from pg_catalog.pg_index where indrelid = $1::regclass and indisprimary)",
                     {m_qualified_meta});
  });
  if (!r[0].boolean(0)) write("alter table " + m_qualified_meta + " add primary key (format_version)", {});
}

std::vector<core::LedgerRow> Ledger::rows(bool allow_vanished) {
  std::vector<core::LedgerRow> out;
  if (!exists(allow_vanished)) return out;
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query(fmt::format("select {} from {} order by version", k_row_columns, m_qualified));
  });
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(row_of(row));
  return out;
}

std::vector<core::LedgerRow> Ledger::rows_with_down(const std::vector<std::string>& versions) {
  std::vector<core::LedgerRow> out;
  if (versions.empty()) return out;
  // One text[] parameter; versions are digits, so the array literal needs no escaping.
  std::string array = "{";
  for (std::size_t i = 0; i < versions.size(); ++i) array += (i ? "," : "") + versions[i];
  array += "}";
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query(fmt::format("select {}, coalesce(down_sql, '') from {} where version = any($1::text[])",
                                 k_row_columns, m_qualified),
                     {array});
  });
  std::map<std::string, core::LedgerRow> by_version;
  for (const auto& x : r) {
    auto row = row_of(x);
    row.down_sql = x.text(12);
    by_version.emplace(row.version, std::move(row));
  }
  out.reserve(versions.size());
  for (const auto& v : versions) {
    auto it = by_version.find(v);
    if (it == by_version.end()) throw core::Failure(fmt::format("version {} is not in the ledger", v));
    out.push_back(std::move(it->second));
  }
  return out;
}

namespace {

std::optional<std::string> recorded_up_sql(const core::Migration& m) {
  if (m.up.body.size() > k_max_recorded_up_sql) return std::nullopt;
  return std::string(m.up.body);
}

}  // namespace

std::vector<RecordedUp> Ledger::recorded_ups() {
  std::vector<RecordedUp> out;
  if (!exists()) return out;
  // A format 1 ledger has no up SQL: every row says so (up_sql NULL), replay takes the files.
  std::string up = m_format >= 2 ? "up_sql, up_line" : "null::text, 0";
  auto r = with_context("reading the ledger " + display_name(), [&] {
    return m_q.query(fmt::format("select version, name, checksum, state, up_transaction, {} from {} order by version",
                                 up, m_qualified));
  });
  for (const auto& row : r)
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.boolean(4),
                   row.is_null(5) ? std::nullopt : std::optional<std::string>(row.text(5)),
                   static_cast<int>(row.integer(6))});
  return out;
}

LedgerWrite Ledger::insert_row(const core::Migration& m, const std::string& applied_from, const char* state,
                               const char* extra_column, const std::string& extra_value) const {
  // An up-only file (no down section) is recorded like an irreversible one: `down` refuses it.
  const bool no_down = m.down.irreversible || !m.down.present;
  return LedgerWrite{
      fmt::format("insert into {} (version, name, checksum, state, up_transaction, down_sql, down_transaction, "
                  "down_line, irreversible, applied_by, up_sql, up_line, {}) values ($1, $2, $3, '{}', $4, $5, $6, $7, "
                  "$8, current_user || ' (' || $9 || ')', $10, $11, {})",
                  m_qualified, extra_column, state, extra_value),
      {m.version, m.name, m.checksum, m.up.transaction ? "true" : "false",
       no_down ? std::nullopt : std::optional<std::string>(m.down.body),
       m.down.transaction ? "true" : "false", std::to_string(m.down.body_line), no_down ? "true" : "false",
       applied_from, recorded_up_sql(m), std::to_string(m.up.body_line)}};
}

void Ledger::write(const std::vector<std::pair<std::string, Params>>& writes, bool check_lock) {
  std::string doing = "writing the ledger " + display_name();
  if (!m_writer) {
    with_context(doing, [&] {
      Transaction tx(m_q);
      for (const auto& [sql, params] : writes) m_q.query(sql, params);
      tx.commit();
    });
    return;
  }
  std::vector<PipelineQuery> queries;
  for (const auto& [sql, params] : writes) queries.push_back({sql, params, QueryRole::bookkeeping});
  auto failure = m_writer->tool_write(std::move(queries), check_lock);
  if (!failure) return;
  if (failure->role == QueryRole::lock_check) throw LockLost(doing);
  throw DatabaseError(failure->diag, doing);
}

LedgerWrite Ledger::record_applied(const core::Migration& m, const std::string& applied_from,
                                   const core::StatementList* statements) const {
  // The execution time is the server's, from the transaction's start to this insert.
  auto ours = insert_row(m, applied_from, "applied", "execution_ms",
                         "(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::bigint");
  if (!m_supabase) return ours;
  return with_supabase_row(std::move(ours), m, statements ? *statements : core::StatementList{});
}

LedgerWrite Ledger::record_reverted(const std::string& version) const {
  if (m_supabase)
    return LedgerWrite{fmt::format("with ours as (delete from {} where version = $1) delete from {} where version = $1",
                                   m_qualified, k_supabase_ledger),
                       {version}};
  return LedgerWrite{"delete from " + m_qualified + " where version = $1", {version}};
}

void Ledger::mark_started(const core::Migration& m, const std::string& applied_from, const std::string& direction) {
  std::string error = fmt::format("{} section started outside a transaction and did not finish", direction);
  if (direction == "up") {
    auto insert = insert_row(m, applied_from, "failed", "error", "$12");
    insert.params.push_back(error);
    write(insert.sql, insert.params);
  } else {
    write("update " + m_qualified + " set state = 'failed', error = $2 where version = $1", {m.version, error});
  }
}

void Ledger::mark_error(const std::string& version, const std::string& error, bool check_lock) {
  write("update " + m_qualified + " set state = 'failed', error = $2 where version = $1", {version, error}, check_lock);
}

void Ledger::mark_applied(const std::string& version, long long execution_ms) {
  write("update " + m_qualified +
            " set state = 'applied', error = null, execution_ms = $2, applied_at = now() where version = $1",
        {version, std::to_string(execution_ms)});
}

void Ledger::remove(const std::string& version) {
  auto w = record_reverted(version);
  write(w.sql, w.params);
}

std::string text_array_literal(const std::vector<std::optional<std::string>>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    if (!items[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}


void Ledger::record_baseline(const std::vector<const core::Migration*>& migrations, const std::string& applied_from,
                             const std::vector<std::optional<std::string>>& applied_at) {
  // One statement for every row (all or none), its columns as arrays: the same values insert_row
  // writes for one migration, in the same order.
  std::vector<std::vector<std::optional<std::string>>> columns(11);
  for (const auto* m : migrations) {
    LedgerWrite row = insert_row(*m, applied_from, "applied", "baseline", "true");
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(row.params[c]);
  }
  Params arrays;
  for (std::size_t c = 0; c < columns.size(); ++c)
    arrays.push_back(c == 8 ? std::optional<std::string>(applied_from) : text_array_literal(columns[c]));
  std::vector<std::optional<std::string>> times(migrations.size());
  for (std::size_t i = 0; i < times.size() && i < applied_at.size(); ++i) times[i] = applied_at[i];
  arrays.push_back(text_array_literal(times));
  write(fmt::format("insert into {} (version, name, checksum, state, up_transaction, down_sql, down_transaction, "
                    "down_line, irreversible, applied_by, up_sql, up_line, baseline, applied_at) "
                    "select v, n, c, 'applied', u, d, dt, dl, i, current_user || ' (' || $9 || ')', us, ul, true, "
                    "coalesce(t, pg_catalog.now()) "
                    "from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::boolean[], "
                    "$7::integer[], $8::boolean[], $10::text[], $11::integer[], $12::timestamptz[]) "
                    "as r(v, n, c, u, d, dt, dl, i, us, ul, t)",
                    m_qualified),
        arrays);
}

}  // namespace db
