#include "db/ledger.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <map>

#include <algorithm>

#include "core/error.hpp"

namespace db {

namespace {

// The meta table's name: the ledger table's cut to 58 bytes, plus "_meta" (63 bytes at most). The
// cut never splits a UTF-8 character: half a character is invalid text the server refuses.
std::string meta_name(const std::string& table) {
  std::size_t n = std::min<std::size_t>(table.size(), 58);
  while (n > 0 && n < table.size() && (static_cast<unsigned char>(table[n]) & 0xC0) == 0x80) --n;
  return table.substr(0, n) + "_meta";
}

core::LedgerRow row_of(const pqxx::row& r) {
  core::LedgerRow row;
  row.version = r[0].as<std::string>();
  row.name = r[1].as<std::string>();
  row.checksum = r[2].as<std::string>();
  row.state = r[3].as<std::string>();
  row.irreversible = r[4].as<bool>();
  row.down_transaction = r[5].as<bool>();
  row.down_line = r[6].as<int>();
  row.applied_at = r[7].as<std::string>();
  row.applied_by = r[8].as<std::string>();
  row.execution_ms = r[9].as<long long>();
  row.error = r[10].is_null() ? std::string() : r[10].as<std::string>();
  return row;
}

constexpr const char* k_row_columns =
    "version, name, checksum, state, irreversible, down_transaction, down_line, "
    "to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by, execution_ms, error";

}  // namespace

Ledger::Ledger(Connection& conn, std::string schema, std::string table)
    : m_conn(conn), m_schema(std::move(schema)), m_table(std::move(table)) {
  m_qualified = m_conn.quote_name(m_schema) + "." + m_conn.quote_name(m_table);
  m_qualified_meta = m_conn.quote_name(m_schema) + "." + m_conn.quote_name(meta_name(m_table));
}

bool Ledger::exists() {
  bool table = false, meta = false;
  {
    pqxx::nontransaction tx(m_conn.pqxx());
    auto r = tx.exec_params("select to_regclass($1) is not null, to_regclass($2) is not null", m_qualified,
                            m_qualified_meta);
    table = r[0][0].as<bool>();
    meta = r[0][1].as<bool>();
  }
  if (table && !meta)
    throw core::Failure(fmt::format("{} exists but has no {} table: it is not an autocrm-migrate ledger",
                                    display_name(), meta_name(m_table)),
                        "choose another ledger_schema/ledger_table, or rename the existing table");
  if (table && !m_checked) check_format();
  return table;
}

void Ledger::check_format() {
  pqxx::nontransaction tx(m_conn.pqxx());
  auto r = tx.exec("select max(format_version), max(oldest_reader) from " + m_qualified_meta);
  int oldest_reader = r[0][1].is_null() ? 1 : r[0][1].as<int>();
  int format = r[0][0].is_null() ? 1 : r[0][0].as<int>();
  if (oldest_reader > k_ledger_format)
    throw core::Failure(fmt::format("the ledger {} has format {}, written by a newer autocrm-migrate (this one reads "
                                    "format {})",
                                    display_name(), format, k_ledger_format),
                        "upgrade autocrm-migrate");
  m_checked = true;
}

void Ledger::ensure() {
  if (exists()) return;
  pqxx::work tx(m_conn.pqxx());
  tx.exec("create schema if not exists " + m_conn.quote_name(m_schema));
  tx.exec("create table if not exists " + m_qualified + R"( (
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
  error text
))");
  tx.exec("create table if not exists " + m_qualified_meta +
          " (format_version integer not null, oldest_reader integer not null, created_at timestamptz not null "
          "default now())");
  tx.exec_params("insert into " + m_qualified_meta + " (format_version, oldest_reader) values ($1, $2)",
                 k_ledger_format, 1);
  tx.exec("comment on table " + m_qualified + " is 'autocrm-migrate ledger: one row per applied migration'");
  tx.commit();
  m_checked = true;
}

std::vector<core::LedgerRow> Ledger::rows() {
  std::vector<core::LedgerRow> out;
  if (!exists()) return out;
  pqxx::nontransaction tx(m_conn.pqxx());
  auto r = tx.exec(fmt::format("select {} from {} order by version", k_row_columns, m_qualified));
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(row_of(row));
  return out;
}

std::vector<core::LedgerRow> Ledger::rows_with_down(const std::vector<std::string>& versions) {
  std::vector<core::LedgerRow> out;
  if (versions.empty()) return out;
  // One text[] parameter; versions are 14 digits, so the array literal needs no escaping.
  std::string array = "{";
  for (std::size_t i = 0; i < versions.size(); ++i) array += (i ? "," : "") + versions[i];
  array += "}";
  pqxx::nontransaction tx(m_conn.pqxx());
  auto r = tx.exec_params(fmt::format("select {}, coalesce(down_sql, '') from {} where version = any($1::text[])",
                                      k_row_columns, m_qualified),
                          array);
  std::map<std::string, core::LedgerRow> by_version;
  for (const auto& x : r) {
    auto row = row_of(x);
    row.down_sql = x[11].as<std::string>();
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

PipelineQuery Ledger::insert_row(const core::Migration& m, const std::string& applied_from, const char* state,
                                 const char* extra_column, const std::string& extra_value) {
  return PipelineQuery{
      fmt::format("insert into {} (version, name, checksum, state, up_transaction, down_sql, down_transaction, "
                  "down_line, irreversible, applied_by, {}) values ($1, $2, $3, '{}', $4, $5, $6, $7, $8, "
                  "current_user || ' (' || $9 || ')', {})",
                  m_qualified, extra_column, state, extra_value),
      {m.version, m.name, m.checksum, m.up.transaction ? "true" : "false",
       m.down.irreversible ? std::nullopt : std::optional<std::string>(m.down.body),
       m.down.transaction ? "true" : "false", std::to_string(m.down.body_line), m.down.irreversible ? "true" : "false",
       applied_from}};
}

void Ledger::execute(const std::vector<PipelineQuery>& queries) {
  auto error = run_pipeline(m_conn.raw(), queries);
  if (!error) return;
  if (PQtransactionStatus(m_conn.raw()) != PQTRANS_IDLE) run_single(m_conn.raw(), "rollback");
  throw core::Failure(fmt::format("writing the ledger {} failed: {} {}", display_name(), error->diag.sqlstate,
                                    error->diag.message));
}

PipelineQuery Ledger::record_applied(const core::Migration& m, const std::string& applied_from) {
  // The execution time is the server's, from the transaction's start to this insert.
  return insert_row(m, applied_from, "applied", "execution_ms",
                    "(extract(epoch from clock_timestamp() - now()) * 1000)::bigint");
}

PipelineQuery Ledger::record_reverted(const std::string& version) {
  return PipelineQuery{"delete from " + m_qualified + " where version = $1", {version}};
}

void Ledger::mark_started(const core::Migration& m, const std::string& applied_from, const std::string& direction) {
  std::string error = fmt::format("{} section started outside a transaction and did not finish", direction);
  if (direction == "up") {
    auto insert = insert_row(m, applied_from, "failed", "error", "$10");
    insert.params.push_back(error);
    execute({insert});
  } else {
    pqxx::nontransaction tx(m_conn.pqxx());
    tx.exec_params("update " + m_qualified + " set state = 'failed', error = $2 where version = $1", m.version, error);
  }
}

void Ledger::mark_error(const std::string& version, const std::string& error) {
  pqxx::nontransaction tx(m_conn.pqxx());
  tx.exec_params("update " + m_qualified + " set state = 'failed', error = $2 where version = $1", version, error);
}

void Ledger::mark_applied(const std::string& version, long long execution_ms) {
  pqxx::nontransaction tx(m_conn.pqxx());
  tx.exec_params("update " + m_qualified +
                     " set state = 'applied', error = null, execution_ms = $2, applied_at = now() where version = $1",
                 version, execution_ms);
}

void Ledger::remove(const std::string& version) {
  pqxx::nontransaction tx(m_conn.pqxx());
  tx.exec_params("delete from " + m_qualified + " where version = $1", version);
}

void Ledger::record_baseline(const std::vector<const core::Migration*>& migrations, const std::string& applied_from) {
  // One transaction, one round trip: every row or none.
  std::vector<PipelineQuery> queries{{"begin", {}}};
  for (const auto* m : migrations) queries.push_back(insert_row(*m, applied_from, "applied", "baseline", "true"));
  queries.push_back({"commit", {}});
  execute(queries);
}

}  // namespace db
