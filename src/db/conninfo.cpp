#include "db/conninfo.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/secrets.hpp"
#include "core/url.hpp"

namespace db {

std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name) {
  bool has_timeout = conninfo.find("connect_timeout") != std::string::npos || std::getenv("PGCONNECT_TIMEOUT");
  if (core::is_postgres_url(conninfo)) {
    std::string out = conninfo;
    char sep = out.find('?') == std::string::npos ? '?' : '&';
    out += fmt::format("{}fallback_application_name={}", sep, core::percent_encode(application_name, "-_."));
    if (!has_timeout) out += "&connect_timeout=10";
    return out;
  }
  std::string out = conninfo;
  if (!out.empty()) out += ' ';
  out += "fallback_application_name=" + core::quote_conninfo_value(application_name);
  if (!has_timeout) out += " connect_timeout=10";
  return out;
}

std::string describe_target(const std::string& conninfo) {
  return conninfo.empty() ? "the server named by the libpq environment (PGHOST, PGPORT...)"
                          : core::mask_password(conninfo);
}

}  // namespace db
