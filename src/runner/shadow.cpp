#include "runner/shadow.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <random>

#include "core/discovery.hpp"
#include "core/secrets.hpp"
#include "core/sql_error.hpp"
#include "core/sql_split.hpp"
#include "core/text.hpp"
#include "db/client.hpp"
#include "db/conninfo.hpp"
#include "db/migration_session.hpp"
#include "local/cluster.hpp"
#include "runner/preamble.hpp"

namespace runner {

namespace {

constexpr const char* k_prefix = "autocrm_migrate_shadow_";
constexpr const char* k_application = "autocrm-migrate drift (shadow)";

std::string quote_name(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string steps_hash(const std::vector<ReplayStep>& steps) {
  std::string all;
  for (const auto& s : steps)
    all += fmt::format("{}\n{}\n{}\n{}\n{}\n", s.version, s.name, s.transaction, s.line, core::sha256_hex(s.sql));
  return core::sha256_hex(all).substr(0, 16);
}

// Replays every step on conninfo's database, each transactional one in one pipeline (one round
// trip), the others statement by statement. A failure names the version, file line and SQLSTATE.
void replay(const std::string& conninfo, const std::vector<ReplayStep>& steps, const ReplayProgress& progress) {
  db::MigrationSession session(conninfo, k_application, [](const std::string&) {});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    if (progress) progress(i, steps.size());
    std::string file = fmt::format("{}_{} (as recorded in the ledger)", step.version, step.name);
    auto statements = core::split_statements(step.sql, file, step.line);
    auto fail = [&](const core::PgDiagnostics& diag, std::size_t index) {
      core::StatementOrigin origin;
      origin.file = file;
      if (index < statements.size()) {
        origin.line = statements[index].line;
        origin.sql = std::string(statements[index].sql);
      }
      origin.what = fmt::format("replaying {}_{} on the shadow database", step.version, step.name);
      origin.advice = "drift compares with what the applied migrations make; this one no longer runs on a fresh "
                      "database (an extension or role missing on the shadow server?)";
      throw core::SqlFailure(diag, origin);
    };
    if (step.transaction) {
      db::PipelineBatch batch;
      batch.before.push_back({"begin", {}, db::QueryRole::setup, 0});
      batch.statements = &statements.items;
      batch.after.push_back({"commit", {}, db::QueryRole::commit, 0});
      if (auto failure = session.pipeline(batch)) {
        session.rollback_if_open();
        fail(failure->diag, failure->role == db::QueryRole::statement ? failure->statement : statements.size());
      }
    } else {
      for (std::size_t k = 0; k < statements.size(); ++k)
        if (auto diag = session.run_single(statements[k].sql)) fail(*diag, k);
    }
  }
  if (progress) progress(steps.size(), steps.size());
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string random_suffix() {
  std::random_device rd;
  return fmt::format("{}_{:08x}", getpid(), rd());
}

}  // namespace

std::vector<ReplayStep> replay_steps(const std::vector<db::RecordedUp>& rows, const core::Config& config,
                                     Reporter& reporter) {
  // The files of this checkout, when there are any: a file whose checksum is the one recorded is
  // the SQL that ran, read from the repository rather than from the target's ledger (a ledger row
  // is data anyone with write access to that table can change; the replay runs it as superuser).
  core::Discovered files;
  try {
    files = discover_files(config, reporter);
  } catch (const core::UsageError&) {
    // No migrations folder here: the recorded SQL is all there is.
  }
  std::vector<ReplayStep> steps;
  std::vector<std::string> unreplayable;
  for (const auto& row : rows) {
    if (row.state != "applied") continue;
    const core::Migration* match = nullptr;
    for (const auto& m : files.files)
      if (m.version == row.version && m.checksum == row.checksum) match = &m;
    if (match) {
      steps.push_back({row.version, row.name, std::string(match->up.body), match->up.transaction,
                       match->up.body_line, false});
    } else if (row.sql) {
      steps.push_back({row.version, row.name, *row.sql, row.transaction, row.line > 0 ? row.line : 1, true});
    } else {
      unreplayable.push_back(row.version);
    }
  }
  if (!unreplayable.empty())
    throw core::Failure(fmt::format("cannot replay {}: the ledger has no SQL for {} (written by an older release, or "
                                    "over 4 MB) and the file is missing or changed since it was applied",
                                    joined(unreplayable), unreplayable.size() == 1 ? "it" : "them"),
                        "restore the files as they were applied (git), then run drift again");
  return steps;
}

ShadowDatabase::ShadowDatabase(const core::Config& config, Reporter& reporter, const std::vector<ReplayStep>& steps,
                               const ReplayProgress& progress) {
  const std::string& url = config.shadow_url();
  if (!url.empty()) {
    // Someone else's server: a temporary database of this run, always dropped.
    m_server = url;
    m_database = k_prefix + random_suffix();
    m_description = fmt::format("database {} on {} (temporary)", m_database, core::mask_password(url));
    db::Client admin(m_server, k_application, {});
    admin.query("create database " + quote_name(m_database));
    m_drop = true;
    replay(db::with_database(m_server, m_database), steps, progress);
  } else {
    // The embedded cluster: the replay is kept as a template named after the steps' hash.
    local::LocalCluster cluster(config.local_dir(), config.local_database());
    cluster.ensure_running([&](const std::string& line) { reporter.progress(line); });
    m_server = db::with_database(cluster.url(), "postgres");
    m_database = k_prefix + steps_hash(steps);
    m_description = "database " + m_database + " of the embedded local PostgreSQL (kept while the ledger is unchanged)";
    db::Client admin(m_server, k_application, {});
    // One builder at a time per cluster; the others wait and then find the template made.
    admin.query("select pg_advisory_lock(hashtext('autocrm-migrate shadow'))");
    auto exists = [&] { return !admin.query("select 1 from pg_database where datname = $1", {m_database}).empty(); };
    if (exists()) {
      m_reused = true;
    } else {
      for (const auto& row : admin.query("select datname from pg_database where datname like $1 || '%' and datname not like $1 || 'copy%'", {k_prefix}))
        admin.query(fmt::format("drop database if exists {} with (force)", quote_name(row.text(0))));
      std::string building = k_prefix + std::string("building_") + random_suffix();
      admin.query("create database " + quote_name(building));
      try {
        replay(db::with_database(m_server, building), steps, progress);
        admin.query(fmt::format("alter database {} rename to {}", quote_name(building), quote_name(m_database)));
      } catch (...) {
        admin.query(fmt::format("drop database if exists {} with (force)", quote_name(building)));
        throw;
      }
    }
    admin.query("select pg_advisory_unlock(hashtext('autocrm-migrate shadow'))");
  }
  m_client = std::make_unique<db::Client>(db::with_database(m_server, m_database), k_application, db::NoticeSink{});
}

std::string ShadowDatabase::writable_copy() {
  m_client.reset();
  if (m_drop) return db::with_database(m_server, m_database);
  m_copy = k_prefix + std::string("copy_") + random_suffix();
  db::Client admin(m_server, k_application, {});
  admin.query(fmt::format("create database {} template {}", quote_name(m_copy), quote_name(m_database)));
  return db::with_database(m_server, m_copy);
}

ShadowDatabase::~ShadowDatabase() {
  m_client.reset();
  for (const auto& [name, drop] : {std::pair{m_database, m_drop}, std::pair{m_copy, !m_copy.empty()}}) {
    if (!drop) continue;
    try {
      db::Client admin(m_server, k_application, {});
      admin.query(fmt::format("drop database if exists {} with (force)", quote_name(name)));
    } catch (...) {
      // Nothing more can be done from a destructor; the name says whose it is.
    }
  }
}

}  // namespace runner
