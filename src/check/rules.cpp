#include "check/rule.hpp"

#include "check/rule_functions.hpp"

namespace check {

using core::Level;

const std::vector<Rule>& rules() {
  static const std::vector<Rule> table = {
      {"table-missing", Level::error, "schema", "a declared table does not exist", rule::table_missing},
      {"rls-disabled", Level::error, "rls", "a table in an exposed schema without row level security",
       rule::rls_disabled},
      {"rls-no-policy", Level::warning, "rls", "row level security on, but no policy: every API query is denied",
       rule::rls_no_policy},
      {"rls-missing-command-policy", Level::error, "rls", "a command the declaration requires has no policy",
       rule::rls_missing_command_policy},
      {"rls-not-forced", Level::warning, "rls", "the declaration requires forced row level security",
       rule::rls_not_forced},
      {"policy-without-rls", Level::error, "rls", "policies exist but row level security is off, so they do nothing",
       rule::policy_without_rls},
      {"policy-self-reference", Level::error, "rls",
       "a policy queries its own table: infinite recursion (42P17) for every non-owner", rule::policy_self_reference},
      {"trigger-missing", Level::error, "triggers", "a declared trigger does not exist", rule::trigger_missing},
      {"trigger-disabled", Level::error, "triggers", "a declared trigger is disabled", rule::trigger_disabled},
      {"trigger-mismatch", Level::error, "triggers",
       "a declared trigger has another timing, events, level, function or arguments", rule::trigger_mismatch},
      {"updated-at-trigger-missing", Level::error, "triggers", "a table with updated_at has no trigger maintaining it",
       rule::updated_at_trigger_missing},
      {"audit-trigger-missing", Level::error, "triggers",
       "an insert, update or delete of an audited table is not audited", rule::audit_trigger_missing},
      {"index-missing", Level::error, "indexes", "a declared index does not exist", rule::index_missing},
      {"index-invalid", Level::error, "indexes", "a declared index is INVALID (a failed concurrent build)",
       rule::index_invalid},
      {"index-mismatch", Level::error, "indexes", "a declared index has other columns, method, uniqueness or predicate",
       rule::index_mismatch},
      {"index-renamed", Level::warning, "indexes", "a declared index exists only under another name",
       rule::index_renamed},
      {"index-skipped", Level::warning, "indexes", "a declared index needs an extension this server does not have",
       rule::index_skipped},
      {"security-definer-search-path", Level::error, "security",
       "a security definer function without a fixed search_path can be hijacked", rule::security_definer_search_path},
      {"security-definer-anon-executable", Level::warning, "security",
       "a security definer function in an exposed schema is executable by anon",
       rule::security_definer_anon_executable},
      {"extension-in-public", Level::error, "security", "an extension installed in an exposed schema",
       rule::extension_in_public},
      {"matview-readable-by-api", Level::error, "security",
       "a materialized view readable by API roles: it bypasses row level security", rule::matview_readable_by_api},
      {"view-bypasses-rls", Level::error, "security",
       "a view without security_invoker readable by API roles: it bypasses row level security",
       rule::view_bypasses_rls},
      {"fk-without-index", Level::warning, "performance", "a foreign key without a covering index",
       rule::fk_without_index},
      {"policy-column-without-index", Level::warning, "performance", "a column policies filter on has no index",
       rule::policy_column_without_index},
      {"auth-uid-not-wrapped", Level::warning, "performance",
       "auth.uid()/auth.jwt()/auth.role() called per row in a policy instead of once per query",
       rule::auth_uid_not_wrapped},
      {"duplicate-index", Level::warning, "performance", "two indexes with the same definition", rule::duplicate_index},
      {"table-without-primary-key", Level::warning, "schema", "a table in an exposed schema without a primary key",
       rule::table_without_primary_key},
  };
  return table;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : rules())
    if (id == r.id) return &r;
  return nullptr;
}

}  // namespace check
