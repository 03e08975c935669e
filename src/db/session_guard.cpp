// MigrationSession's session hygiene: restoring the tool's session, proving the lock is held, and
// the tool's own writes under the tool's settings whatever a migration left in the session.
#include <fmt/format.h>

#include "db/errors.hpp"
#include "db/migration_session.hpp"

namespace db {

namespace {

// pg_locks shows a bigint advisory key as classid (high half) and objid (low half), objsubid 1.
constexpr std::string_view k_lock_check =
    "select 1 / count(*) from pg_catalog.pg_locks where locktype = 'advisory' and granted"
    " and pid = pg_catalog.pg_backend_pid() and classid::bigint = $1 and objid::bigint = $2 and objsubid = 1";

// The kill check for the session (PostgreSQL 14+), and the timeouts within the current transaction.
constexpr std::string_view k_kill_check =
    "select pg_catalog.set_config('client_connection_check_interval', '1000', false),"
    " pg_catalog.set_config('tcp_keepalives_idle', '10', false), pg_catalog.set_config('tcp_keepalives_interval', '5', "
    "false), pg_catalog.set_config('tcp_keepalives_count', '3', false)";
constexpr std::string_view k_local_timeouts =
    "select pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('statement_timeout', $2, true)";

}  // namespace

std::vector<PipelineQuery> MigrationSession::restore_queries(bool within_transaction) const {
  std::vector<PipelineQuery> out{{"reset role", {}, QueryRole::reset},
                                 {"set session authorization default", {}, QueryRole::reset},
                                 {"reset all", {}, QueryRole::reset}};
  if (server_version() >= 140000) out.push_back({k_kill_check, {}, QueryRole::reset});
  if (within_transaction)
    out.push_back({k_local_timeouts, {m_settings.lock_timeout, m_settings.statement_timeout}, QueryRole::reset});
  return out;
}

PipelineQuery MigrationSession::lock_check_query() const {
  auto key = static_cast<std::uint64_t>(m_lock_key.value_or(0));
  return {k_lock_check, {std::to_string(key >> 32), std::to_string(key & 0xffffffffULL)}, QueryRole::lock_check};
}

std::optional<PipelineFailure> MigrationSession::tool_write(std::vector<PipelineQuery> writes, bool check_lock) {
  PipelineBatch batch;
  batch.before = {{"begin read write", {}, QueryRole::setup},
                  {"set local session authorization default", {}, QueryRole::setup},
                  {"set local role none", {}, QueryRole::setup},
                  {"select pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('statement_timeout', "
                   "$2, true), pg_catalog.set_config('search_path', 'pg_catalog', true)",
                   {m_settings.lock_timeout, m_settings.statement_timeout},
                   QueryRole::setup}};
  if (check_lock && m_lock_key) batch.before.push_back(lock_check_query());
  batch.after = std::move(writes);
  batch.after.push_back({"commit", {}, QueryRole::commit});
  auto failure = pipeline(batch);
  if (failure) rollback_if_open();
  return failure;
}

void MigrationSession::restore_session() {
  PipelineBatch batch;
  batch.before = restore_queries(false);
  if (auto failure = pipeline(batch)) {
    rollback_if_open();
    throw DatabaseError(failure->diag, "restoring the tool's session settings");
  }
}

}  // namespace db
