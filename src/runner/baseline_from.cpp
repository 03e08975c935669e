// `baseline --from TOOL`: adopting a database that dbmate, golang-migrate, flyway or the Supabase
// CLI managed, from that tool's own ledger.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "db/foreign_ledger.hpp"
#include "runner/commands.hpp"
#include "runner/preamble.hpp"
#include "runner/write_helpers.hpp"

namespace runner {

namespace {

// What the other ledger and the files say together.
struct Adoption {
  std::vector<const core::Migration*> record;        // to record as applied
  std::vector<std::optional<std::string>> times;     // when the other tool applied each (or NULL)
  std::vector<std::string> other_only;               // applied per the other tool, no file here
  std::vector<std::string> not_applied;              // files the other tool never applied
  std::vector<std::string> already;                  // already in this ledger
};

Adoption match(const std::vector<core::PlanEntry>& plan, const db::ForeignLedger& other) {
  Adoption a;
  std::map<std::string, const db::ForeignEntry*> applied;
  for (const auto& e : other.applied) applied[e.version] = &e;
  for (const auto& e : plan) {
    if (e.state == core::EntryState::failed)
      throw core::Failure(fmt::format("migration {} failed; repair it before a baseline", e.version));
    auto it = applied.find(e.version);
    bool by_range = other.up_to && db::version_at_most(e.version, *other.up_to);
    if (!e.file) {
      continue;  // in this ledger without a file: status reports it
    }
    if (e.row) {
      if (it != applied.end() || by_range) a.already.push_back(e.version);
    } else if (it != applied.end() || by_range) {
      a.record.push_back(e.file);
      a.times.push_back(it != applied.end() ? it->second->applied_at : std::nullopt);
    } else {
      a.not_applied.push_back(e.version + "_" + e.name);
    }
    if (it != applied.end()) applied.erase(it);
  }
  for (const auto& [version, entry] : applied)
    a.other_only.push_back(entry->name.empty() ? version : version + " (" + entry->name + ")");
  return a;
}

core::Json strings_json(const std::vector<std::string>& items) {
  core::Json j = core::Json::array();
  for (const auto& s : items) j.push(s);
  return j;
}

}  // namespace

Outcome cmd_baseline_from(const core::Config& config, Reporter& reporter, const std::string& tool_name,
                          const std::string& table, const WriteOptions& opt) {
  auto tool = db::foreign_tool_named(tool_name);
  if (!tool)
    throw core::UsageError(fmt::format("baseline --from {}: unknown tool", tool_name),
                           "the tools are supabase, dbmate, golang-migrate, flyway");
  auto p = prepare_write(config, reporter, "baseline",
                         {.ensure_ledger = true, .adopt = true, .dry_run = opt.dry_run});
  auto other = db::read_foreign_ledger(p.session->db(), *tool, table);
  if (!other.problems.empty()) {
    std::string list;
    for (const auto& pr : other.problems) list += "\n  " + pr;
    throw core::Failure(fmt::format("{}'s ledger says a run did not finish; nothing was recorded:{}", tool_name, list),
                        "resolve it with that tool first, then run the baseline again");
  }
  Adoption a = match(p.plan, other);
  Outcome out;
  core::Json recorded = core::Json::array();
  for (std::size_t i = 0; i < a.record.size(); ++i)
    recorded.push(core::Json::object()
                      .set("version", a.record[i]->version)
                      .set("name", a.record[i]->name)
                      .set("checksum", a.record[i]->checksum)
                      .set("applied_at", a.times[i] ? core::Json(*a.times[i]) : core::Json()));
  out.report.set("command", "baseline").set("from", tool_name).set("table", other.table).set("dry_run", opt.dry_run);
  out.report.set("recorded", recorded).set("already_recorded", strings_json(a.already));
  out.report.set("only_in_other_ledger", strings_json(a.other_only)).set("not_applied", strings_json(a.not_applied));
  out.report.set("ignored_rows", strings_json(other.ignored));
  std::string verb = opt.dry_run ? "would record" : "recording";
  for (std::size_t i = 0; i < a.record.size(); ++i)
    reporter.progress(fmt::format("{} {}_{} as applied ({}{})", verb, a.record[i]->version, a.record[i]->name,
                                  a.record[i]->display_path(), a.times[i] ? ", applied " + *a.times[i] : ""));
  for (const auto& v : a.other_only)
    reporter.progress(fmt::format("warning: {} records {} as applied, but no migration file has that version", tool_name, v));
  for (const auto& v : a.not_applied)
    reporter.progress(fmt::format("note: {} is not applied according to {}: `up` will apply it", v, tool_name));
  for (const auto& v : other.ignored) reporter.progress(fmt::format("note: ignored in {}: {}", other.table, v));
  if (opt.dry_run || a.record.empty()) {
    if (a.record.empty()) reporter.progress("nothing to record");
    return out;
  }
  confirm_production(config, reporter, opt, *p.session,
                     fmt::format("record {} migration(s) as applied from {}'s ledger", a.record.size(), tool_name));
  p.session->ledger().record_baseline(a.record, p.session->applied_from(), a.times);
  reporter.progress(fmt::format("recorded {} migration(s) as applied (not run), as {}'s ledger {} says", a.record.size(),
                                tool_name, other.table));
  return out;
}

}  // namespace runner
