// A section in one transaction: statements, session reset, lock check and ledger row in one round
// trip, COMMIT in a second one.
#include <fmt/format.h>

#include "db/errors.hpp"
#include "runner/apply_internal.hpp"
#include "runner/interrupt.hpp"
#include "runner/lock_watch.hpp"

namespace runner {

namespace {

constexpr std::string_view k_local_timeouts =
    "select pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('statement_timeout', $2, true)";

// The origin of a pipeline failure: the statement, or the part of the transaction around it.
core::StatementOrigin origin_of_failure(const db::PipelineFailure& failure, const core::StatementList& statements,
                                        const std::string& file, const std::string& what) {
  core::StatementOrigin origin = origin_of(file, 0, {}, what);
  switch (failure.role) {
    case db::QueryRole::statement:
      origin.line = statements[failure.statement].line;
      origin.sql = std::string(statements[failure.statement].sql);
      break;
    case db::QueryRole::commit: origin.what += " (at commit: a deferred constraint or trigger failed)"; break;
    case db::QueryRole::bookkeeping: origin.what += " (recording it in the ledger)"; break;
    case db::QueryRole::setup: origin.what += " (setting lock_timeout/statement_timeout)"; break;
    case db::QueryRole::reset: origin.what += " (restoring the tool's session settings)"; break;
    case db::QueryRole::lock_check: origin.what += " (checking the migration lock)"; break;
  }
  return origin;
}

[[noreturn]] void throw_failure(const db::PipelineFailure& failure, const core::StatementList& statements,
                                const LockWatch& watch, const std::string& file, const std::string& what) {
  if (failure.role == db::QueryRole::lock_check) throw db::LockLost(what + " (it was rolled back)");
  if (failure.diag.sqlstate == k_query_canceled)
    throw_if_interrupted(fmt::format("while {}: its statement was cancelled and its transaction rolled back; nothing "
                                     "of it was applied, and the migration lock was released",
                                     what));
  core::StatementOrigin origin = origin_of_failure(failure, statements, file, what);
  if (failure.diag.sqlstate == k_lock_timeout) origin.blocked_by = watch.blocked_by();
  throw core::SqlFailure(failure.diag, origin);
}

// Runs one pipeline; a lost connection is said with the migration it happened to.
std::optional<db::PipelineFailure> send(WriteSession& s, const db::PipelineBatch& batch, const LockWatch& watch,
                                        const std::string& what, bool at_commit) {
  try {
    return s.db().pipeline(batch, watch.watch());
  } catch (const db::ConnectionLost& e) {
    throw core::Failure(
        fmt::format("{} while {}", e.what(), what),
        at_commit ? "the connection broke during COMMIT: run `autocrm-migrate status` once the server is back; the "
                    "ledger row, committed with the migration or not at all, says which"
                  : "a migration that was running in a transaction was rolled back with its ledger row by the server: "
                    "the next `autocrm-migrate up` applies it again");
  }
}

}  // namespace

void run_in_transaction(WriteSession& s, const core::StatementList& statements, const db::LedgerWrite& bookkeeping,
                        const Timeouts& t, const std::string& file, const std::string& what) {
  db::PipelineBatch batch;
  std::string_view begin = statements.wrapper_begin.empty() ? std::string_view("begin") : statements.wrapper_begin;
  batch.before = {{begin, {}}, {k_local_timeouts, {t.lock_timeout, t.statement_timeout}}};
  batch.statements = &statements.items;
  // Whatever the statements did to the session, the ledger row and the commit run with the tool's
  // settings, and only while this session still holds the migration lock.
  batch.after = s.db().restore_queries(true);
  batch.after.push_back(s.db().lock_check_query());
  batch.after.push_back(bookkeeping.query());
  LockWatch watch(s, t.lock_timeout_ms);
  auto failure = send(s, batch, watch, what, false);
  if (failure) {
    s.db().rollback_if_open();
    throw_failure(*failure, statements, watch, file, what);
  }
  // COMMIT goes on its own, once every result is back: a tool killed before this point never
  // commits, whatever the migration did to the session.
  if (interrupted_by()) {
    s.db().rollback_if_open();
    throw_if_interrupted(fmt::format("while {}: its transaction was rolled back before COMMIT; nothing of it was "
                                     "applied, and the migration lock was released",
                                     what));
  }
  db::PipelineBatch commit;
  commit.before = {{"commit", {}, db::QueryRole::commit}};
  if (auto c = send(s, commit, watch, what, true)) {
    s.db().rollback_if_open();
    throw_failure(*c, statements, watch, file, what);
  }
}

core::StatementOrigin origin_of(const std::string& file, int line, std::string_view sql, const std::string& what) {
  core::StatementOrigin o;
  o.file = file;
  o.line = line;
  o.sql = std::string(sql);
  o.what = what;
  return o;
}

std::string took_effect(std::size_t done) {
  if (done == 0) return "no statement before it took effect";
  if (done == 1) return "statement 1 took effect";
  return fmt::format("statements 1 to {} took effect", done);
}

}  // namespace runner
