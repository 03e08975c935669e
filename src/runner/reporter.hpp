// How the runner talks to its user while it works: progress, server notices, confirmation.
#pragma once

#include <string>

namespace runner {

// Receives what happens during a command; the CLI implements it for text and JSON output.
class Reporter {
public:
  virtual ~Reporter() = default;
  // A step taken ("applying 2026..._init"); shown in text mode.
  virtual void progress(const std::string& line) = 0;
  // A transient status line ("replaying 5 of 19 migrations"), redrawn in place on a terminal and
  // shown nowhere else (not in JSON, not when stderr is not a terminal); "" clears it.
  virtual void status(const std::string& line) { (void)line; }
  // A NOTICE or WARNING from the server, always shown (on stderr).
  virtual void notice(const std::string& line) = 0;
  // Asks a yes/no question on a terminal; returns false when there is no terminal.
  virtual bool confirm(const std::string& question) = 0;
  // True when a person can answer confirm().
  virtual bool interactive() const = 0;
};

}  // namespace runner
