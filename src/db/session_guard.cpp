// MigrationSession's session hygiene: restoring the tool's session, proving the lock is held, and
// the tool's own writes under the tool's settings whatever a migration left in the session.
#include <fmt/format.h>

#include "db/errors.hpp"
#include "db/migration_session.hpp"

namespace db {

namespace {

// Proves the session still holds its advisory lock. pg_locks shows a bigint key as classid (high
// half) and objid (low half), objsubid 1. (Releasing and taking the lock back would be cheaper, but
// a run polling for it could slip in between and stop a run that did nothing wrong.)
constexpr std::string_view k_lock_check =
    "select 1 / count(*) from pg_catalog.pg_locks where locktype = 'advisory' and granted"
    " and pid = pg_catalog.pg_backend_pid() and classid::bigint = $1 and objid::bigint = $2 and objsubid = 1";

// The kill checks of the session: TCP keepalives, and (PostgreSQL 14+) the client connection check.
#define AUTOCRM_KEEPALIVES                                                                               \
  "pg_catalog.set_config('tcp_keepalives_idle', '10', false), pg_catalog.set_config('tcp_keepalives_interval', " \
  "'5', false), pg_catalog.set_config('tcp_keepalives_count', '3', false)"
#define AUTOCRM_CONNECTION_CHECK "pg_catalog.set_config('client_connection_check_interval', '1000', false), "
#define AUTOCRM_LOCAL_TIMEOUTS \
  ", pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('statement_timeout', $2, true)"
// One query for all of them; with the tool's timeouts for the rest of the transaction, or without.
constexpr std::string_view k_settings[2][2] = {
    {"select " AUTOCRM_KEEPALIVES, "select " AUTOCRM_KEEPALIVES AUTOCRM_LOCAL_TIMEOUTS},
    {"select " AUTOCRM_CONNECTION_CHECK AUTOCRM_KEEPALIVES,
     "select " AUTOCRM_CONNECTION_CHECK AUTOCRM_KEEPALIVES AUTOCRM_LOCAL_TIMEOUTS}};

}  // namespace

std::vector<PipelineQuery> MigrationSession::restore_queries(bool within_transaction) const {
  // SET SESSION AUTHORIZATION DEFAULT puts back the login as session and current user; RESET ALL
  // every setting, the role included, as it was when the session started.
  std::vector<PipelineQuery> out{{"set session authorization default", {}, QueryRole::reset},
                                 {"reset all", {}, QueryRole::reset}};
  std::string_view settings = k_settings[server_version() >= 140000 ? 1 : 0][within_transaction ? 1 : 0];
  Params params;
  if (within_transaction) params = {m_settings.lock_timeout, m_settings.statement_timeout};
  out.push_back({settings, std::move(params), QueryRole::reset});
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
