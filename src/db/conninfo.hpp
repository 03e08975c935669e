// Connection strings as the tool sends them to libpq.
#pragma once

#include <string>

namespace db {

// Adds fallback_application_name (and a connect_timeout of 10 s unless one is set) to conninfo,
// a URL or key=value pairs ("" for the libpq environment).
std::string with_connection_defaults(const std::string& conninfo, const std::string& application_name);

// conninfo with its database replaced by dbname (a URL gets a dbname parameter, which libpq
// applies over the path; key=value pairs get a later dbname, which wins).
std::string with_database(const std::string& conninfo, const std::string& dbname);

// A connection for another program (pg_dump): key=value conninfo without the password, and the
// password apart, to hand over in PGPASSWORD instead of the command line.
struct ProgramConnection {
  std::string conninfo;
  std::string password;  // "" when none
};
// Splits conninfo ("" for the libpq environment) with libpq's own parser; throws core::UsageError
// when libpq cannot parse it.
ProgramConnection for_program(const std::string& conninfo);

// What a connection failure names as its target: the masked URL, or the libpq environment.
std::string describe_target(const std::string& conninfo);

}  // namespace db
