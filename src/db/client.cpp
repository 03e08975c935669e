#include "db/client.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/error.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "db/client_impl.hpp"
#include "db/conninfo.hpp"
#include "db/errors.hpp"

namespace db {

namespace {

// Hands every notice to the sink.
class NoticeHandler : public pqxx::errorhandler {
public:
  NoticeHandler(pqxx::connection_base& c, NoticeSink sink) : pqxx::errorhandler(c), m_sink(std::move(sink)) {}
  bool operator()(const char msg[]) noexcept override {
    try {
      if (m_sink) m_sink(std::string(core::trim(msg)));
    } catch (...) {
      // A notice that cannot be shown must not break the query that raised it.
    }
    return false;
  }

private:
  NoticeSink m_sink;
};

// The primary message of a libpqxx error: "ERROR:  x\nLINE 1: ..." becomes "x".
std::string primary_message(const std::string& what) {
  std::string text(core::trim(what));
  for (const char* prefix : {"ERROR:  ", "FATAL:  "})
    if (text.starts_with(prefix)) text = text.substr(std::string(prefix).size());
  if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl);
  return text;
}

}  // namespace

void throw_translated(const pqxx::sql_error& e) {
  core::PgDiagnostics d;
  d.severity = "ERROR";
  d.sqlstate = e.sqlstate();
  // libpqxx 6.4 throws insufficient_privilege without the SQLSTATE it was raised for (every other
  // class keeps it); its type says which one it was.
  if (d.sqlstate.empty() && dynamic_cast<const pqxx::insufficient_privilege*>(&e)) d.sqlstate = "42501";
  d.message = primary_message(e.what());
  throw DatabaseError(d);
}

Client::Client(const std::string& conninfo, const std::string& application_name, NoticeSink notices)
    : m_impl(std::make_unique<Impl>()) {
  try {
    m_impl->conn = std::make_unique<pqxx::connection>(with_connection_defaults(conninfo, application_name));
    m_impl->notices = std::make_unique<NoticeHandler>(*m_impl->conn, std::move(notices));
  } catch (const pqxx::broken_connection& e) {
    throw core::Failure(fmt::format("cannot connect to {}: {}", describe_target(conninfo), core::redact(core::trim(e.what()))),
                        "check that the server runs and the URL (database_url, DATABASE_URL) is right");
  } catch (const pqxx::sql_error& e) {
    throw core::Failure(fmt::format("cannot start a session: {}", core::redact(core::trim(e.what()))));
  }
}

Client::~Client() = default;

Rows Client::query(const std::string& sql, const Params& params) {
  return translating_pqxx([&] {
    std::vector<const char*> values;  // a null pointer is NULL to libpqxx
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    pqxx::nontransaction tx(*m_impl->conn);
    pqxx::result r = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
    Rows out;
    out.reserve(r.size());
    for (const auto& row : r) {
      std::vector<std::optional<std::string>> cells;
      for (const auto& f : row) cells.push_back(f.is_null() ? std::nullopt : std::optional<std::string>(f.c_str()));
      out.emplace_back(std::move(cells));
    }
    return out;
  });
}

std::string Client::describe() const {
  auto& c = *m_impl->conn;
  std::string h = c.hostname() ? c.hostname() : "";
  if (h.starts_with("/")) h = "socket " + h;
  return fmt::format("database {} as {} on {}:{}", c.dbname(), c.username(), h, c.port() ? c.port() : "");
}

}  // namespace db
