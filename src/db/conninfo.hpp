// Connection strings as the tool sends them to libpq.
#pragma once

#include <string>

namespace db {

// Adds fallback_application_name (and a connect_timeout of 10 s unless one is set) to conninfo,
// a URL or key=value pairs ("" for the libpq environment).
std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name);

// What a connection failure names as its target: the masked URL, or the libpq environment.
std::string describe_target(const std::string& conninfo);

}  // namespace db
