// The function of every rule, one per rule, grouped in files by category (rules_*.cpp). Only the
// rule table (rules.cpp) and the unit tests need these names.
#pragma once

#include "check/context.hpp"

namespace check::rule {

// rules_rls.cpp
void table_missing(Context& ctx);
void rls_disabled(Context& ctx);
void rls_no_policy(Context& ctx);
void rls_missing_command_policy(Context& ctx);
void rls_not_forced(Context& ctx);
void policy_without_rls(Context& ctx);
void policy_self_reference(Context& ctx);
void table_without_primary_key(Context& ctx);

// rules_triggers.cpp
void trigger_missing(Context& ctx);
void trigger_disabled(Context& ctx);
void trigger_mismatch(Context& ctx);
void updated_at_trigger_missing(Context& ctx);
void audit_trigger_missing(Context& ctx);

// rules_indexes.cpp
void index_missing(Context& ctx);
void index_invalid(Context& ctx);
void index_mismatch(Context& ctx);
void index_renamed(Context& ctx);
void index_skipped(Context& ctx);
void fk_without_index(Context& ctx);
void policy_column_without_index(Context& ctx);
void duplicate_index(Context& ctx);

// rules_security.cpp
void security_definer_search_path(Context& ctx);
void security_definer_anon_executable(Context& ctx);
void extension_in_public(Context& ctx);
void matview_readable_by_api(Context& ctx);
void view_bypasses_rls(Context& ctx);
void auth_uid_not_wrapped(Context& ctx);
void plpgsql_body_error(Context& ctx);
void plpgsql_check_skipped(Context& ctx);

// rules_access.cpp
void policy_always_true(Context& ctx);
void policy_public_role(Context& ctx);
void policy_undeclared(Context& ctx);
void policy_missing(Context& ctx);
void policy_mismatch(Context& ctx);
void api_role_bypasses_rls(Context& ctx);
void api_role_owns_object(Context& ctx);
void security_definer_reads_rls(Context& ctx);
void table_rule(Context& ctx);

// rules_supabase.cpp
void function_search_path_mutable(Context& ctx);
void security_definer_authenticated_executable(Context& ctx);
void multiple_permissive_policies(Context& ctx);
void auth_users_exposed(Context& ctx);
void fk_to_auth_unique(Context& ctx);
void policy_user_metadata(Context& ctx);
void sensitive_columns_exposed(Context& ctx);
void foreign_table_in_api(Context& ctx);
void extension_outdated(Context& ctx);
void unsupported_reg_types(Context& ctx);

// rules_privileges.cpp
void privilege_dangerous(Context& ctx);
void privilege_extra(Context& ctx);
void privilege_missing(Context& ctx);
void default_privileges_grant(Context& ctx);

}  // namespace check::rule
