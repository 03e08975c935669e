// Printing: text or JSON, with every secret redacted, and the reporter commands talk through.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "runner/reporter.hpp"

namespace cli {

// The output format chosen with --format.
enum class Format { text, json };

// Prints progress (text mode) and server notices (stderr), and asks questions on a terminal.
class ConsoleReporter : public runner::Reporter {
public:
  explicit ConsoleReporter(Format format) : m_format(format) {}
  void progress(const std::string& line) override;
  void status(const std::string& line) override;
  void notice(const std::string& line) override;
  bool confirm(const std::string& question) override;
  bool interactive() const override;
  // The notices seen so far, for JSON reports.
  const core::Json& notices() const { return m_notices; }

private:
  Format m_format;
  core::Json m_notices = core::Json::array();
};

// Writes text to stdout with secrets redacted.
void print_out(const std::string& text);
// Writes text to stderr with secrets redacted.
void print_err(const std::string& text);

// Prints an error: "autocrm-migrate: error: ..." and its hint on stderr; in JSON mode also
// {"error": {...}} on stdout.
void print_error(const core::Error& error, Format format, const core::Json& details);

}  // namespace cli
