// A command's database session: where to connect (URL, libpq environment or the embedded database),
// the connection itself and the ledger on it.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "db/connection.hpp"
#include "db/ledger.hpp"
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

// An open connection and the ledger on it.
class Session {
public:
  // Connects (starting the embedded database when it is the target and not running).
  Session(const core::Config& config, Reporter& reporter, const std::string& command);
  db::Connection& conn() { return *m_conn; }
  db::Ledger& ledger() { return *m_ledger; }
  const Target& target() const { return m_target; }
  // "user@host" of the operating system, recorded in the ledger's applied_by.
  const std::string& applied_from() const { return m_applied_from; }
  // A second connection to the same database, opened on first use, for looking at this session
  // from outside (what it waits for); never used for changes. nullptr when it cannot be opened.
  db::Connection* watcher();
  // Where progress lines go (the command's reporter).
  Reporter& reporter() { return m_reporter; }

private:
  Target m_target;
  Reporter& m_reporter;
  std::unique_ptr<db::Connection> m_conn;
  std::unique_ptr<db::Ledger> m_ledger;
  std::unique_ptr<db::Connection> m_watcher;
  bool m_watcher_failed = false;
  std::string m_applied_from;
};

}  // namespace runner
