// A connection to PostgreSQL (libpqxx), with the server's notices collected and shown.
#pragma once

#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <string>
#include <vector>

struct pg_conn;

namespace db {

// Called for every NOTICE/WARNING the server sends, with the message text (no trailing newline).
using NoticeSink = std::function<void(const std::string&)>;

// One session with the server.
class Connection {
public:
  // Connects with conninfo (a URL, key=value pairs, or "" for the libpq environment); identifies the
  // tool through fallback_application_name. Throws core::Failure with a masked, clear message.
  Connection(const std::string& conninfo, const std::string& application_name, NoticeSink notices);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The libpqxx connection, for queries.
  pqxx::connection& pqxx() { return *m_conn; }
  // The libpq handle, for the pipeline executor (libpqxx 6 has no pipeline mode).
  pg_conn* raw() { return m_raw; }
  // Quotes an identifier (schema, table) for SQL text.
  std::string quote_name(const std::string& identifier) { return m_conn->quote_name(identifier); }
  // The server's version number, e.g. 150018.
  int server_version() const { return m_conn->server_version(); }
  // Database name, user and host as libpq resolved them (never the password).
  std::string describe() const;
  // True while the session is usable.
  bool alive() const;
  // The server process serving this session (pg_stat_activity.pid).
  int backend_pid() const;

private:
  class NoticeHandler;
  std::unique_ptr<pqxx::connection> m_conn;
  std::unique_ptr<NoticeHandler> m_notices;
  pg_conn* m_raw = nullptr;
};

// Adds fallback_application_name (and a connect_timeout of 10 s unless one is set) to conninfo.
std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name);

}  // namespace db
