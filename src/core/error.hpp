// Errors the program reports to its user, each tied to a stable exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace core {

// Exit codes are part of the public interface: documented in README.md and stable.
enum class ExitCode : int {
  ok = 0,        // success
  failure = 1,   // a database, connection or migration failure
  usage = 2,     // bad usage, configuration or migration files
  problems = 3,  // status --exit-code, validate or check found problems
  sigint = 130,  // interrupted by SIGINT (Ctrl-C): the running migration was cancelled and rolled back
  sigterm = 143, // interrupted by SIGTERM, the same way
};

// An error with a user-facing message and the exit code it maps to.
class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string& message, std::string hint = {})
      : std::runtime_error(message), m_code(code), m_hint(std::move(hint)) {}

  // The exit code the program ends with when this error reaches the entry point.
  ExitCode code() const { return m_code; }
  // What the user can do next; may be empty.
  const std::string& hint() const { return m_hint; }
  // What --format json shows under "sql" for a failure the server reported (sqlstate, message,
  // file, line...); null for errors of the tool's own.
  virtual Json details() const { return {}; }

private:
  ExitCode m_code;
  std::string m_hint;
};

// Bad command line, configuration or migration files: nothing was touched (exit 2).
class UsageError : public Error {
public:
  explicit UsageError(const std::string& message, std::string hint = {})
      : Error(ExitCode::usage, message, std::move(hint)) {}
};

// A runtime failure: connection, lock, SQL, ledger state (exit 1).
class Failure : public Error {
public:
  explicit Failure(const std::string& message, std::string hint = {})
      : Error(ExitCode::failure, message, std::move(hint)) {}
};

// One error for several (each with its hint): "N migration files are invalid:\n..." with what
// (e.g. "migration files are invalid"); the error itself when there is one.
UsageError combine_errors(const std::vector<UsageError>& problems, const std::string& what);

// A writing command stopped by SIGINT or SIGTERM (exit 128 + the signal), saying what happened to
// the migration it was running.
class Interrupted : public Error {
public:
  Interrupted(int signal, const std::string& message, std::string hint = {});
};

}  // namespace core
