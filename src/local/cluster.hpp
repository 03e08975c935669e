// The embedded local PostgreSQL: a private cluster under the project folder, created on first use.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "core/json.hpp"

namespace local {

// Finds the PostgreSQL server programs: `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin.
// Throws core::Failure with the install command when there are none.
std::filesystem::path find_server_bindir();

// A PostgreSQL cluster private to one project: data, socket and log under one folder; it listens
// only on a Unix socket in that folder, so it never clashes with other servers' ports.
class LocalCluster {
public:
  // The cluster for local_dir (e.g. <project>/.autocrm-migrate) serving database.
  LocalCluster(std::filesystem::path local_dir, std::string database);

  // The connection URL (a Unix socket URL; the database need not exist yet).
  std::string url() const;
  // True when initdb has run.
  bool initialized() const;
  // True when the server is up (pg_ctl status).
  bool running() const;
  // Creates the cluster if missing, starts it if stopped, and creates the database if missing.
  // progress receives one line per step taken ("initializing...", "starting...").
  void ensure_running(const std::function<void(const std::string&)>& progress);
  // Stops the server (fast mode); nothing when already stopped.
  void stop();
  // Drops and recreates the database (starting the server first if needed).
  void reset(const std::function<void(const std::string&)>& progress);
  // Where things are and whether the server runs, as JSON.
  core::Json status_json() const;

private:
  std::filesystem::path m_local_dir, m_root, m_data, m_socket_dir, m_log;
  std::string m_database;
  int m_port = 5432;
  std::filesystem::path m_bindir;
  void initialize(const std::function<void(const std::string&)>& progress);
  void start(const std::function<void(const std::string&)>& progress);
  void create_database_if_missing(bool recreate);
  void prepare_owned(const std::filesystem::path& p, bool directory) const;
};

}  // namespace local
