// What a rule function sees: the declaration, the snapshot with look-ups by table, and where its
// findings go (always under the rule being evaluated).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/snapshot.hpp"
#include "check/declaration.hpp"
#include "check/findings.hpp"
#include "check/rule.hpp"

namespace check {

// Look-ups over one snapshot, shared by every rule of a run.
class Context {
public:
  Context(const Declaration& d, const catalog::Snapshot& s);

  const Declaration& declaration;
  const catalog::Snapshot& snapshot;

  // The relation schema.name, or nullptr.
  const catalog::Relation* relation(const std::string& qualified) const;
  // The policies, triggers and indexes of the table schema.name (empty when none).
  const std::vector<const catalog::Policy*>& policies(const std::string& qualified) const;
  const std::vector<const catalog::Trigger*>& triggers(const std::string& qualified) const;
  const std::vector<const catalog::Index*>& indexes(const std::string& qualified) const;
  // The index schema.name, whatever its table, or nullptr.
  const catalog::Index* index_named(const std::string& schema, const std::string& name) const;
  // True when the extension is installed.
  bool has_extension(const std::string& name) const { return m_extensions.count(name) > 0; }
  // True when schema is exposed by the API (the declaration's exposed_schemas).
  bool exposed(const std::string& schema) const;
  // True when a valid index on table starts with exactly these columns (in any order).
  bool covered(const std::string& table, std::vector<std::string> columns) const;

  // Records a finding of the rule being evaluated.
  void report(std::string object, std::string message, std::string remediation);
  // Evaluates rule; its findings are added to findings().
  void evaluate(const Rule& rule);
  // Everything reported so far.
  std::vector<Finding>& findings() { return m_findings; }

private:
  std::map<std::string, const catalog::Relation*> m_relations;
  std::map<std::string, std::vector<const catalog::Policy*>> m_policies;
  std::map<std::string, std::vector<const catalog::Trigger*>> m_triggers;
  std::map<std::string, std::vector<const catalog::Index*>> m_indexes;
  std::map<std::string, const catalog::Index*> m_index_by_name;
  std::set<std::string> m_extensions;
  const Rule* m_rule = nullptr;
  std::vector<Finding> m_findings;
};

// The command a pg_policy.polcmd letter stands for: select, insert, update, delete or all.
const char* policy_command_name(char polcmd);

// True when v holds s.
bool contains(const std::vector<std::string>& v, const std::string& s);

}  // namespace check
