// A section outside a transaction (transaction:false): statement by statement, the ledger row
// saying which one runs, and what the section left behind checked at the end.
#include <fmt/format.h>

#include <algorithm>

#include "core/sql_classify.hpp"
#include "db/errors.hpp"
#include "runner/apply_internal.hpp"
#include "runner/interrupt.hpp"
#include "runner/leftovers.hpp"
#include "runner/lock_watch.hpp"

namespace runner {

namespace {

struct OutsideRun {
  WriteSession& s;
  const std::string& version;
  const core::StatementList& statements;
  const std::string& file;
  const std::string& what;

  std::string where(std::size_t i) const {
    return fmt::format("statement {} of {} at {}:{}", i + 1, statements.size(), file, statements[i].line);
  }

  // Records the error of the row and stops the run with message (done: statements that took effect).
  [[noreturn]] void stop(std::size_t done, const std::string& message, const std::string& hint) {
    s.ledger().mark_error(version, fmt::format("{}; {}", message, took_effect(done)), false);
    throw core::Failure(fmt::format("{} while {}; {}; it is recorded failed", message, what, took_effect(done)), hint);
  }

  void interrupted_at(std::size_t i, bool cancelled) {
    if (!interrupted_by()) return;
    std::string message = cancelled ? where(i) + " was cancelled by the interrupt" : "interrupted before " + where(i);
    s.ledger().mark_error(version, fmt::format("{}; {}", message, took_effect(i)), false);
    throw_if_interrupted(fmt::format("while {}: {}; {}; it is recorded failed and blocks `up` until `repair`", what,
                                     message, took_effect(i)));
  }

  void run_statement(std::size_t i, LockWatch& watch) {
    const auto& st = statements[i];
    watch.reset();
    interrupted_at(i, false);
    try {
      s.ledger().mark_error(version, fmt::format("{} was started outside a transaction and did not finish (the run was "
                                                 "interrupted); {}",
                                                 where(i), took_effect(i)));
    } catch (const db::LockLost&) {
      stop(i, fmt::format("the migration lock was released before {}", where(i)),
           "remove the statement that releases the session's advisory locks; inspect the database, then `repair`");
    }
    auto diag = s.db().run_single(st.sql, watch.watch());
    if (!diag) return;
    if (diag->sqlstate == k_query_canceled) interrupted_at(i, true);
    core::StatementOrigin origin = origin_of(file, st.line, st.sql, what);
    if (diag->sqlstate == k_lock_timeout) origin.blocked_by = watch.blocked_by();
    std::string left_behind = find_leftovers(s.db()).advice();
    origin.advice = left_behind;
    core::SqlFailure failure(*diag, origin);
    s.ledger().mark_error(version, fmt::format("statement {} of {} failed at {}:{}: {} {}; {}{}", i + 1,
                                               statements.size(), file, failure.error_line(), diag->sqlstate,
                                               diag->message, took_effect(i),
                                               left_behind.empty() ? "" : "; left behind: " + left_behind),
                          false);
    throw failure;
  }

  // An index the section left INVALID, or skipped with IF NOT EXISTS while it was INVALID.
  void check_invalid_indexes(const Leftovers& before) {
    std::vector<std::string> created;
    for (const auto& st : statements)
      for (auto& name : core::classify_statement(st.sql).indexes_created) created.push_back(name);
    Leftovers after = find_leftovers(s.db());
    std::vector<db::InvalidIndex> bad;
    for (const auto& i : after.indexes) {
      bool old = std::any_of(before.indexes.begin(), before.indexes.end(),
                             [&](const db::InvalidIndex& b) { return b.name == i.name; });
      bool named = std::any_of(created.begin(), created.end(),
                               [&](const std::string& c) { return i.name == c || i.name.ends_with("." + c); });
      if (!old || named) bad.push_back(i);
    }
    if (bad.empty()) return;
    stop(statements.size(),
         fmt::format("the section left {} INVALID ({}): an index that is never used and slows every write",
                     bad.size() == 1 ? "an index" : "indexes", db::invalid_index_advice(bad)),
         "drop the invalid index (drop index concurrently ...), then `autocrm-migrate repair VERSION --rolled-back` "
         "and `up` again");
  }
};

}  // namespace

void run_outside_transaction(WriteSession& s, const std::string& version, const core::StatementList& statements,
                             const Timeouts& t, const std::string& file, const std::string& what) {
  std::string sql = "select pg_catalog.set_config('lock_timeout', $1, false), "
                    "pg_catalog.set_config('statement_timeout', $2, false)";
  if (auto err = s.db().pipeline({{sql, {t.lock_timeout, t.statement_timeout}}}))
    throw core::SqlFailure(err->diag, origin_of(file, 0, {}, what + " (setting lock_timeout/statement_timeout)"));
  Leftovers before = find_leftovers(s.db());
  OutsideRun run{s, version, statements, file, what};
  LockWatch watch(s, t.lock_timeout_ms);
  for (std::size_t i = 0; i < statements.size(); ++i) run.run_statement(i, watch);
  if (s.db().in_transaction()) {
    s.db().rollback_if_open();
    run.stop(statements.size(), "the section left a transaction open (a BEGIN without COMMIT): it was rolled back",
             "end every transaction the section begins; inspect the database, then `repair`");
  }
  s.db().restore_session();
  run.check_invalid_indexes(before);
}

}  // namespace runner
