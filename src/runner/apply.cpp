#include "runner/apply.hpp"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <chrono>

#include "core/sql_error.hpp"
#include "db/pipeline.hpp"

namespace runner {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsed_ms(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Ends a failed transaction, if one is open.
void rollback_if_open(pg_conn* conn) {
  if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE) db::run_single(conn, "rollback");
}

constexpr std::size_t k_preamble = 3;  // begin, lock_timeout, statement_timeout

// Runs statements with their bookkeeping query in one transaction, in one pipeline.
void run_in_transaction(Session& s, const std::vector<core::Statement>& statements, db::PipelineQuery bookkeeping,
                        const Timeouts& t, const std::string& file, const std::string& what) {
  std::vector<db::PipelineQuery> queries;
  queries.reserve(statements.size() + k_preamble + 2);
  queries.push_back({"begin", {}});
  queries.push_back({"select set_config('lock_timeout', $1, true)", {t.lock_timeout}});
  queries.push_back({"select set_config('statement_timeout', $1, true)", {t.statement_timeout}});
  for (const auto& st : statements) queries.push_back({st.sql, {}});
  queries.push_back(std::move(bookkeeping));
  queries.push_back({"commit", {}});
  auto error = db::run_pipeline(s.conn().raw(), queries);
  if (!error) return;
  rollback_if_open(s.conn().raw());
  core::StatementOrigin origin{file, 0, {}, what};
  if (error->index >= k_preamble && error->index < k_preamble + statements.size()) {
    const auto& st = statements[error->index - k_preamble];
    origin.line = st.line;
    origin.sql = st.sql;
  } else if (error->index == queries.size() - 1) {
    origin.what += " (at commit: a deferred constraint or trigger failed)";
  } else if (error->index == queries.size() - 2) {
    origin.what += " (recording it in the ledger)";
  } else {
    origin.what += " (setting lock_timeout/statement_timeout)";
  }
  throw core::SqlFailure(error->diag, origin);
}

// Runs statements one by one outside a transaction; on failure records the error in the ledger.
void run_outside_transaction(Session& s, const std::string& version, const std::vector<core::Statement>& statements,
                             const Timeouts& t, const std::string& file, const std::string& what) {
  pg_conn* conn = s.conn().raw();
  auto set = [&](const char* name, const std::string& value) {
    auto err = db::run_pipeline(conn, {{fmt::format("select set_config('{}', $1, false)", name), {value}}});
    if (err) throw core::SqlFailure(err->diag, {file, 0, {}, what + " (setting " + name + ")"});
  };
  set("lock_timeout", t.lock_timeout);
  set("statement_timeout", t.statement_timeout);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& st = statements[i];
    if (auto diag = db::run_single(conn, st.sql)) {
      core::SqlFailure failure(*diag, {file, st.line, st.sql, what});
      s.ledger().mark_error(version, fmt::format("statement {} of {} failed at {}:{}: {} {}; statements 1 to {} "
                                                 "took effect",
                                                 i + 1, statements.size(), file, failure.error_line(), diag->sqlstate,
                                                 diag->message, i));
      throw failure;
    }
  }
  set("lock_timeout", "0");
  set("statement_timeout", "0");
}

}  // namespace

Applied apply_up(Session& s, const core::Migration& m, const std::vector<core::Statement>& statements,
                 const Timeouts& timeouts) {
  auto start = Clock::now();
  std::string what = fmt::format("applying {}_{} (up)", m.version, m.name);
  if (m.up.transaction) {
    run_in_transaction(s, statements, s.ledger().record_applied(m, s.applied_from()), timeouts, m.display_path(), what);
  } else {
    s.ledger().mark_started(m, s.applied_from(), "up");
    run_outside_transaction(s, m.version, statements, timeouts, m.display_path(), what);
    s.ledger().mark_applied(m.version, elapsed_ms(start));
  }
  return {m.version, m.name, statements.size(), m.up.transaction, elapsed_ms(start)};
}

Applied apply_down(Session& s, const core::LedgerRow& row, const std::vector<core::Statement>& statements,
                   const std::string& file, const Timeouts& timeouts) {
  auto start = Clock::now();
  std::string what = fmt::format("reverting {}_{} (down)", row.version, row.name);
  if (row.down_transaction) {
    run_in_transaction(s, statements, s.ledger().record_reverted(row.version), timeouts, file, what);
  } else {
    core::Migration m;
    m.version = row.version;
    s.ledger().mark_started(m, s.applied_from(), "down");
    run_outside_transaction(s, row.version, statements, timeouts, file, what);
    s.ledger().remove(row.version);
  }
  return {row.version, row.name, statements.size(), row.down_transaction, elapsed_ms(start)};
}

}  // namespace runner
