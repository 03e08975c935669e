#include "runner/apply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/sql_error.hpp"
#include "runner/apply_internal.hpp"
#include "runner/interrupt.hpp"

namespace runner {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsed_ms(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
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
      interruptible_sleep(delay);
      throw_if_interrupted(fmt::format("while waiting to retry {}: nothing of it was applied", label));
    }
  }
}

std::string attempt_note(const Timeouts& t, int attempt) {
  return t.lock_retries > 0 ? fmt::format(", attempt {} of {}", attempt + 1, t.lock_retries + 1) : std::string();
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
    auto bookkeeping = s.ledger().record_applied(m, s.applied_from(), &statements);
    with_lock_retries(s, timeouts, label, [&](int attempt) {
      run_in_transaction(s, statements, bookkeeping, timeouts, m.display_path(),
                         fmt::format("applying {} (up{})", label, attempt_note(timeouts, attempt)));
    });
  } else {
    s.ledger().mark_started(m, s.applied_from(), "up");
    run_outside_transaction(s, m.version, statements, timeouts, m.display_path(),
                            fmt::format("applying {} (up, outside a transaction)", label));
    s.ledger().mark_applied(m.version, elapsed_ms(start));
    s.ledger().mirror_applied(m, statements);
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
