#include "check/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "check/rule.hpp"
#include "core/text.hpp"

namespace check {

using core::Json;
using core::level_name;

namespace {

using Counts = core::LevelCounts;
Counts count(const std::vector<Finding>& findings) { return core::count_levels(findings); }

std::string summary_line(const std::vector<Finding>& findings, const CheckStats& stats) {
  Counts c = count(findings);
  return fmt::format("{} error(s), {} warning(s), {} info, {} suppressed; checked {} tables, {} policies, {} triggers, "
                     "{} indexes, {} functions with {} queries in {} ms{}",
                     c.error, c.warning, c.info, c.suppressed, stats.tables, stats.policies, stats.triggers,
                     stats.indexes, stats.functions, stats.queries, stats.elapsed_ms,
                     stats.declaration ? ""
                                       : fmt::format("; no declaration: {} rules that need one were skipped",
                                                     stats.skipped_rules.size()));
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t') out += ' ';
        else out += ch;
    }
  }
  return out;
}

}  // namespace

std::string format_text(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on, bool color) {
  auto paint = [&](const std::string& text, const char* code) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
  };
  std::string out;
  std::map<std::string, std::vector<const Finding*>> by_category;
  std::vector<std::string> order;
  for (const auto& rule : rules()) {
    if (std::find(order.begin(), order.end(), rule.category) == order.end()) order.emplace_back(rule.category);
  }
  std::vector<const Finding*> suppressed;
  for (const auto& f : findings) {
    if (f.suppressed) suppressed.push_back(&f);
    else by_category[find_rule(f.rule) ? find_rule(f.rule)->category : "other"].push_back(&f);
  }
  for (const auto& category : order) {
    auto it = by_category.find(category);
    if (it == by_category.end()) continue;
    out += paint(fmt::format("{} ({})", category, it->second.size()), "1") + "\n";
    for (const auto* f : it->second) {
      const char* code = f->level == Level::error ? "31" : f->level == Level::warning ? "33" : "36";
      out += fmt::format("  {} {} {}: {}\n", paint(fmt::format("{:<7}", level_name(f->level)), code), f->rule,
                         f->object, f->message);
      out += fmt::format("          fix: {}\n", f->remediation);
    }
  }
  if (!suppressed.empty()) {
    out += paint(fmt::format("suppressed ({})", suppressed.size()), "1") + "\n";
    for (const auto* f : suppressed)
      out += fmt::format("  {} {} {}: {}\n          reason: {}\n", level_name(f->level), f->rule, f->object, f->message,
                         f->suppression_reason);
  }
  bool failed = fails(findings, fail_on);
  out += (failed ? paint("FAILED", "31;1") : paint("PASSED", "32;1")) +
         fmt::format(" (fail on {}): {}\n", level_name(fail_on), summary_line(findings, stats));
  return out;
}

Json format_json(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on) {
  Json list = Json::array();
  for (const auto& f : findings) {
    Json j = Json::object();
    j.set("rule", f.rule).set("level", level_name(f.level)).set("object", f.object).set("message", f.message);
    j.set("remediation", f.remediation).set("suppressed", f.suppressed);
    Json equivalents = Json::array();
    if (const Rule* rule = find_rule(f.rule)) {
      std::string all = rule->equivalents;
      for (std::size_t pos = 0; pos < all.size();) {
        auto next = all.find(' ', pos);
        equivalents.push(all.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        pos = next == std::string::npos ? all.size() : next + 1;
      }
    }
    j.set("equivalents", equivalents);
    j.set("reason", f.suppressed ? Json(f.suppression_reason) : Json());
    list.push(j);
  }
  Counts c = count(findings);
  Json summary = Json::object();
  summary.set("errors", c.error).set("warnings", c.warning).set("info", c.info).set("suppressed", c.suppressed);
  summary.set("tables", static_cast<long>(stats.tables)).set("policies", static_cast<long>(stats.policies));
  summary.set("triggers", static_cast<long>(stats.triggers)).set("indexes", static_cast<long>(stats.indexes));
  summary.set("queries", stats.queries).set("elapsed_ms", static_cast<long long>(stats.elapsed_ms));
  summary.set("fail_on", level_name(fail_on)).set("failed", fails(findings, fail_on));
  summary.set("declaration", stats.declaration);
  Json skipped = Json::array();
  for (const auto& r : stats.skipped_rules) skipped.push(r);
  summary.set("skipped_rules", skipped);
  Json out = Json::object();
  out.set("command", "check").set("findings", list).set("summary", summary);
  return out;
}

std::string format_junit(const std::vector<Finding>& findings, const CheckStats& stats, Level fail_on) {
  std::map<std::string, std::vector<const Finding*>> by_rule;
  for (const auto& f : findings) by_rule[f.rule].push_back(&f);
  int failures = 0;
  std::string cases;
  for (const auto& rule : rules()) {
    const auto& list = by_rule[rule.id];
    cases += fmt::format("    <testcase classname=\"autocrm-migrate.check.{}\" name=\"{}\">\n", rule.category, rule.id);
    std::string out_text;
    for (const auto* f : list) {
      std::string text = fmt::format("{}: {} (fix: {})", f->object, f->message, f->remediation);
      if (!f->suppressed && f->level >= fail_on) {
        ++failures;
        cases += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", level_name(f->level),
                             xml_escape(f->object + ": " + f->message), xml_escape(text));
      } else {
        out_text += fmt::format("{} {}{}\n", level_name(f->level), text,
                                f->suppressed ? " [suppressed: " + f->suppression_reason + "]" : "");
      }
    }
    if (!out_text.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", xml_escape(out_text));
    cases += "    </testcase>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"autocrm-migrate "
                     "check\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n{}  </testsuite>\n"
                     "</testsuites>\n",
                     rules().size(), failures, static_cast<double>(stats.elapsed_ms) / 1000.0, cases);
}

std::string format_github(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    if (f.suppressed) continue;
    const char* command = f.level == Level::error ? "error" : f.level == Level::warning ? "warning" : "notice";
    out += fmt::format("::{} title={}::{}\n", command, core::github_escape("autocrm-migrate " + f.rule, true),
                       core::github_escape(fmt::format("{}: {} Fix: {}", f.object, f.message, f.remediation), false));
  }
  return out;
}

}  // namespace check
