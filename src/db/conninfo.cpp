#include "db/conninfo.hpp"

#include <fmt/format.h>

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "core/error.hpp"

#include "core/secrets.hpp"
#include "core/url.hpp"

namespace db {

namespace {

// What the tool adds when the user did not set it: a connect timeout, and TCP keepalives that find a
// silently cut network within about 25 s (10 s idle, then 3 probes 5 s apart) instead of hours.
const std::pair<const char*, const char*> k_defaults[] = {
    {"connect_timeout", "10"}, {"keepalives", "1"}, {"keepalives_idle", "10"},
    {"keepalives_interval", "5"}, {"keepalives_count", "3"}};

const char* env_of(const char* key) {
  if (std::string_view(key) == "connect_timeout") return "PGCONNECT_TIMEOUT";
  return nullptr;
}

}  // namespace

std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name) {
  bool url = core::is_postgres_url(conninfo);
  std::string out = conninfo;
  auto add = [&](const char* key, const std::string& value) {
    if (url) out += fmt::format("{}{}={}", out.find('?') == std::string::npos ? '?' : '&', key, value);
    else out += fmt::format("{}{}={}", out.empty() ? "" : " ", key, value);
  };
  add("fallback_application_name",
      url ? core::percent_encode(application_name, "-_.") : core::quote_conninfo_value(application_name));
  for (const auto& [key, value] : k_defaults) {
    const char* env = env_of(key);
    if (conninfo.find(key) != std::string::npos || (env && std::getenv(env))) continue;
    add(key, value);
  }
  return out;
}

std::string with_database(const std::string& conninfo, const std::string& dbname) {
  if (core::is_postgres_url(conninfo))
    return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "dbname=" +
           core::percent_encode(dbname, "-_.");
  return conninfo + (conninfo.empty() ? "" : " ") + "dbname=" + core::quote_conninfo_value(dbname);
}

ProgramConnection for_program(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfoParse(conninfo.c_str(), &error),
                                                                         PQconninfoFree);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw core::UsageError("cannot parse the connection string " + core::mask_password(conninfo) + ": " + message);
  }
  ProgramConnection out;
  for (auto* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    std::string key = o->keyword;
    if (key == "password") {
      out.password = o->val;
      continue;
    }
    out.conninfo += (out.conninfo.empty() ? "" : " ") + key + "=" + core::quote_conninfo_value(o->val);
  }
  return out;
}

std::string describe_target(const std::string& conninfo) {
  return conninfo.empty() ? "the server named by the libpq environment (PGHOST, PGPORT...)"
                          : core::mask_password(conninfo);
}

}  // namespace db
