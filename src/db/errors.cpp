#include "db/errors.hpp"

#include <fmt/format.h>

#include "core/secrets.hpp"
#include "core/text.hpp"
#include "db/queryable.hpp"

namespace db {

namespace {

std::string message_of(const core::PgDiagnostics& d, const std::string& doing) {
  std::string text = core::redact(d.message);
  std::string state = d.sqlstate.empty() ? "" : fmt::format(" ({})", d.sqlstate);
  std::string out = doing.empty() ? text + state : fmt::format("{}: {}{}", doing, text, state);
  if (!d.detail.empty()) out += "\n  DETAIL: " + core::redact(d.detail);
  return out;
}

}  // namespace

DatabaseError::DatabaseError(core::PgDiagnostics diag, const std::string& doing)
    : core::Failure(message_of(diag, doing), diag.hint), m_diag(std::move(diag)) {}

core::Json DatabaseError::details() const {
  core::Json j = core::Json::object();
  j.set("sqlstate", m_diag.sqlstate).set("message", core::redact(m_diag.message));
  j.set("detail", m_diag.detail.empty() ? core::Json() : core::Json(core::redact(m_diag.detail)));
  j.set("hint", m_diag.hint.empty() ? core::Json() : core::Json(m_diag.hint));
  return j;
}

ConnectionLost::ConnectionLost(const std::string& detail)
    : core::Failure(fmt::format("lost the connection to the server: {}", core::trim(detail)),
                    "the server stopped or the network failed; run `autocrm-migrate status` once it is back: a "
                    "migration that was running in a transaction was rolled back with its ledger row; one running "
                    "outside a transaction is marked failed, naming the statement it stopped at") {}

LockLost::LockLost(const std::string& what)
    : core::Failure(fmt::format("the migration lock was released while {}: a statement of the migration released the "
                                "session's advisory locks (pg_advisory_unlock_all(), DISCARD ALL or "
                                "pg_advisory_unlock(key)); the run stopped, and another run may have started meanwhile",
                                what),
                    "remove the statement that releases the lock, then run `autocrm-migrate status` to see what is "
                    "applied") {}

Transaction::~Transaction() {
  if (m_done) return;
  try {
    m_q.query("rollback");
  } catch (const core::Error&) {
    // The session broke or the server refused: the open transaction ends with it either way.
  }
}

}  // namespace db
