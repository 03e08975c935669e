#include "cli/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "core/secrets.hpp"

namespace cli {

void print_out(const std::string& text) {
  std::string safe = core::redact(text);
  std::fwrite(safe.data(), 1, safe.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void print_err(const std::string& text) {
  std::string safe = core::redact(text);
  std::fwrite(safe.data(), 1, safe.size(), stderr);
  std::fputc('\n', stderr);
}

void ConsoleReporter::progress(const std::string& line) {
  if (m_format == Format::text) print_out(line);
}

void ConsoleReporter::status(const std::string& line) {
  static const bool terminal = isatty(2);
  if (m_format != Format::text || !terminal) return;
  std::string out = "\r\033[K" + line;
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
}

void ConsoleReporter::notice(const std::string& line) {
  print_err(line);
  m_notices.push(core::redact(line));
}

bool ConsoleReporter::interactive() const { return isatty(0) && isatty(2); }

bool ConsoleReporter::confirm(const std::string& question) {
  if (!interactive()) return false;
  std::string q = core::redact(question) + " [y/N] ";
  std::fwrite(q.data(), 1, q.size(), stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

void print_error(const core::Error& error, Format format, const core::Json& details) {
  print_err(std::string("autocrm-migrate: error: ") + error.what());
  if (!error.hint().empty()) print_err("hint: " + error.hint());
  if (format == Format::json) {
    core::Json e = core::Json::object();
    e.set("exit_code", static_cast<int>(error.code())).set("message", core::redact(error.what()));
    e.set("hint", error.hint().empty() ? core::Json() : core::Json(error.hint()));
    if (details.size() > 0) e.set("sql", details);
    print_out(core::Json::object().set("error", e).dump());
  }
}

}  // namespace cli
