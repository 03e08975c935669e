#include "runner/apply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/sql_error.hpp"
#include "db/diagnose.hpp"
#include "runner/leftovers.hpp"

namespace runner {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsed_ms(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

constexpr const char* k_lock_timeout = "55P03";

// While a statement runs, looks from a second session at what it waits for, so that a lock
// timeout can name the lock and the session that held it (and a long wait is reported as it happens).
class LockWatch {
public:
  LockWatch(WriteSession& s, const Timeouts& t) : m_session(s) {
    auto timeout = t.lock_timeout_ms;
    // Several looks fit in lock_timeout; a statement that is quick is never looked at.
    m_watch.period_ms = timeout > 0 ? std::clamp<std::int64_t>(timeout / 4, 50, 1000) : 1000;
    m_watch.on_wait = [this] { look(); };
  }
  const db::WaitWatch* watch() const { return &m_watch; }
  // Forgets what was seen (a new statement starts).
  void reset() { m_last.clear(); }
  // The last lock wait seen, or a sentence saying none was.
  std::string blocked_by() const {
    return m_last.empty() ? "a lock (the session holding it was not seen: it may have let go just before)" : m_last;
  }

private:
  WriteSession& m_session;
  db::WaitWatch m_watch;
  std::string m_last, m_reported;

  void look() {
    try {
      db::Client* watcher = m_session.watcher();
      if (!watcher) return;
      auto seen = db::describe_lock_wait(*watcher, m_session.db().backend_pid());
      if (seen.empty()) return;
      m_last = seen;
      if (seen != m_reported) m_session.reporter().progress("  waiting for " + seen);
      m_reported = seen;
    } catch (const core::Error&) {
      // Looking is best effort: a watcher that fails to look changes nothing of the migration, and
      // the lock timeout that may follow still names the lock from the last successful look.
    }
  }
};

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
  }
  return origin;
}

// Runs statements with their bookkeeping query in one transaction, in one pipeline.
void run_in_transaction(WriteSession& s, const core::StatementList& statements,
                        const db::LedgerWrite& bookkeeping, const Timeouts& t, const std::string& file,
                        const std::string& what) {
  db::PipelineBatch batch;
  batch.before = {{"begin", {}},
                  {"select set_config('lock_timeout', $1, true)", {t.lock_timeout}},
                  {"select set_config('statement_timeout', $1, true)", {t.statement_timeout}}};
  batch.statements = &statements.items;
  batch.after = {bookkeeping.query(), {"commit", {}, db::QueryRole::commit}};
  LockWatch watch(s, t);
  auto failure = s.db().pipeline(batch, watch.watch());
  if (!failure) return;
  s.db().rollback_if_open();
  core::StatementOrigin origin = origin_of_failure(*failure, statements, file, what);
  if (failure->diag.sqlstate == k_lock_timeout) origin.blocked_by = watch.blocked_by();
  throw core::SqlFailure(failure->diag, origin);
}

// Runs a transactional section, again after a backoff when it hit lock_timeout and retries are left.
template <class Run>
void with_lock_retries(WriteSession& s, const Timeouts& t, const std::string& label, Run run) {
  for (int attempt = 0;; ++attempt) {
    try {
      run(attempt);
      return;
    } catch (const core::SqlFailure& failure) {
      if (failure.diagnostics().sqlstate != k_lock_timeout || attempt >= t.lock_retries) throw;
      std::int64_t delay = std::min<std::int64_t>(500LL << std::min(attempt, 6), 30'000);
      s.reporter().progress(fmt::format("{}: lock_timeout ({}) waiting for {}; rolled back, retrying in {} ms "
                                        "(retry {} of {})",
                                        label, t.lock_timeout, failure.origin().blocked_by, delay, attempt + 1,
                                        t.lock_retries));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
  }
}

std::string attempt_note(const Timeouts& t, int attempt) {
  return t.lock_retries > 0 ? fmt::format(", attempt {} of {}", attempt + 1, t.lock_retries + 1) : std::string();
}

// Runs statements one by one outside a transaction. The ledger row (state failed) always says which
// statement is running, so a run that is killed or loses the server shows where it stopped; on an
// error it says which statement failed and what was left behind.
void run_outside_transaction(WriteSession& s, const std::string& version, const core::StatementList& statements,
                             const Timeouts& t, const std::string& file, const std::string& what) {
  auto set = [&](const char* name, const std::string& value) {
    std::string sql = fmt::format("select set_config('{}', $1, false)", name);
    auto err = s.db().pipeline({{sql, {value}}});
    if (err) throw core::SqlFailure(err->diag, origin_of(file, 0, {}, what + " (setting " + name + ")"));
  };
  set("lock_timeout", t.lock_timeout);
  set("statement_timeout", t.statement_timeout);
  LockWatch watch(s, t);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& st = statements[i];
    watch.reset();
    s.ledger().mark_error(version, fmt::format("statement {} of {} at {}:{} was started outside a transaction and "
                                               "did not finish (the run was interrupted); {}",
                                               i + 1, statements.size(), file, st.line, took_effect(i)));
    if (auto diag = s.db().run_single(st.sql, watch.watch())) {
      core::StatementOrigin origin = origin_of(file, st.line, st.sql, what);
      if (diag->sqlstate == k_lock_timeout) origin.blocked_by = watch.blocked_by();
      std::string left_behind = find_leftovers(s.db()).advice();
      origin.advice = left_behind;
      core::SqlFailure failure(*diag, origin);
      s.ledger().mark_error(version, fmt::format("statement {} of {} failed at {}:{}: {} {}; {}{}", i + 1,
                                                 statements.size(), file, failure.error_line(), diag->sqlstate,
                                                 diag->message, took_effect(i),
                                                 left_behind.empty() ? "" : "; left behind: " + left_behind));
      throw failure;
    }
  }
  set("lock_timeout", "0");
  set("statement_timeout", "0");
}

}  // namespace

Timeouts timeouts_of(const core::Config& config) {
  return {config.lock_timeout().text, config.lock_timeout().ms, config.statement_timeout().text, config.lock_retries()};
}

Applied apply_up(WriteSession& s, const core::Migration& m, const core::StatementList& statements,
                 const Timeouts& timeouts) {
  auto start = Clock::now();
  std::string label = fmt::format("{}_{}", m.version, m.name);
  if (m.up.transaction) {
    auto bookkeeping = s.ledger().record_applied(m, s.applied_from());
    with_lock_retries(s, timeouts, label, [&](int attempt) {
      run_in_transaction(s, statements, bookkeeping, timeouts, m.display_path(),
                         fmt::format("applying {} (up{})", label, attempt_note(timeouts, attempt)));
    });
  } else {
    s.ledger().mark_started(m, s.applied_from(), "up");
    run_outside_transaction(s, m.version, statements, timeouts, m.display_path(),
                            fmt::format("applying {} (up, outside a transaction)", label));
    s.ledger().mark_applied(m.version, elapsed_ms(start));
  }
  return {m.version, m.name, statements.size(), m.up.transaction, elapsed_ms(start)};
}

Applied apply_down(WriteSession& s, const core::LedgerRow& row, const core::StatementList& statements,
                   const std::string& file, const Timeouts& timeouts) {
  auto start = Clock::now();
  std::string label = fmt::format("{}_{}", row.version, row.name);
  if (row.down_transaction) {
    auto bookkeeping = s.ledger().record_reverted(row.version);
    with_lock_retries(s, timeouts, label, [&](int attempt) {
      run_in_transaction(s, statements, bookkeeping, timeouts, file,
                         fmt::format("reverting {} (down{})", label, attempt_note(timeouts, attempt)));
    });
  } else {
    core::Migration m;
    m.version = row.version;
    s.ledger().mark_started(m, s.applied_from(), "down");
    run_outside_transaction(s, row.version, statements, timeouts, file,
                            fmt::format("reverting {} (down, outside a transaction)", label));
    s.ledger().remove(row.version);
  }
  return {row.version, row.name, statements.size(), row.down_transaction, elapsed_ms(start)};
}

}  // namespace runner
