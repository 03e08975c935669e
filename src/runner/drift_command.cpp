#include "runner/drift_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <future>

#include "catalog/managed_schemas.hpp"
#include "db/client.hpp"
#include "db/schema_reader.hpp"
#include "runner/session.hpp"
#include "runner/shadow.hpp"

namespace runner {

namespace {

db::SchemaScope scope_of(const core::Config& config) {
  db::SchemaScope scope{catalog::managed_schemas(), {}};
  scope.excluded_schemas.push_back(config.ledger_schema());
  scope.ignored_tables = config.ignore_tables();
  return scope;
}

}  // namespace

DriftOutcome drift_of(const core::Config& config, Reporter& reporter, db::Queryable& target, db::Ledger& ledger) {
  auto start = std::chrono::steady_clock::now();
  DriftOutcome out;
  if (!ledger.exists())
    throw core::Failure(fmt::format("{} has no ledger: no migration was applied to it by autocrm-migrate, so there "
                                    "is nothing to compare it with",
                                    target.describe()),
                        "adopt it with `baseline` (or `baseline --from TOOL`) first, then run drift");
  auto recorded = ledger.recorded_ups();
  auto steps = replay_steps(recorded, config, reporter);
  auto scope = scope_of(config);
  // The target's catalog is read on its own session while the shadow is replayed and read: two
  // servers' (or two databases') work at once instead of one after the other.
  auto actual_read = std::async(std::launch::async, [&] { return db::read_schema_objects(target, scope); });
  struct WaitFor {  // never leaves the reader running on target after an exception
    std::future<catalog::SchemaObjects>& f;
    ~WaitFor() {
      if (f.valid()) f.wait();
    }
  } wait_for{actual_read};
  ShadowDatabase shadow(config, reporter, steps, [&](std::size_t done, std::size_t total) {
    reporter.status(fmt::format("drift: replaying the applied migrations on the shadow database: {} of {}", done, total));
  });
  reporter.status("drift: comparing the catalogs");
  auto expected = db::read_schema_objects(shadow.client(), scope);
  reporter.status("");
  auto actual = actual_read.get();
  // An `up` or `down` that committed meanwhile would show as drift: compare what the ledger says now.
  auto versions = [](const std::vector<db::RecordedUp>& rows) {
    std::vector<std::string> v;
    for (const auto& r : rows) v.push_back(r.version + " " + r.state + " " + r.checksum);
    return v;
  };
  if (versions(ledger.recorded_ups()) != versions(recorded))
    throw core::Failure("the ledger changed while drift compared (a migration was applied or reverted meanwhile)",
                        "run drift again");
  out.differences = drift::compare(expected, actual);
  out.shadow = shadow.description();
  out.replayed = steps.size();
  for (const auto& step : steps) out.from_ledger += step.from_ledger ? 1 : 0;
  out.reused = shadow.reused();
  out.queries = db::schema_query_count();
  out.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (!out.differences.empty()) out.code = core::ExitCode::problems;
  return out;
}

DriftOutcome cmd_drift(const core::Config& config, Reporter& reporter) {
  ReadSession s(config, reporter, "drift");
  auto out = drift_of(config, reporter, s.db(), s.ledger());
  out.target = s.target().display;
  return out;
}

core::Json drift_json(const DriftOutcome& out) {
  core::Json diffs = core::Json::array();
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& d : out.differences) {
    diffs.push(drift::to_json(d));
    ++counts[static_cast<int>(d.change)];
  }
  core::Json summary = core::Json::object();
  summary.set("differences", out.differences.size())
      .set("missing", counts[0])
      .set("extra", counts[1])
      .set("changed", counts[2])
      .set("migrations_replayed", out.replayed)
      .set("replayed_from_ledger", out.from_ledger)
      .set("replay_reused", out.reused)
      .set("catalog_queries_per_database", out.queries)
      .set("elapsed_ms", out.elapsed_ms);
  core::Json j = core::Json::object();
  j.set("command", "drift").set("target", out.target).set("shadow", out.shadow).set("differences", diffs);
  j.set("summary", summary);
  return j;
}

}  // namespace runner
