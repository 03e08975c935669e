#include "runner/trace_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

#include "core/discovery.hpp"
#include "core/migration.hpp"
#include "core/sql_error.hpp"
#include "core/text.hpp"
#include "db/table_stats.hpp"
#include "db/client.hpp"
#include "db/migration_session.hpp"
#include "runner/lint_command.hpp"
#include "runner/preamble.hpp"
#include "runner/session.hpp"
#include "runner/shadow.hpp"

namespace fs = std::filesystem;

namespace runner {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// The table locks a backend holds (granted) on relations this session can see, with their kind.
// Not: catalogs, toast tables (their table's lock says it), and the transient relations of a table
// rewrite (gone by the time they could be named).
constexpr const char* k_locks_sql =
    "select format('%I.%I', n.nspname, c.relname), l.mode, c.relkind::text from pg_locks l join pg_class c on c.oid = "
    "l.relation join pg_namespace n on n.oid = c.relnamespace where l.pid = $1 and l.locktype = 'relation' and "
    "l.granted and l.database = (select oid from pg_database where datname = current_database()) and n.nspname not "
    "in ('pg_catalog', 'information_schema', 'pg_toast')";

// Every user relation's storage: oid -> (name, relfilenode).
constexpr const char* k_relations_sql =
    "select c.oid::text, format('%I.%I', n.nspname, c.relname), c.relfilenode::text from pg_class c join "
    "pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'm', 'i', 'I', 'S') and n.nspname not in "
    "('pg_catalog', 'information_schema', 'pg_toast')";

struct Relation {
  std::string name, filenode;
};
using Relations = std::map<std::string, Relation>;  // by oid
using LockSet = std::set<std::tuple<std::string, std::string, std::string>>;  // (relation, mode, relkind)

Relations relations(db::Queryable& q) {
  Relations out;
  for (const auto& r : q.query(k_relations_sql)) out[r.text(0)] = {r.text(1), r.text(2)};
  return out;
}

LockSet locks_of(db::Queryable& q, int pid) {
  LockSet out;
  for (const auto& r : q.query(k_locks_sql, {std::to_string(pid)})) out.insert({r.text(0), r.text(1), r.text(2)});
  return out;
}

// The pending files of the target (or the given paths), parsed.
std::vector<core::Migration> traced_files(const core::Config& config, Reporter& reporter,
                                          const std::vector<std::string>& paths,
                                          const std::vector<db::RecordedUp>& recorded) {
  std::vector<core::Migration> out;
  if (!paths.empty()) {
    for (const auto& p : paths) {
      fs::path path(p);
      out.push_back(core::parse_migration(core::read_file(path), path.filename().string(), path));
    }
    return out;
  }
  std::set<std::string> applied;
  for (const auto& r : recorded) applied.insert(r.version);
  for (auto& m : discover_files(config, reporter).files)
    if (!applied.count(m.version)) out.push_back(std::move(m));
  return out;
}

// Compares storage before and after a statement: rewrites and creations.
void storage_changes(const Relations& before, const Relations& after, TracedStatement& s) {
  for (const auto& [oid, rel] : after) {
    auto it = before.find(oid);
    if (it == before.end()) s.created.push_back(rel.name);
    else if (it->second.filenode != rel.filenode && rel.filenode != "0") s.rewrites.push_back(rel.name);
  }
}

TracedMigration trace_one(const std::string& conninfo, const core::Config& config, const core::Migration& m,
                          std::set<std::string>& created_here) {
  TracedMigration t{m.version, m.name, m.display_path(), m.up.transaction, config.lock_timeout().text, {}};
  auto statements = core::section_statements(m, m.up);
  db::MigrationSession session(conninfo, "autocrm-migrate trace", [](const std::string&) {});
  db::Client watcher(conninfo, "autocrm-migrate trace (watcher)", {});
  const int pid = session.backend_pid();
  auto fail = [&](const core::PgDiagnostics& diag, const core::Statement& st) {
    session.rollback_if_open();
    core::StatementOrigin origin{m.display_path(), st.line, std::string(st.sql),
                                 fmt::format("tracing {}_{} on the shadow database", m.version, m.name), "", ""};
    throw core::SqlFailure(diag, origin);
  };
  if (t.transaction) {
    session.query("begin");
    session.query("select set_config('lock_timeout', $1, true)", {config.lock_timeout().text});
  }
  std::vector<Clock::time_point> started;
  for (const auto& st : statements) {
    TracedStatement s{st.line, std::string(st.sql), 0, {}, {}, {}, {}, {}};
    auto rel_before = relations(session);
    auto locks_before = t.transaction ? locks_of(session, pid) : LockSet{};
    LockSet seen;
    db::WaitWatch watch{10, [&] {
                          // Outside a transaction (CONCURRENTLY), what the statement holds is only
                          // visible from another session while it runs.
                          for (const auto& l : locks_of(watcher, pid)) seen.insert(l);
                        }};
    auto start = Clock::now();
    if (auto diag = session.run_single(st.sql, t.transaction ? nullptr : &watch)) fail(*diag, st);
    s.duration_ms = ms_since(start);
    started.push_back(start);
    if (t.transaction) seen = locks_of(session, pid);
    auto rel_after = relations(session);
    storage_changes(rel_before, rel_after, s);
    for (const auto& c : s.created) created_here.insert(c);
    for (const auto& [relation, mode, kind] : seen) {
      auto impact = core::lock_impact(mode);
      if (impact.reads || impact.writes) s.blocking_held.insert(relation);
    }
    for (const auto& lock : seen) {
      if (locks_before.count(lock)) continue;
      const auto& [relation, mode, kind] = lock;
      s.locks.push_back({relation, core::sql_lock_name(mode), core::lock_impact(mode), s.duration_ms,
                         created_here.count(relation) > 0, kind == "r" || kind == "p" || kind == "m"});
    }
    std::sort(s.locks.begin(), s.locks.end(), [](const TracedLock& a, const TracedLock& b) {
      return std::make_tuple(-a.impact.strength, !a.table, a.relation) <
             std::make_tuple(-b.impact.strength, !b.table, b.relation);
    });
    t.statements.push_back(std::move(s));
  }
  if (t.transaction) {
    session.query("commit");
    // A lock taken inside the transaction is held until commit.
    for (std::size_t i = 0; i < t.statements.size(); ++i)
      for (auto& l : t.statements[i].locks) l.held_ms = ms_since(started[i]);
  }
  return t;
}

// The strongest lock on an existing relation over a migration's statements, if any.
const TracedLock* worst_lock(const TracedMigration& m) {
  const TracedLock* worst = nullptr;
  for (const auto& s : m.statements)
    for (const auto& l : s.locks)
      if (!l.new_object && (!worst || std::make_tuple(l.impact.strength, l.table, l.held_ms) >
                                          std::make_tuple(worst->impact.strength, worst->table, worst->held_ms)))
        worst = &l;
  return worst;
}

std::string rows_text(const TraceOutcome& out, const std::string& relation) {
  auto it = out.row_estimates.find(relation);
  if (it == out.row_estimates.end() || it->second < 0) return "";
  return fmt::format(" (about {} rows on the target)", core::group_thousands(it->second));
}

core::Json lock_json(const TracedLock& l, const TraceOutcome& out) {
  core::Json j = core::Json::object();
  j.set("relation", l.relation).set("mode", l.mode).set("blocks", core::blocks_text(l.impact));
  j.set("held_ms", l.held_ms).set("new_object", l.new_object);
  auto it = out.row_estimates.find(l.relation);
  if (it != out.row_estimates.end()) j.set("rows_estimate", it->second);
  return j;
}

// True when the statement took a lock that blocks the application on a relation that existed
// before the migration, or rewrote one.
bool blocks_application(const TracedStatement& s) {
  if (!s.rewrites.empty()) return true;
  for (const auto& l : s.locks)
    if (!l.new_object && (l.impact.reads || l.impact.writes)) return true;
  return false;
}

// Joins lint's findings to the traced statements (same file, same statement line): each is marked
// confirmed when the trace saw what it warns of; a blocking statement lint said nothing about gets
// trace's own finding.
void join_lint(const std::vector<core::Migration>& files, const lint::ChainOptions& options, TraceOutcome& out) {
  std::vector<const core::Migration*> pointers;
  for (const auto& m : files) pointers.push_back(&m);
  auto linted = lint_migrations(pointers, core::Level::error, options);
  for (auto& m : out.migrations) {
    for (auto& s : m.statements) {
      bool blocking = blocks_application(s);
      for (const auto& f : linted.findings)
        if (!f.suppressed && f.file == m.file && f.statement_line == s.line)
          s.findings.push_back({f.rule, f.level, f.message,
                                !f.table.empty() && (s.blocking_held.count(f.table) > 0 ||
                                                     std::count(s.rewrites.begin(), s.rewrites.end(), f.table) > 0),
                                !f.table.empty()});
      // Lint's info findings (a timeout the configuration does not set) say nothing about this lock.
      bool covered = std::any_of(s.findings.begin(), s.findings.end(),
                                 [](const TraceFinding& f) { return f.level >= core::Level::warning; });
      if (blocking && !covered) {
        const TracedLock* worst = nullptr;
        for (const auto& l : s.locks)
          if (!l.new_object && (!worst || l.impact.strength > worst->impact.strength)) worst = &l;
        std::string what = worst ? fmt::format("{} on {} blocks {}", worst->mode, worst->relation,
                                               core::blocks_text(worst->impact))
                                 : "it rewrote " + s.rewrites.front();
        s.findings.push_back({"trace-blocking-lock", core::Level::warning,
                              what + " (seen by trace; no lint rule covers this statement)", false, true});
      }
      std::stable_sort(s.findings.begin(), s.findings.end(),
                       [](const TraceFinding& a, const TraceFinding& b) { return a.level > b.level; });
      for (const auto& f : s.findings)
        if (f.level == core::Level::error && f.confirmed) out.code = core::ExitCode::problems;
    }
  }
}

}  // namespace

TraceOutcome cmd_trace(const core::Config& config, Reporter& reporter, const std::vector<std::string>& files) {
  TraceOutcome out;
  ReadSession target(config, reporter, "trace");
  out.target = target.target().display;
  auto recorded = target.ledger().recorded_ups();
  auto traced = traced_files(config, reporter, files, recorded);
  out.row_estimates = db::read_row_estimates(target.db(), db::NameStyle::quoted);
  auto steps = replay_steps(recorded, config, reporter);
  out.replayed = steps.size();
  ShadowDatabase shadow(config, reporter, steps, [&](std::size_t done, std::size_t total) {
    reporter.status(fmt::format("trace: replaying the applied migrations on the shadow database: {} of {}", done, total));
  });
  out.shadow = shadow.description();
  std::string conninfo = shadow.writable_copy();
  std::set<std::string> created;
  for (std::size_t i = 0; i < traced.size(); ++i) {
    reporter.status(fmt::format("trace: {} of {}: {}_{}", i + 1, traced.size(), traced[i].version, traced[i].name));
    out.migrations.push_back(trace_one(conninfo, config, traced[i], created));
  }
  reporter.status("");
  join_lint(traced, chain_options(config), out);
  return out;
}

core::Json trace_json(const TraceOutcome& out) {
  core::Json migrations = core::Json::array();
  for (const auto& m : out.migrations) {
    core::Json statements = core::Json::array();
    for (const auto& s : m.statements) {
      core::Json locks = core::Json::array(), rewrites = core::Json::array(), created = core::Json::array();
      for (const auto& l : s.locks) locks.push(lock_json(l, out));
      for (const auto& r : s.rewrites) rewrites.push(r);
      for (const auto& c : s.created) created.push(c);
      core::Json findings = core::Json::array();
      for (const auto& f : s.findings)
        findings.push(core::Json::object()
                          .set("rule", f.rule)
                          .set("level", core::level_name(f.level))
                          .set("message", f.message)
                          .set("confirmed_by_trace", f.about_locks ? core::Json(f.confirmed) : core::Json())
                          .set("source", f.rule == "trace-blocking-lock" ? "trace" : "lint and trace"));
      statements.push(core::Json::object()
                          .set("findings", findings)
                          .set("sql", s.sql)
                          .set("line", s.line)
                          .set("duration_ms", s.duration_ms)
                          .set("locks", locks)
                          .set("rewrites", rewrites)
                          .set("created", created));
    }
    const TracedLock* worst = worst_lock(m);
    migrations.push(core::Json::object()
                        .set("version", m.version)
                        .set("name", m.name)
                        .set("file", m.file)
                        .set("transaction", m.transaction)
                        .set("lock_timeout", m.lock_timeout)
                        .set("worst_lock", worst ? lock_json(*worst, out) : core::Json())
                        .set("statements", statements));
  }
  return core::Json::object()
      .set("command", "trace")
      .set("target", out.target)
      .set("shadow", out.shadow)
      .set("migrations_replayed", out.replayed)
      .set("migrations", migrations);
}

const lint::Rule& trace_blocking_rule() {
  static const lint::Rule rule{"trace-blocking-lock", core::Level::warning,
                               "trace saw a statement take a lock that blocks the application (or rewrite a table) "
                               "where no lint rule fired",
                               "rewrite the statement to take a weaker lock (docs/lint.md lists the safe forms), or run "
                               "it when the table is quiet, with a short lock_timeout",
                               ""};
  return rule;
}

std::vector<lint::Finding> trace_findings(const TraceOutcome& out) {
  std::vector<lint::Finding> findings;
  for (const auto& m : out.migrations)
    for (const auto& s : m.statements)
      for (const auto& f : s.findings) {
        lint::Finding l;
        l.rule = f.rule;
        l.level = f.level;
        l.file = m.file;
        l.line = l.statement_line = s.line;
        l.column = 1;
        const lint::Rule* rule = lint::find_rule(f.rule);
        l.remediation = rule ? rule->remediation : trace_blocking_rule().remediation;
        l.message = f.message;
        if (f.rule != "trace-blocking-lock" && f.about_locks)
          l.message += f.confirmed ? " (confirmed by trace: it took that lock, or rewrote the table, on the shadow)"
                                   : " (trace saw no lock on that table that blocks the application)";
        findings.push_back(std::move(l));
      }
  return findings;
}

std::string trace_text(const TraceOutcome& out) {
  std::string text;
  if (out.migrations.empty()) return "nothing to trace: no pending migration\n";
  for (const auto& m : out.migrations) {
    text += fmt::format("{}_{} ({}, lock_timeout {})\n", m.version, m.name,
                        m.transaction ? "in a transaction" : "outside a transaction", m.lock_timeout);
    for (const auto& s : m.statements) {
      std::string first_line = s.sql.substr(0, s.sql.find('\n'));
      if (first_line.size() > 80) first_line = first_line.substr(0, 77) + "...";
      text += fmt::format("  {}:{}: {} ({:.1f} ms)\n", m.file, s.line, first_line, s.duration_ms);
      for (const auto& l : s.locks)
        text += fmt::format("    {} on {}{}: blocks {}{}, held {:.1f} ms\n", l.mode, l.relation, rows_text(out, l.relation),
                            core::blocks_text(l.impact), l.new_object ? " (a relation this migration created)" : "",
                            l.held_ms);
      for (const auto& r : s.rewrites) text += fmt::format("    rewrote {}\n", r);
      for (const auto& f : s.findings)
        text += fmt::format("    {} {}: {}\n", core::level_name(f.level), f.rule,
                            f.rule == "trace-blocking-lock" ? f.message
                            : !f.about_locks ? "lint's finding (not about locks: the trace has nothing to add)"
                            : f.confirmed    ? "lint's finding, confirmed by the trace"
                                             : "lint's finding; the trace saw no lock on that table that blocks the "
                                               "application (a small or new table?)");
    }
    if (const TracedLock* w = worst_lock(m))
      text += fmt::format("  worst: {} on {}{}, held {:.1f} ms, blocks {}{}\n", w->mode, w->relation,
                          rows_text(out, w->relation), w->held_ms, core::blocks_text(w->impact),
                          m.lock_timeout == "0" ? "; no lock_timeout: it would wait behind any transaction" : "");
    else
      text += "  worst: no lock on an existing relation\n";
  }
  text += fmt::format("traced on {} ({} applied migrations replayed)\n", out.shadow, out.replayed);
  return text;
}

}  // namespace runner
