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
    read_definer_functions();
    read_extensions();
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
      and has_table_privilege(ro.oid, c.oid, 'SELECT') order by ro.rolname), chr(31))
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
      s.relations.push_back(std::move(rel));
    }
  }

  // One query: policies.
  void read_policies() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, c.relname, p.polname, p.polcmd, coalesce(pg_get_expr(p.polqual, p.polrelid), ''),
    coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
  from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
  where )") + k_user_namespace + " order by 1, 2, 3")) {
      catalog::Policy p;
      p.schema = r[0].as<std::string>();
      p.table = r[1].as<std::string>();
      p.name = r[2].as<std::string>();
      p.command = r[3].as<std::string>()[0];
      p.using_expr = r[4].as<std::string>();
      p.check_expr = r[5].as<std::string>();
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
    encode(t.tgargs, 'escape'), t.tgnargs, coalesce(t.tgoldtable::text, ''), coalesce(t.tgnewtable::text, '')
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
                          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.o), chr(31))
  from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
  where k.contype = 'f' and k.conparentid = 0 and not c.relispartition and )") + k_user_namespace + " order by 1, 2, 3")) {
      s.foreign_keys.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), unit_list(r[3])});
    }
  }

  // One query: definer functions.
  void read_definer_functions() {
    for (const auto& r : run(std::string(R"(
  select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), coalesce(array_to_string(p.proconfig, ','), ''),
    array_to_string(array(select ro.rolname from pg_roles ro where ro.rolname = any ()" + roles + R"()
      and has_function_privilege(ro.oid, p.oid, 'EXECUTE') order by ro.rolname), chr(31))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where p.prosecdef and )") + k_user_namespace + R"(
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  order by 1, 2, 3)")) {
      catalog::Function f;
      f.schema = r[0].as<std::string>();
      f.name = r[1].as<std::string>();
      f.arguments = r[2].as<std::string>();
      f.config = r[3].as<std::string>();
      f.executable_by = unit_list(r[4]);
      s.security_definer_functions.push_back(std::move(f));
    }
  }

  // One query: extensions.
  void read_extensions() {
    for (const auto& r : run(R"(
  select 'installed', e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
  union all select 'available', name, '' from pg_available_extensions)")) {
      if (r[0].as<std::string>() == "installed") s.extensions.push_back({r[1].as<std::string>(), r[2].as<std::string>()});
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
