#include "cli/text_report.hpp"

#include <fmt/format.h>

#include "cli/output.hpp"

namespace cli {

namespace {

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

void print_status(const core::Json& r) {
  print_out(fmt::format("ledger {} on {}", r["ledger"].text(), r["target"].text()));
  std::size_t width = 4;
  for (const auto& m : r["migrations"].elements()) width = std::max(width, m["name"].text().size());
  print_out(fmt::format("{}  {}  {}  {}", pad("version", 14), pad("name", width), pad("state", 12), "applied at"));
  for (const auto& m : r["migrations"].elements()) {
    std::string line = fmt::format("{}  {}  {}  {}", m["version"].text(), pad(m["name"].text(), width),
                                   pad(m["state"].text(), 12), m["applied_at"].text());
    if (!m["error"].is_null()) line += "\n    " + m["error"].text();
    print_out(line);
  }
  const core::Json& s = r["summary"];
  std::vector<std::string> parts;
  for (const char* k : {"applied", "pending", "out_of_order", "changed", "missing", "failed"})
    if (s[k].integer() > 0 || std::string(k) == "applied") parts.push_back(fmt::format("{} {}", s[k].integer(), k));
  print_out(fmt::format("{}{}", fmt::join(parts, ", "), r["clean"].boolean() ? " (clean)" : ""));
  // Every invalid index, once: those a failed row already names are not repeated.
  for (const auto& i : r["invalid_indexes"].elements()) {
    bool named = false;
    for (const auto& m : r["migrations"].elements())
      named = named || m["error"].text().find(i["advice"].text()) != std::string::npos;
    if (!named)
      print_out(fmt::format("invalid index {} (on {}): never used, slows every write: {}", i["index"].text(),
                            i["table"].text(), i["advice"].text()));
  }
}

void print_validate(const core::Json& r) {
  for (const auto& n : r["notes"].elements()) print_out("note: " + n.text());
  for (const auto& w : r["warnings"].elements()) print_out("warning: " + w.text());
  for (const auto& p : r["problems"].elements())
    print_out(fmt::format("{}: {}", p["file"].is_null() ? p["version"].text() + "_" + p["name"].text() : p["file"].text(),
                          p["message"].text()));
  if (r["valid"].boolean()) print_out(fmt::format("{} migration files valid", r["files"].integer()));
  else print_out(fmt::format("{} problem(s)", r["problems"].elements().size()));
}

void print_config(const core::Json& r) {
  print_out(fmt::format("file: {}", r["file"].is_null() ? "(none)" : r["file"].text()));
  print_out(fmt::format("env: {}", r["env"].is_null() ? "(none)" : r["env"].text()));
  print_out(fmt::format("target: {}", r["target"].text()));
  std::size_t width = 0;
  for (const auto& v : r["values"].elements()) width = std::max(width, v["key"].text().size());
  for (const auto& v : r["values"].elements())
    print_out(fmt::format("{} = {}  ({})", pad(v["key"].text(), width), v["value"].text(), v["origin"].text()));
}

void print_dev(const core::Json& r) {
  const core::Json& c = r["cluster"];
  if (r["command"].text() == "dev url") {
    print_out(c["url"].text());
    return;
  }
  print_out(fmt::format("embedded PostgreSQL: {}", c["running"].boolean() ? "running" : "stopped"));
  print_out(fmt::format("url:  {}", c["url"].text()));
  print_out(fmt::format("data: {}", c["data"].text()));
  print_out(fmt::format("log:  {}", c["log"].text()));
}

void print_new(const core::Json& r) { print_out(fmt::format("created {}", r["path"].text())); }

}  // namespace cli
