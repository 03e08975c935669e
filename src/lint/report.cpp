#include "lint/report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.hpp"

namespace lint {

using core::Json;
using core::level_name;

namespace {

using core::github_escape;
core::LevelCounts count(const std::vector<Finding>& findings) { return core::count_levels(findings); }

// Spaces (tabs where the line has tabs) up to column, so the caret sits under it.
std::string caret_padding(const std::string& line, int column) {
  std::string pad;
  for (int i = 0; i + 1 < column && static_cast<std::size_t>(i) < line.size(); ++i)
    pad += line[static_cast<std::size_t>(i)] == '\t' ? '\t' : ' ';
  return pad;
}

}  // namespace

std::string format_text(const std::vector<Finding>& findings, const LintStats& stats, Level fail_on, bool color) {
  auto paint = [&](const std::string& text, const char* code) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
  };
  std::string out;
  for (const auto& f : findings) {
    if (f.suppressed) continue;
    const char* code = f.level == Level::error ? "31" : f.level == Level::warning ? "33" : "36";
    out += fmt::format("{}:{}:{}: {} {}: {}\n", f.file, f.line, f.column, paint(level_name(f.level), code), f.rule,
                       f.message);
    out += fmt::format("  {}\n  {}^\n", f.source_line, caret_padding(f.source_line, f.column));
    out += fmt::format("  fix: {}\n", f.remediation);
  }
  auto c = count(findings);
  bool failed = fails(findings, fail_on);
  out += (failed ? paint("FAILED", "31;1") : paint("PASSED", "32;1")) +
         fmt::format(" (fail on {}): {} error(s), {} warning(s), {} info, {} suppressed; linted {} file(s), {} "
                     "statement(s) in {} ms\n",
                     level_name(fail_on), c.error, c.warning, c.info, c.suppressed, stats.files, stats.statements,
                     stats.elapsed_ms);
  return out;
}

Json format_json(const std::vector<Finding>& findings, const LintStats& stats, Level fail_on) {
  Json list = Json::array();
  for (const auto& f : findings) {
    Json j = Json::object();
    j.set("rule", f.rule).set("level", level_name(f.level)).set("file", f.file).set("line", f.line);
    j.set("column", f.column).set("message", f.message).set("remediation", f.remediation);
    Json equivalents = Json::array();
    if (const Rule* rule = find_rule(f.rule))
      for (auto& e : equivalents_of(*rule)) equivalents.push(e);
    j.set("equivalents", equivalents);
    j.set("suppressed", f.suppressed).set("reason", f.suppressed ? Json(f.suppression_reason) : Json());
    list.push(j);
  }
  auto c = count(findings);
  Json summary = Json::object();
  summary.set("errors", c.error).set("warnings", c.warning).set("info", c.info).set("suppressed", c.suppressed);
  summary.set("files", static_cast<long>(stats.files)).set("statements", static_cast<long>(stats.statements));
  summary.set("elapsed_ms", stats.elapsed_ms);
  summary.set("fail_on", level_name(fail_on)).set("failed", fails(findings, fail_on));
  Json out = Json::object();
  out.set("command", "lint").set("findings", list).set("summary", summary);
  return out;
}

std::string format_github(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    if (f.suppressed) continue;
    const char* command = f.level == Level::error ? "error" : f.level == Level::warning ? "warning" : "notice";
    out += fmt::format("::{} file={},line={},col={},title={}::{}\n", command, github_escape(f.file, true), f.line,
                       f.column, github_escape("autocrm-migrate " + f.rule, true),
                       github_escape(fmt::format("{} Fix: {}", f.message, f.remediation), false));
  }
  return out;
}

core::Json format_sarif(const std::vector<Finding>& findings, const std::vector<Rule>& extra_rules) {
  core::Json rules_json = core::Json::array();
  std::vector<Rule> all = rules();
  all.insert(all.end(), extra_rules.begin(), extra_rules.end());
  for (const auto& r : all) {
    core::Json tags = core::Json::array();
    for (const auto& e : equivalents_of(r)) tags.push(e);
    const char* level = r.level == Level::error ? "error" : r.level == Level::warning ? "warning" : "note";
    rules_json.push(core::Json::object()
                        .set("id", r.id)
                        .set("shortDescription", core::Json::object().set("text", r.summary))
                        .set("help", core::Json::object().set("text", r.remediation))
                        .set("defaultConfiguration", core::Json::object().set("level", level))
                        .set("properties", core::Json::object().set("equivalents", tags)));
  }
  core::Json results = core::Json::array();
  for (const auto& f : findings) {
    if (f.suppressed) continue;
    const char* level = f.level == Level::error ? "error" : f.level == Level::warning ? "warning" : "note";
    core::Json region = core::Json::object().set("startLine", f.line).set("startColumn", std::max(f.column, 1));
    core::Json location = core::Json::object().set(
        "physicalLocation", core::Json::object()
                                .set("artifactLocation", core::Json::object().set("uri", f.file))
                                .set("region", region));
    results.push(core::Json::object()
                     .set("ruleId", f.rule)
                     .set("level", level)
                     .set("message", core::Json::object().set("text", f.message + " Fix: " + f.remediation))
                     .set("locations", core::Json::array().push(location)));
  }
  core::Json driver = core::Json::object()
                          .set("name", "autocrm-migrate")
                          .set("informationUri", "https://github.com/autocrm/autocrm-migrate/blob/main/docs/lint.md")
                          .set("rules", rules_json);
  core::Json run = core::Json::object().set("tool", core::Json::object().set("driver", driver)).set("results", results);
  return core::Json::object()
      .set("version", "2.1.0")
      .set("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
      .set("runs", core::Json::array().push(run));
}

}  // namespace lint
