#include "db/conninfo.hpp"

#include <fmt/format.h>

#include <cstdlib>

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

std::string describe_target(const std::string& conninfo) {
  return conninfo.empty() ? "the server named by the libpq environment (PGHOST, PGPORT...)"
                          : core::mask_password(conninfo);
}

}  // namespace db
