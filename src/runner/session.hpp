// A command's database sessions: where to connect (URL, libpq environment or the embedded
// database), the migration session of writing commands and the client session of read-only ones,
// each with the ledger on it.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "db/client.hpp"
#include "db/ledger.hpp"
#include "db/migration_session.hpp"
#include "runner/reporter.hpp"

namespace runner {

// Where a command connects, decided from the configuration and the environment.
struct Target {
  enum class Kind { url, libpq_environment, embedded } kind;
  std::string conninfo;  // the URL, "" for the libpq environment, or the embedded cluster's URL
  std::string display;   // what messages show (password masked)
};

// Decides the target: database_url if set, else the libpq environment (PGHOST, PGDATABASE, PGSERVICE...)
// if any of it is set, else the embedded local database.
Target resolve_target(const core::Config& config);

// "user@host" of the operating system, recorded in the ledger's applied_by.
std::string os_identity();

// The session of a writing command (up, down, redo, repair, baseline): libpq, the ledger on it, and
// a second, read-only session opened on first use to look at this one from outside.
class WriteSession {
public:
  // Connects (starting the embedded database when it is the target and not running).
  WriteSession(const core::Config& config, Reporter& reporter, const std::string& command);
  // No signal cancels through this session once it is gone.
  ~WriteSession();
  WriteSession(const WriteSession&) = delete;
  WriteSession& operator=(const WriteSession&) = delete;
  db::MigrationSession& db() { return *m_db; }
  db::Ledger& ledger() { return *m_ledger; }
  const Target& target() const { return m_target; }
  // "user@host" of the operating system, recorded in the ledger's applied_by.
  const std::string& applied_from() const { return m_applied_from; }
  // A second connection to the same database, opened on first use, for looking at this session
  // from outside (what it waits for); never used for changes. nullptr when it cannot be opened.
  db::Client* watcher();
  // Where progress lines go (the command's reporter).
  Reporter& reporter() { return m_reporter; }

private:
  Target m_target;
  Reporter& m_reporter;
  std::string m_applied_from;
  std::unique_ptr<db::MigrationSession> m_db;
  std::unique_ptr<db::Ledger> m_ledger;
  std::unique_ptr<db::Client> m_watcher;
  bool m_watcher_failed = false;
};

// The session of a read-only command (status, validate, check): libpqxx, and the ledger on it.
class ReadSession {
public:
  // Connects (starting the embedded database when it is the target and not running).
  ReadSession(const core::Config& config, Reporter& reporter, const std::string& command);
  db::Client& db() { return *m_db; }
  db::Ledger& ledger() { return *m_ledger; }
  const Target& target() const { return m_target; }

private:
  Target m_target;
  std::unique_ptr<db::Client> m_db;
  std::unique_ptr<db::Ledger> m_ledger;
};

}  // namespace runner
