// Planning: files joined with ledger rows, and what up and down select.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/plan.hpp"

namespace {

core::Migration file(const std::string& version, const std::string& checksum = "c") {
  core::Migration m;
  m.version = version;
  m.name = "m" + version.substr(12);
  m.path = "migrations/" + version + "_" + m.name + ".sql";
  m.checksum = checksum;
  m.up.present = m.down.present = true;
  return m;
}

core::LedgerRow row(const std::string& version, const std::string& checksum = "c", const std::string& state = "applied") {
  core::LedgerRow r;
  r.version = version;
  r.name = "m" + version.substr(12);
  r.checksum = checksum;
  r.state = state;
  return r;
}

std::vector<std::string> versions(const std::vector<const core::PlanEntry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries) out.push_back(e->version);
  return out;
}

}  // namespace

TEST_CASE("states: applied / pending / out-of-order / changed / missing / failed") {
  std::vector<core::Migration> files{file("20260101000001"), file("20260101000002", "new"), file("20260101000003"),
                                     file("20260101000005"), file("20260101000006")};
  std::vector<core::LedgerRow> rows{row("20260101000001"), row("20260101000002"), row("20260101000004"),
                                    row("20260101000005", "c", "failed")};
  auto plan = core::build_plan(files, rows);
  REQUIRE(plan.size() == 6);
  CHECK(plan[0].state == core::EntryState::applied);
  CHECK(plan[1].state == core::EntryState::changed);
  CHECK(plan[2].state == core::EntryState::out_of_order);
  CHECK(plan[3].state == core::EntryState::missing);
  CHECK(plan[4].state == core::EntryState::failed);
  CHECK(plan[5].state == core::EntryState::pending);
  auto s = core::summarize(plan);
  CHECK(s.applied == 1);
  CHECK(s.changed == 1);
  CHECK(s.out_of_order == 1);
  CHECK(s.missing == 1);
  CHECK(s.failed == 1);
  CHECK(s.pending == 1);
  CHECK_FALSE(s.clean());
}

TEST_CASE("up selects pending in order / honours --to and --step") {
  std::vector<core::Migration> files{file("20260101000001"), file("20260101000002"), file("20260101000003")};
  auto plan = core::build_plan(files, {row("20260101000001")});
  CHECK(versions(core::select_up(plan, {})) == std::vector<std::string>{"20260101000002", "20260101000003"});
  CHECK(versions(core::select_up(plan, {.to = "20260101000002"})) == std::vector<std::string>{"20260101000002"});
  CHECK(versions(core::select_up(plan, {.step = 1})) == std::vector<std::string>{"20260101000002"});
  CHECK_THROWS_WITH_AS(core::select_up(plan, {.to = "20990101000000"}),
                       "--to 20990101000000: no migration has this version", core::UsageError);
}

TEST_CASE("up refuses failed / changed and out-of-order unless allowed") {
  std::vector<core::Migration> files{file("20260101000001", "edited"), file("20260101000002")};
  auto changed = core::build_plan(files, {row("20260101000001")});
  CHECK_THROWS_WITH_AS(core::select_up(changed, {}),
                       "applied migrations changed since they were applied: "
                       "migrations/20260101000001_m01.sql; nothing was applied",
                       core::Failure);
  CHECK(versions(core::select_up(changed, {.allow_changed = true})) == std::vector<std::string>{"20260101000002"});

  std::vector<core::Migration> gap{file("20260101000001"), file("20260101000002")};
  auto ooo = core::build_plan(gap, {row("20260101000002")});
  CHECK_THROWS_AS(core::select_up(ooo, {}), core::Failure);
  CHECK(versions(core::select_up(ooo, {.allow_out_of_order = true})) == std::vector<std::string>{"20260101000001"});

  auto failed = core::build_plan(gap, {row("20260101000001", "c", "failed")});
  CHECK_THROWS_WITH_AS(core::select_up(failed, {}),
                       "migration 20260101000001_m01 failed part-way outside a transaction; nothing was applied",
                       core::Failure);
}

TEST_CASE("down selects applied newest first: --step / --to / --all - refuses irreversible") {
  std::vector<core::Migration> files{file("20260101000001"), file("20260101000002"), file("20260101000003")};
  auto plan = core::build_plan(files, {row("20260101000001"), row("20260101000002"), row("20260101000003")});
  CHECK(versions(core::select_down(plan, {})) == std::vector<std::string>{"20260101000003"});
  CHECK(versions(core::select_down(plan, {.step = 2})) == std::vector<std::string>{"20260101000003", "20260101000002"});
  CHECK(versions(core::select_down(plan, {.to = "20260101000001"})) ==
        std::vector<std::string>{"20260101000003", "20260101000002"});
  CHECK(versions(core::select_down(plan, {.all = true})).size() == 3);
  CHECK(versions(core::select_down(plan, {.to = "0"})).size() == 3);

  auto irreversible = row("20260101000003");
  irreversible.irreversible = true;
  files[2].down.irreversible = true;
  auto plan2 = core::build_plan(files, {row("20260101000001"), irreversible});
  CHECK_THROWS_WITH_AS(core::select_down(plan2, {.all = true}),
                       "migration 20260101000003_m03 is irreversible (its file says '-- migrate:down irreversible'); "
                       "nothing was reverted",
                       core::Failure);

  // An up-only file (the Supabase CLI's format) has no down section: said so, with what to do.
  files[2].down = core::Section{};
  auto plan3 = core::build_plan(files, {row("20260101000001"), irreversible});
  CHECK_THROWS_WITH_AS(core::select_down(plan3, {.all = true}),
                       "migration 20260101000003_m03 has no down section (migrations/20260101000003_m03.sql is up-only, "
                       "as the Supabase CLI writes migrations); nothing was reverted",
                       core::Failure);
}

TEST_CASE("a missing file can still be reverted from the ledger") {
  auto plan = core::build_plan({}, {row("20260101000001")});
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].state == core::EntryState::missing);
  CHECK(versions(core::select_down(plan, {})) == std::vector<std::string>{"20260101000001"});
}
