#include "db/catalog_reader.hpp"

#include <pqxx/pqxx>

#include <sstream>

#include "db/client_impl.hpp"
#include "db/errors.hpp"

namespace db {

namespace {

// Schemas that hold no user objects, and objects that belong to extensions, are left out.
constexpr const char* k_user_namespace =
    "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' "
    "and n.nspname not like 'pg\\_temp%'";

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

std::string text_of(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

// A text[] result column, decoded by array_to_string with a separator that cannot occur in names.
std::vector<std::string> unit_list(const pqxx::field& f) { return split_list(text_of(f), '\x1f'); }

// Decodes pg_trigger.tgargs as encode(..., 'escape') prints it: each argument ends with \000.
std::vector<std::string> trigger_args(const std::string& escaped, int count) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\\' && i + 1 < escaped.size() && escaped[i + 1] == '\\') {
      current += '\\';
      ++i;
    } else if (escaped[i] == '\\' && i + 3 < escaped.size()) {
      int code = std::stoi(escaped.substr(i + 1, 3), nullptr, 8);
      i += 3;
      if (code == 0) {
        out.push_back(current);
        current.clear();
      } else {
        current += static_cast<char>(code);
      }
    } else {
      current += escaped[i];
    }
  }
  out.resize(static_cast<std::size_t>(count));
  return out;
}

// Reads one snapshot in one read-only transaction (a consistent view), one query per method.
class SnapshotReader {
public:
  SnapshotReader(pqxx::connection& conn, const std::vector<std::string>& api_roles) : tx(conn) {
    roles = "array[";
    for (std::size_t i = 0; i < api_roles.size(); ++i) roles += (i ? ", " : "") + tx.quote(api_roles[i]);
    roles += "]::text[]";
  }

  catalog::Snapshot read() {
    read_relations();
    read_policies();
    read_policy_columns();
    read_triggers();
    read_indexes();
    read_foreign_keys();
    read_functions();
    read_extensions();
    read_privileges();
    read_default_privileges_and_role_powers();
    read_body_problems();
    return std::move(s);
  }

private:
  pqxx::read_transaction tx;
  catalog::Snapshot s;
  std::string roles;  // the API roles as an SQL text[] literal

  pqxx::result run(const std::string& sql) {
    ++s.queries;
    return tx.exec(sql);
  }

  // One query: relations.
  void read_relations() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
    exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p'),
    exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped),
    coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false),
    array_to_string(array(select ro.rolname from pg_roles ro where ro.rolname = any ()" + roles + R"()
      and has_table_privilege(ro.oid, c.oid, 'SELECT') order by ro.rolname), chr(31)),
    array_to_string(array(select ro.rolname from pg_roles ro where ro.rolname = any ()" + roles + R"()
      and pg_has_role(ro.oid, c.relowner, 'USAGE') order by ro.rolname), chr(31)),
    array_to_string(array(select rw.rulename from pg_rewrite rw where rw.ev_class = c.oid and rw.rulename <> '_RETURN'
      order by 1), chr(31)),
    c.relkind in ('v', 'm') and exists (select 1 from pg_rewrite rw join pg_depend d on d.classid = 'pg_rewrite'::regclass
      and d.objid = rw.oid where rw.ev_class = c.oid and d.refclassid = 'pg_class'::regclass
      and d.refobjid = to_regclass('auth.users')),
    array_to_string(array(select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum > 0
      and not a.attisdropped order by a.attnum), chr(31)),
    array_to_string(array(select a.attname from pg_attribute a join pg_type ty on ty.oid = a.atttypid
      where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and ty.typnamespace = 'pg_catalog'::regnamespace
        and ty.typname in ('regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator',
                           'regproc', 'regprocedure') order by a.attnum), chr(31))
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f') and )" + k_user_namespace + R"(
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  order by 1, 2)"))) {
      catalog::Relation rel;
      rel.schema = r[0].as<std::string>();
      rel.name = r[1].as<std::string>();
      rel.kind = r[2].as<std::string>()[0];
      rel.rls = r[3].as<bool>();
      rel.force_rls = r[4].as<bool>();
      rel.is_partition = r[5].as<bool>();
      rel.has_primary_key = r[6].as<bool>();
      rel.has_updated_at = r[7].as<bool>();
      rel.security_invoker = r[8].as<bool>();
      rel.readable_by = unit_list(r[9]);
      rel.owned_by_api = unit_list(r[10]);
      rel.rules = unit_list(r[11]);
      rel.reads_auth_users = r[12].as<bool>();
      rel.columns = unit_list(r[13]);
      rel.reg_columns = unit_list(r[14]);
      if (rel.schema == "auth" && rel.name == "users") s.auth_users_rls = rel.rls;
      s.relations.push_back(std::move(rel));
    }
  }

  // One query: policies.
  void read_policies() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, p.polname, p.polcmd, coalesce(pg_get_expr(p.polqual, p.polrelid), ''),
    coalesce(pg_get_expr(p.polwithcheck, p.polrelid), ''), p.polpermissive,
    array_to_string(array(select case when u.r = 0 then 'public' else pg_get_userbyid(u.r) end
                          from unnest(p.polroles) u(r) order by 1), chr(31))
  from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
  where )") + k_user_namespace + " order by 1, 2, 3")) {
      catalog::Policy p;
      p.schema = r[0].as<std::string>();
      p.table = r[1].as<std::string>();
      p.name = r[2].as<std::string>();
      p.command = r[3].as<std::string>()[0];
      p.using_expr = r[4].as<std::string>();
      p.check_expr = r[5].as<std::string>();
      p.permissive = r[6].as<bool>();
      p.roles = unit_list(r[7]);
      s.policies.push_back(std::move(p));
    }
  }

  // One query: policy columns.
  void read_policy_columns() {
    for (const auto& r : run(std::string(R"(
  select distinct n.nspname, c.relname, a.attname
  from pg_depend d
  join pg_policy p on d.classid = 'pg_policy'::regclass and d.objid = p.oid
  join pg_class c on c.oid = d.refobjid and d.refclassid = 'pg_class'::regclass and c.oid = p.polrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
  where d.refobjsubid > 0 and )") + k_user_namespace + " order by 1, 2, 3")) {
      s.policy_columns.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()});
    }
  }

  // One query: triggers.
  void read_triggers() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, t.tgname, t.tgenabled, t.tgtype, pn.nspname || '.' || f.proname,
    encode(t.tgargs, 'escape'), t.tgnargs, coalesce(t.tgoldtable::text, ''), coalesce(t.tgnewtable::text, ''),
    case when t.tgqual is null then '' else
      substring(pg_get_triggerdef(t.oid) from ' WHEN \((.*)\) EXECUTE (?:FUNCTION|PROCEDURE) ') end,
    array_to_string(array(select a.attname from unnest(t.tgattr::int2[]) with ordinality u(attnum, o)
                          join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = u.attnum order by u.o), chr(31))
  from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
  join pg_proc f on f.oid = t.tgfoid join pg_namespace pn on pn.oid = f.pronamespace
  where not t.tgisinternal and t.tgparentid = 0 and )") + k_user_namespace + " order by 1, 2, 3")) {
      catalog::Trigger t;
      t.schema = r[0].as<std::string>();
      t.table = r[1].as<std::string>();
      t.name = r[2].as<std::string>();
      t.enabled = r[3].as<std::string>()[0];
      t.type = r[4].as<int>();
      t.function = r[5].as<std::string>();
      t.args = trigger_args(r[6].as<std::string>(), r[7].as<int>());
      t.old_table = r[8].as<std::string>();
      t.new_table = r[9].as<std::string>();
      t.when = text_of(r[10]);
      t.columns = unit_list(r[11]);
      s.triggers.push_back(std::move(t));
    }
  }

  // One query: indexes.
  void read_indexes() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, i.relname, am.amname, x.indisunique, x.indisvalid, x.indisprimary,
    array_to_string(array(select pg_get_indexdef(x.indexrelid, k, true) from generate_series(1, x.indnkeyatts) k), chr(31)),
    array_to_string(array(select o.opcname from unnest(x.indclass::oid[]) with ordinality u(oid, k)
                          join pg_opclass o on o.oid = u.oid order by u.k), chr(31)),
    coalesce(pg_get_expr(x.indpred, x.indrelid, true), ''),
    x.indkey::text || '/' || x.indclass::text || '/' || coalesce(pg_get_expr(x.indexprs, x.indrelid), '') || '/' ||
      coalesce(pg_get_expr(x.indpred, x.indrelid), '') || '/' || x.indisunique::text
  from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
  join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = i.relam
  where not c.relispartition and )") + k_user_namespace + " order by 1, 2, 3")) {
      catalog::Index i;
      i.schema = r[0].as<std::string>();
      i.table = r[1].as<std::string>();
      i.name = r[2].as<std::string>();
      i.method = r[3].as<std::string>();
      i.unique = r[4].as<bool>();
      i.valid = r[5].as<bool>();
      i.primary = r[6].as<bool>();
      i.columns = unit_list(r[7]);
      i.opclasses = unit_list(r[8]);
      i.predicate = r[9].as<std::string>();
      i.identity = r[10].as<std::string>();
      s.indexes.push_back(std::move(i));
    }
  }

  // One query: foreign keys.
  void read_foreign_keys() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, k.conname,
    array_to_string(array(select a.attname from unnest(k.conkey) with ordinality u(attnum, o)
                          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.o), chr(31)),
    rn.nspname || '.' || rc.relname,
    not exists (select 1 from pg_constraint pk where pk.conrelid = k.confrelid and pk.contype = 'p' and pk.conindid = k.conindid)
  from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
  join pg_class rc on rc.oid = k.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
  where k.contype = 'f' and k.conparentid = 0 and not c.relispartition and )") + k_user_namespace + " order by 1, 2, 3")) {
      s.foreign_keys.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), unit_list(r[3]),
                                r[4].as<std::string>(), r[5].as<bool>()});
    }
  }

  // One query: functions and procedures (bodies only of definer and trigger functions).
  void read_functions() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), coalesce(array_to_string(p.proconfig, ','), ''),
    array_to_string(array(select ro.rolname from pg_roles ro where ro.rolname = any ()" + roles + R"()
      and has_function_privilege(ro.oid, p.oid, 'EXECUTE') order by ro.rolname), chr(31)),
    p.prosecdef, l.lanname, p.prorettype = 'trigger'::regtype,
    case when p.prosecdef or p.prorettype = 'trigger'::regtype then p.prosrc else '' end,
    array_to_string(array(select ro.rolname from pg_roles ro where ro.rolname = any ()" + roles + R"()
      and pg_has_role(ro.oid, p.proowner, 'USAGE') order by ro.rolname), chr(31))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
  where p.prokind in ('f', 'p') and )") + k_user_namespace + R"(
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  order by 1, 2, 3)")) {
      catalog::Function f;
      f.schema = r[0].as<std::string>();
      f.name = r[1].as<std::string>();
      f.arguments = r[2].as<std::string>();
      f.config = r[3].as<std::string>();
      f.executable_by = unit_list(r[4]);
      f.security_definer = r[5].as<bool>();
      f.language = r[6].as<std::string>();
      f.returns_trigger = r[7].as<bool>();
      f.body = text_of(r[8]);
      f.owned_by_api = unit_list(r[9]);
      s.functions.push_back(std::move(f));
    }
  }

  // One query: what API roles hold on tables, views, sequences, columns, functions and schemas,
  // through a grant to them, to PUBLIC, or to a role whose privileges they have.
  void read_privileges() {
    std::string reach = "with api as (select ro.oid, ro.rolname from pg_roles ro where ro.rolname = any (" + roles +
                        ")), reach as (select a.rolname as api, r.oid as grantee from api a join pg_roles r on "
                        "pg_has_role(a.oid, r.oid, 'USAGE') union all select a.rolname, 0::oid from api a) ";
    std::string agg = "array_to_string(array_agg(distinct lower(x.privilege_type) order by lower(x.privilege_type)), chr(31))";
    std::string not_extension = " and not exists (select 1 from pg_depend d where d.classid = '{}'::regclass and "
                                "d.objid = {}.oid and d.deptype = 'e')";
    auto excluding = [&](const char* catalog_name, const char* alias) {
      std::string out = not_extension;
      out.replace(out.find("{}"), 2, catalog_name);
      out.replace(out.find("{}"), 2, alias);
      return out;
    };
    std::string sql = reach + R"(
  select case when c.relkind = 'S' then 'sequence' else 'table' end, n.nspname, n.nspname || '.' || c.relname, reach.api, )" +
                      agg + R"(
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(coalesce(c.relacl, acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner))) x
  join reach on reach.grantee = x.grantee
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and )" +
                      k_user_namespace + excluding("pg_class", "c") + R"(
  group by 1, 2, 3, 4
  union all
  select 'column', n.nspname, n.nspname || '.' || c.relname || '.' || a.attname, reach.api, )" +
                      agg + R"(
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(a.attacl) x
  join reach on reach.grantee = x.grantee
  where a.attacl is not null and a.attnum > 0 and not a.attisdropped and )" +
                      k_user_namespace + excluding("pg_class", "c") + R"(
  group by 1, 2, 3, 4
  union all
  select 'function', n.nspname, n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
    reach.api, )" + agg + R"(
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  cross join lateral aclexplode(coalesce(p.proacl, acldefault('f'::"char", p.proowner))) x
  join reach on reach.grantee = x.grantee
  where p.prokind in ('f', 'p') and )" +
                      k_user_namespace + excluding("pg_proc", "p") + R"(
  group by 1, 2, 3, 4
  union all
  select 'schema', n.nspname, n.nspname, reach.api, )" + agg + R"(
  from pg_namespace n
  cross join lateral aclexplode(coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))) x
  join reach on reach.grantee = x.grantee
  where )" + k_user_namespace + R"(
  group by 1, 2, 3, 4
  order by 1, 3, 4)";
    for (const auto& r : run(sql))
      s.privileges.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                              r[3].as<std::string>(), unit_list(r[4])});
  }

  // One query: default privileges that grant to API roles or PUBLIC, and the attributes (superuser,
  // bypassrls) of API roles and of the roles they can become.
  void read_default_privileges_and_role_powers() {
    for (const auto& r : run(std::string(R"(
  select 'default', pg_get_userbyid(d.defaclrole), coalesce(n.nspname, ''),
    case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions'
      when 'T' then 'types' else 'schemas' end,
    case when x.grantee = 0 then 'public' else pg_get_userbyid(x.grantee) end,
    array_to_string(array_agg(distinct lower(x.privilege_type) order by lower(x.privilege_type)), chr(31))
  from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
  cross join lateral aclexplode(d.defaclacl) x
  where x.grantee = 0 or pg_get_userbyid(x.grantee) = any ()") + roles + R"()
  group by 1, 2, 3, 4, 5
  union all
  select 'power', a.rolname, r.rolname, case when r.rolsuper then 'superuser' else 'bypassrls' end, '', ''
  from pg_roles a join pg_roles r on pg_has_role(a.oid, r.oid, 'MEMBER')
  where a.rolname = any ()" + roles + R"() and (r.rolsuper or r.rolbypassrls)
  order by 1, 2, 3, 4, 5)")) {
      if (r[0].as<std::string>() == "default")
        s.default_privileges.push_back({r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                                        r[4].as<std::string>(), unit_list(r[5])});
      else
        s.role_powers.push_back({r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>()});
    }
  }

  // One query, where plpgsql_check is installed: every error it finds in the plpgsql bodies of user
  // functions (trigger functions checked against the first table that uses them). A failure of the
  // extension is recorded, not thrown: the rule then says it was skipped.
  void read_body_problems() {
    std::string schema;
    for (const auto& e : s.extensions)
      if (e.name == "plpgsql_check") schema = e.schema;
    if (schema.empty()) return;
    try {
      pqxx::subtransaction sub(tx, "plpgsql_check");
      ++s.queries;
      auto rows = sub.exec(std::string(R"(
  select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
    r.level, r.message, coalesce(r.lineno, 0)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
  left join lateral (select t.tgrelid, t.tgoldtable, t.tgnewtable from pg_trigger t where t.tgfoid = p.oid
                     order by t.oid limit 1) tg on true
  cross join lateral )") + tx.quote_name(schema) + R"(.plpgsql_check_function_tb(p.oid, coalesce(tg.tgrelid, 0),
    fatal_errors => false, other_warnings => false, performance_warnings => false, extra_warnings => false,
    oldtable => tg.tgoldtable, newtable => tg.tgnewtable) r
  where l.lanname = 'plpgsql' and p.prokind in ('f', 'p') and )" + k_user_namespace + R"(
    and (p.prorettype <> 'trigger'::regtype or exists (select 1 from pg_trigger t where t.tgfoid = p.oid))
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    and r.level = 'error'
  order by 1, 4, 3)");
      for (const auto& r : rows)
        s.body_problems.push_back({r[0].as<std::string>(), r[1].as<std::string>(), text_of(r[2]), r[3].as<int>()});
      sub.commit();
      s.plpgsql_check_ran = true;
    } catch (const pqxx::sql_error& e) {
      s.plpgsql_check_error = e.what();
    }
  }

  // One query: extensions.
  void read_extensions() {
    for (const auto& r : run(R"(
  select 'installed', e.extname, n.nspname, e.extversion, coalesce(a.default_version, '')
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace left join pg_available_extensions a on a.name = e.extname
  union all select 'available', name, '', '', '' from pg_available_extensions)")) {
      if (r[0].as<std::string>() == "installed")
        s.extensions.push_back({r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>()});
      else s.available_extensions.push_back(r[1].as<std::string>());
    }
  }
};

}  // namespace

catalog::Snapshot read_catalog(Client& client, const std::vector<std::string>& api_roles) {
  return with_context("reading the catalog",
                      [&] { return translating_pqxx([&] { return SnapshotReader(*client.impl().conn, api_roles).read(); }); });
}

}  // namespace db
