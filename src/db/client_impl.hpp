// The libpqxx connection behind db::Client, for code inside src/db only; and the conversion of
// libpqxx's exceptions into the project's own (DatabaseError, ConnectionLost).
#pragma once

#include <pqxx/pqxx>

#include <memory>

#include "db/client.hpp"
#include "db/errors.hpp"

namespace db {

struct Client::Impl {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<pqxx::errorhandler> notices;
};

// Throws e as a DatabaseError carrying its SQLSTATE and primary message.
[[noreturn]] void throw_translated(const pqxx::sql_error& e);

// Runs f; libpqxx's exceptions leave as DatabaseError (with the SQLSTATE) or ConnectionLost.
template <class F>
auto translating_pqxx(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const pqxx::broken_connection& e) {
    throw ConnectionLost(e.what());
  } catch (const pqxx::sql_error& e) {
    throw_translated(e);
  }
}

}  // namespace db
