// A libpqxx session for everything but applying migrations: the read-only commands (status,
// validate, check), the catalog reader and the lock watcher. libpqxx stays behind this class:
// nothing above src/db names its types.
#pragma once

#include <memory>
#include <string>

#include "db/migration_session.hpp"
#include "db/queryable.hpp"

namespace db {

// One libpqxx connection.
class Client final : public Queryable {
public:
  // Connects like MigrationSession; throws core::Failure with a masked, clear message.
  Client(const std::string& conninfo, const std::string& application_name, NoticeSink notices);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Rows query(const std::string& sql, const Params& params = {}) override;
  std::string describe() const override;

  struct Impl;
  // The libpqxx side, for the readers inside src/db (catalog_reader.cpp).
  Impl& impl() { return *m_impl; }

private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace db
