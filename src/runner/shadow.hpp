// The shadow database drift compares with: the migrations a ledger records as applied, replayed
// from their recorded SQL on the embedded local PostgreSQL (default) or on the server of
// shadow_url, in a database this class creates and drops.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "db/ledger.hpp"
#include "runner/reporter.hpp"

namespace db {
class Client;
}

namespace runner {

// One migration to replay: its recorded up SQL and how it ran.
struct ReplayStep {
  std::string version, name;
  std::string sql;
  bool transaction = true;
  int line = 1;  // line of the section's body in the file as applied
  bool from_ledger = false;  // the ledger's recorded SQL (the file is missing or changed), not the file
};

// The steps of the applied rows of a ledger: the file's up section where the file's checksum is the
// recorded one (the same SQL, read from the repository, not from the target), else the ledger's
// recorded SQL. Throws core::Failure naming the versions that can be replayed from neither.
std::vector<ReplayStep> replay_steps(const std::vector<db::RecordedUp>& rows, const core::Config& config,
                                     Reporter& reporter);

// Called while replaying: (steps done, steps in all).
using ReplayProgress = std::function<void(std::size_t done, std::size_t total)>;

// A database holding the replay of some steps, dropped at destruction unless it is the kept template.
class ShadowDatabase {
public:
  // Replays steps on the shadow server (config.shadow_url(), else the embedded cluster). On the
  // embedded cluster the replay is kept as a template named after a hash of the steps, so the next
  // run with the same ledger reads it without replaying; a changed ledger replaces it.
  ShadowDatabase(const core::Config& config, Reporter& reporter, const std::vector<ReplayStep>& steps,
                 const ReplayProgress& progress);
  ~ShadowDatabase();
  ShadowDatabase(const ShadowDatabase&) = delete;
  ShadowDatabase& operator=(const ShadowDatabase&) = delete;

  // A read-only session on the replayed database.
  db::Client& client() { return *m_client; }
  // Where it is, for reports ("the embedded local PostgreSQL, database ..." or the masked server URL).
  const std::string& description() const { return m_description; }
  // True when an earlier run's replay was reused.
  bool reused() const { return m_reused; }
  // A database the caller may change, holding the replay: the temporary database itself, or (on the
  // embedded cluster) a copy of the kept replay made from it as a template and dropped at
  // destruction. Closes client(). Returns its conninfo.
  std::string writable_copy();

private:
  std::string m_server;    // conninfo of the shadow server's maintenance database
  std::string m_database;  // the replayed database
  bool m_drop = false;     // a temporary database of this run, dropped at destruction
  bool m_reused = false;
  std::string m_description;
  std::string m_copy;      // writable_copy()'s database on the embedded cluster, dropped at destruction
  std::unique_ptr<db::Client> m_client;
};

}  // namespace runner
