#include "core/section_check.hpp"

#include <fmt/format.h>

#include "core/migration.hpp"
#include "core/sql_classify.hpp"

namespace core {

namespace {

bool ends_transaction_wrapper(TxControl tx) { return tx == TxControl::commit; }

// Savepoints stay inside the tool's transaction; every other transaction control ends or leaves it.
bool allowed_in_transaction(TxControl tx) {
  return tx == TxControl::none || tx == TxControl::savepoint || tx == TxControl::release ||
         tx == TxControl::rollback_to;
}

std::string marker(const SectionRun& run) { return fmt::format("-- migrate:{} transaction:false", run.direction); }

// Strips a BEGIN ... COMMIT that wraps the whole section; returns whether it did.
bool strip_wrapper(StatementList& list) {
  if (list.items.size() < 2 || classify_statement(list.items.front().sql).tx != TxControl::begin ||
      !ends_transaction_wrapper(classify_statement(list.items.back().sql).tx))
    return false;
  list.wrapper_begin = list.items.front().sql;
  list.items.erase(list.items.end() - 1);
  list.items.erase(list.items.begin());
  return true;
}

// The statements that are not plain, with their index: few, however long the section.
using Notable = std::vector<std::pair<std::size_t, StatementFacts>>;

struct Checker {
  const StatementList& list;
  const SectionRun& run;
  SectionReport report;

  std::string at(std::size_t i) const { return fmt::format("{}:{}", run.file, list[i].line); }

  void transaction_rules(std::size_t i, const StatementFacts& f) {
    if (!run.transactional) return;
    if (!allowed_in_transaction(f.tx))
      report.errors.emplace_back(
          fmt::format("{}: {} inside a transactional section: the tool runs the section in one transaction with its "
                      "ledger row, which this would end or leave",
                      at(i), tx_control_name(f.tx)),
          fmt::format("remove it (a section wrapped whole in BEGIN ... COMMIT is fine), or put '{}' on the marker to "
                      "manage transactions yourself",
                      marker(run)));
    if (!f.no_transaction_block.empty())
      report.errors.emplace_back(
          fmt::format("{}: {} cannot run inside a transaction block, and this section runs in one", at(i),
                      f.no_transaction_block),
          fmt::format("move it to a migration of its own whose marker line says '{}'", marker(run)));
  }

  void lock_rules(std::size_t i, const StatementFacts& f) {
    if (!f.releases_all_locks.empty())
      report.errors.emplace_back(
          fmt::format("{}: {} releases every advisory lock of the session, the tool's migration lock included: "
                      "another run could start while this one applies",
                      at(i), f.releases_all_locks),
          f.releases_all_locks == "DISCARD ALL" ? "reset what you need with RESET ALL, DISCARD PLANS or DISCARD TEMP"
                                                : "release only the locks the migration took: pg_advisory_unlock(key)");
    for (auto key : f.unlock_keys)
      if (key == run.lock_key)
        report.errors.emplace_back(
            fmt::format("{}: pg_advisory_unlock({}) releases the tool's own migration lock", at(i), key),
            "the tool takes and releases that lock itself: remove the call");
    if (f.unlock_key_unknown)
      report.warnings.push_back(fmt::format(
          "{}: pg_advisory_unlock(...) with a key known only at run time: if it is the tool's migration lock ({}), "
          "the migration is rolled back and the run stops",
          at(i), run.lock_key));
  }

  // A value added to an enum cannot be used before the transaction that adds it commits (55P04).
  void enum_rules(const Notable& notable) {
    if (!run.transactional) return;
    for (const auto& [i, f] : notable) {
      if (f.enum_value.empty()) continue;
      for (std::size_t k = i + 1; k < list.size(); ++k)
        if (uses_string_constant(list[k].sql, f.enum_value))
          report.errors.emplace_back(
              fmt::format("{}: uses '{}', the value that ALTER TYPE {} ADD VALUE adds at line {} in the same "
                          "transaction: PostgreSQL refuses it until that transaction commits (55P04)",
                          at(k), f.enum_value, f.enum_type, list[i].line),
              fmt::format("move the statements that use '{}' to a later migration, or put '{}' on the marker",
                          f.enum_value, marker(run)));
    }
  }
};

}  // namespace

SectionReport check_section(StatementList& list, const SectionRun& run) {
  bool wrapped = run.transactional && strip_wrapper(list);
  Notable notable;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (auto f = classify_statement(list[i].sql); !f.plain()) notable.emplace_back(i, std::move(f));
  Checker c{list, run, {}};
  for (const auto& [i, f] : notable) {
    c.transaction_rules(i, f);
    c.lock_rules(i, f);
  }
  c.enum_rules(notable);
  if (wrapped)
    c.report.notes.push_back(fmt::format("{}: the {} section is wrapped whole in BEGIN ... COMMIT: it runs as the "
                                         "tool's one transaction, with its ledger row",
                                         run.file, run.direction));
  return c.report;
}

CheckedSection check_migration_section(const Migration& m, const Section& s, const std::string& direction,
                                       std::int64_t lock_key) {
  CheckedSection out;
  try {
    out.statements = section_statements(m, s);
  } catch (const UsageError& e) {
    out.report.errors.push_back(e);
    return out;
  }
  out.report = check_section(out.statements, {m.display_path(), direction, s.transaction, lock_key});
  return out;
}

}  // namespace core
