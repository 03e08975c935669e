// Rules that match Supabase's splinter lints (docs/checks.md names each one): mutable function
// search paths, definer functions open to authenticated, several permissive policies per role and
// action, auth.users behind views, foreign keys to auth unique keys, policies trusting
// user_metadata, sensitive columns without RLS, foreign tables, old extension versions, reg* columns.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "check/rule_functions.hpp"

namespace check::rule {

namespace {

// Column names splinter's sensitive_columns_exposed treats as sensitive.
const std::vector<std::string>& sensitive_names() {
  static const std::vector<std::string> names{
      "password", "passwd", "pwd", "passphrase", "secret", "secret_key", "private_key", "api_key", "apikey",
      "auth_key", "token", "jwt", "access_token", "refresh_token", "oauth_token", "session_token", "bearer_token",
      "auth_code", "session_id", "session_key", "session_secret", "recovery_code", "backup_code",
      "verification_code", "otp", "two_factor", "2fa_secret", "2fa_code", "ssn", "social_security",
      "social_security_number", "driver_license", "drivers_license", "license_number", "passport_number",
      "passport_id", "national_id", "tax_id", "credit_card", "card_number", "cvv", "cvc", "cvn", "bank_account",
      "account_number", "routing_number", "iban", "swift_code", "bic", "health_record", "medical_record",
      "patient_id", "insurance_number", "health_insurance", "medical_insurance", "treatment", "mac_address",
      "macaddr", "imei", "device_uuid", "pgp_key", "gpg_key", "ssh_key", "certificate", "license_key",
      "activation_key", "facial_recognition"};
  return names;
}

std::string normalized_column(std::string name) {
  for (auto& c : name) c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

void function_search_path_mutable(Context& ctx) {
  for (const auto& f : ctx.snapshot.functions)
    if (!f.security_definer && !f.fixed_search_path())  // definer functions: security-definer-search-path (error)
      ctx.report(f.signature(), "runs with the caller's search_path: the objects it names depend on who calls it",
                 fmt::format("alter function {} set search_path = ''", f.signature()));
}

void security_definer_authenticated_executable(Context& ctx) {
  for (const auto& f : ctx.snapshot.functions) {
    if (!f.security_definer || !ctx.exposed(f.schema) || !contains(f.executable_by, "authenticated")) continue;
    const DeclaredObject* declared = ctx.declaration.find_object("function", f.signature());
    if (declared && !declared->definer_reason.empty()) continue;
    ctx.report(f.signature(), "any signed-in user may call it through the API with its owner's rights",
               fmt::format("revoke execute on function {} from public, authenticated; or make it security invoker; or "
                           "declare it with definer_reason",
                           f.signature()));
  }
}

void multiple_permissive_policies(Context& ctx) {
  // table -> (role, command) -> policy names
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::vector<std::string>>> seen;
  for (const auto& p : ctx.snapshot.policies) {
    if (!p.permissive) continue;
    std::vector<std::string> roles;
    for (const auto& r : p.roles)
      if (r == "public") roles.insert(roles.end(), ctx.declaration.api_roles.begin(), ctx.declaration.api_roles.end());
      else roles.push_back(r);
    std::vector<std::string> commands;
    if (p.command == '*') commands = {"select", "insert", "update", "delete"};
    else commands = {p.command == 'r' ? "select" : p.command == 'a' ? "insert" : p.command == 'w' ? "update" : "delete"};
    for (const auto& r : roles)
      for (const auto& c : commands) {
        auto& names = seen[p.schema + "." + p.table][{r, c}];
        if (!contains(names, p.name)) names.push_back(p.name);
      }
  }
  for (const auto& [table, by_key] : seen)
    for (const auto& [key, names] : by_key)
      if (names.size() > 1)
        ctx.report(fmt::format("{} ({} {})", table, key.first, key.second),
                   fmt::format("{} permissive policies for {} {}: each is evaluated for every row ({})", names.size(),
                               key.first, key.second, fmt::join(names, ", ")),
                   "merge them into one policy whose USING ors the conditions, or make some restrictive");
}

void auth_users_exposed(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (!rel.reads_auth_users || !ctx.exposed(rel.schema) || rel.readable_by.empty()) continue;
    bool insecure = rel.kind == 'm' || (rel.kind == 'v' && (!rel.security_invoker || !ctx.snapshot.auth_users_rls));
    if (!insecure) continue;
    ctx.report(rel.qualified(),
               fmt::format("reads auth.users and is readable by {}: users' e-mails and metadata leak through the API",
                           fmt::join(rel.readable_by, ", ")),
               fmt::format("revoke select on {} from anon, authenticated; keep user data in a public.profiles table "
                           "with its own policies",
                           rel.qualified()));
  }
}

void fk_to_auth_unique(Context& ctx) {
  for (const auto& k : ctx.snapshot.foreign_keys)
    if (k.referenced.starts_with("auth.") && k.references_unique)
      ctx.report(fmt::format("{}.{}.{}", k.schema, k.table, k.name),
                 fmt::format("references a unique key of {} that is not its primary key: Supabase may change it "
                             "(e.g. an e-mail), and upgrades of auth can fail",
                             k.referenced),
                 fmt::format("alter table {}.{} drop constraint {}; reference {}(id) instead", k.schema, k.table, k.name,
                             k.referenced));
}

void policy_user_metadata(Context& ctx) {
  for (const auto& p : ctx.snapshot.policies)
    if ((p.using_expr + " " + p.check_expr).find("user_metadata") != std::string::npos)
      ctx.report(fmt::format("{}.{}: policy \"{}\"", p.schema, p.table, p.name),
                 "reads user_metadata, which every user can edit about themselves: the policy trusts the caller's word",
                 "decide on app_metadata (set by the server only) or a table the user cannot write");
}

void sensitive_columns_exposed(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations) {
    if (rel.kind != 'r' || rel.rls || !ctx.exposed(rel.schema) || rel.readable_by.empty()) continue;
    std::vector<std::string> found;
    for (const auto& c : rel.columns)
      if (contains(sensitive_names(), normalized_column(c))) found.push_back(c);
    if (!found.empty())
      ctx.report(rel.qualified(),
                 fmt::format("no row level security, readable by {}, and holds {}", fmt::join(rel.readable_by, ", "),
                             fmt::join(found, ", ")),
                 fmt::format("alter table {} enable row level security; then create its policies", rel.qualified()));
  }
}

void foreign_table_in_api(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations)
    if (rel.kind == 'f' && ctx.exposed(rel.schema) && !rel.readable_by.empty())
      ctx.report(rel.qualified(),
                 fmt::format("a foreign table readable by {}: foreign tables have no row level security",
                             fmt::join(rel.readable_by, ", ")),
                 fmt::format("move it out of the exposed schemas or revoke select on {} from anon, authenticated",
                             rel.qualified()));
}

void extension_outdated(Context& ctx) {
  for (const auto& e : ctx.snapshot.extensions)
    if (!e.default_version.empty() && !e.version.empty() && e.version != e.default_version)
      ctx.report(e.name, fmt::format("version {} installed, {} available on this server", e.version, e.default_version),
                 fmt::format("alter extension {} update", e.name));
}

void unsupported_reg_types(Context& ctx) {
  for (const auto& rel : ctx.snapshot.relations)
    for (const auto& c : rel.reg_columns)
      ctx.report(fmt::format("{}.{}", rel.qualified(), c),
                 "a column of a reg* type stores OIDs: pg_upgrade refuses the database",
                 fmt::format("alter table {} alter column {} type text", rel.qualified(), c));
}

}  // namespace check::rule
