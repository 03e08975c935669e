#include "db/connection.hpp"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace db {

namespace {

// libpqxx 6 hands out the libpq handle only to large objects; this reaches it the same way.
struct RawConnectionAccess : pqxx::largeobject {
  static pg_conn* get(const pqxx::dbtransaction& tx) { return pqxx::largeobject::raw_connection(tx); }
};

bool is_url(const std::string& s) { return s.starts_with("postgresql://") || s.starts_with("postgres://"); }

std::string quote_conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

class Connection::NoticeHandler : public pqxx::errorhandler {
public:
  NoticeHandler(pqxx::connection_base& c, NoticeSink sink) : pqxx::errorhandler(c), m_sink(std::move(sink)) {}
  bool operator()(const char msg[]) noexcept override {
    try {
      if (m_sink) m_sink(std::string(core::trim(msg)));
    } catch (...) {
    }
    return false;
  }

private:
  NoticeSink m_sink;
};

std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name) {
  bool has_timeout = conninfo.find("connect_timeout") != std::string::npos || std::getenv("PGCONNECT_TIMEOUT");
  if (is_url(conninfo)) {
    std::string out = conninfo;
    char sep = out.find('?') == std::string::npos ? '?' : '&';
    std::string encoded;
    for (unsigned char c : application_name) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') encoded += static_cast<char>(c);
      else encoded += fmt::format("%{:02X}", c);
    }
    out += fmt::format("{}fallback_application_name={}", sep, encoded);
    if (!has_timeout) out += "&connect_timeout=10";
    return out;
  }
  std::string out = conninfo;
  if (!out.empty()) out += ' ';
  out += "fallback_application_name=" + quote_conninfo_value(application_name);
  if (!has_timeout) out += " connect_timeout=10";
  return out;
}

Connection::Connection(const std::string& conninfo, const std::string& application_name, NoticeSink notices) {
  try {
    m_conn = std::make_unique<pqxx::connection>(with_connection_defaults(conninfo, application_name));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    // A silent reconnect would drop the session's advisory lock: never reconnect behind our back.
    m_conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    m_notices = std::make_unique<NoticeHandler>(*m_conn, std::move(notices));
    pqxx::read_transaction tx(*m_conn);
    m_raw = RawConnectionAccess::get(tx);
    tx.commit();
    // A killed tool must not leave its session working on: without this the server finds out that
    // the client is gone only when it next writes to it, so a migration waiting for a lock or
    // running a long statement would go on holding its locks, then commit (it got every statement
    // and the commit in one pipeline) as if nobody had stopped it. The server checks the socket
    // every second while a statement runs (PostgreSQL 14+), and rolls back when the client is gone.
    if (m_conn->server_version() >= 140000) {
      pqxx::nontransaction nt(*m_conn);
      nt.exec("select set_config('client_connection_check_interval', '1000', false) "
              "where current_setting('client_connection_check_interval') = '0'");
    }
  } catch (const pqxx::broken_connection& e) {
    std::string target = conninfo.empty() ? "the server named by the libpq environment (PGHOST, PGPORT...)"
                                          : core::mask_password(conninfo);
    throw core::Failure(fmt::format("cannot connect to {}: {}", target, core::redact(core::trim(e.what()))),
                        "check that the server runs and the URL (database_url, DATABASE_URL) is right");
  } catch (const pqxx::sql_error& e) {
    throw core::Failure(fmt::format("cannot start a session: {}", core::redact(core::trim(e.what()))));
  }
}

Connection::~Connection() = default;

std::string Connection::describe() const {
  const char* host = PQhost(m_raw);
  std::string h = host ? host : "";
  if (h.starts_with("/")) h = "socket " + h;
  return fmt::format("database {} as {} on {}:{}", PQdb(m_raw), PQuser(m_raw), h, PQport(m_raw));
}

int Connection::backend_pid() const { return m_raw ? PQbackendPID(m_raw) : 0; }

bool Connection::alive() const { return m_raw && PQstatus(m_raw) == CONNECTION_OK; }

}  // namespace db
