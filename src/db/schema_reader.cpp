#include "db/schema_reader.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>

namespace db {

namespace {

// A role oid as drift names it: PUBLIC for 0, the placeholder for the session's own role.
std::string role(const std::string& oid) {
  return fmt::format("(case when {0} = 0 then 'PUBLIC' when pg_get_userbyid({0}) = current_user then '{1}' "
                     "else quote_ident(pg_get_userbyid({0})) end)",
                     oid, catalog::k_migration_role);
}

// An ACL as a sorted set "grantee=PRIVILEGE[ WITH GRANT OPTION], ..." without grantors.
std::string acl(const std::string& expr) {
  return fmt::format("(select string_agg(g, ', ' order by g) from (select {} || '=' || e.privilege_type || "
                     "case when e.is_grantable then ' WITH GRANT OPTION' else '' end as g "
                     "from aclexplode({}) e) acl_items)",
                     role("e.grantee"), expr);
}

// The schemas drift looks at: not the catalog's, not the excluded ones ($1).
std::string in_scope(const std::string& nspname) {
  return fmt::format("({0} <> all($1::text[]) and {0} not like 'pg\\_%' and {0} <> 'information_schema')", nspname);
}

// Not an ignored table ($2: anchored regular expressions of "schema.table").
std::string not_ignored(const std::string& nspname, const std::string& relname) {
  return fmt::format("not ({} || '.' || {} ~ any($2::text[]))", nspname, relname);
}

// Not a member of an extension (the extension's own row covers it).
std::string not_extension_member(const std::string& catalog_table, const std::string& oid) {
  return fmt::format("not exists (select 1 from pg_depend dep where dep.classid = '{}'::regclass and dep.objid = {} "
                     "and dep.deptype = 'e')",
                     catalog_table, oid);
}

// "schema.relation" of a pg_class oid.
std::string qualified_relation(const std::string& oid) {
  return fmt::format("(select format('%I.%I', qn.nspname, qc.relname) from pg_class qc join pg_namespace qn "
                     "on qn.oid = qc.relnamespace where qc.oid = {})",
                     oid);
}

std::vector<std::string> build_queries() {
  std::vector<std::string> q;
  // Schemas.
  q.push_back(fmt::format(
      "select 'schema', quote_ident(n.nspname), a.name, a.value from pg_namespace n cross join lateral (values "
      "('owner', {}), ('privileges', {}), ('comment', (select dsc.description from pg_description dsc where dsc.objoid = n.oid and dsc.classoid = 'pg_namespace'::regclass and dsc.objsubid = 0))) a(name, value) "
      "where {} and {} and a.value is not null",
      role("n.nspowner"), acl("coalesce(n.nspacl, acldefault('n', n.nspowner))"), in_scope("n.nspname"),
      not_extension_member("pg_namespace", "n.oid")));
  // Extensions: those in extensions or a schema in scope.
  q.push_back(
      "select 'extension', quote_ident(e.extname), a.name, a.value from pg_extension e join pg_namespace n on "
      "n.oid = e.extnamespace cross join lateral (values ('version', e.extversion), ('schema', "
      "quote_ident(n.nspname))) a(name, value) where (n.nspname <> all($1::text[]) or n.nspname = 'extensions')");
  // Types: enums (labels in order), domains, composites, ranges.
  q.push_back(fmt::format(
      "select 'type', format('%I.%I', n.nspname, t.typname), a.name, a.value from pg_type t join pg_namespace n on "
      "n.oid = t.typnamespace cross join lateral (values ('definition', case t.typtype "
      "when 'e' then 'enum (' || coalesce((select string_agg(quote_literal(l.enumlabel), ', ' order by "
      "l.enumsortorder) from pg_enum l where l.enumtypid = t.oid), '') || ')' "
      "when 'd' then 'domain over ' || format_type(t.typbasetype, t.typtypmod) || case when t.typnotnull then ' not "
      "null' else '' end || coalesce(' default ' || t.typdefault, '') || coalesce((select string_agg(' constraint ' "
      "|| quote_ident(dc.conname) || ' ' || pg_get_constraintdef(dc.oid, true), '' order by dc.conname) from "
      "pg_constraint dc where dc.contypid = t.oid), '') "
      "when 'c' then 'composite (' || coalesce((select string_agg(quote_ident(ca.attname) || ' ' || "
      "format_type(ca.atttypid, ca.atttypmod), ', ' order by ca.attnum) from pg_attribute ca where ca.attrelid = "
      "t.typrelid and ca.attnum > 0 and not ca.attisdropped), '') || ')' "
      "when 'r' then 'range of ' || (select format_type(r.rngsubtype, null) from pg_range r where r.rngtypid = "
      "t.oid) end), ('owner', {}), ('privileges', {}), ('comment', (select dsc.description from pg_description dsc where dsc.objoid = t.oid and dsc.classoid = 'pg_type'::regclass and dsc.objsubid = 0))) a(name, "
      "value) where t.typtype in ('e', 'd', 'c', 'r') and (t.typtype <> 'c' or (select c.relkind from pg_class c "
      "where c.oid = t.typrelid) = 'c') and {} and {} and a.value is not null",
      role("t.typowner"), acl("coalesce(t.typacl, acldefault('T', t.typowner))"), in_scope("n.nspname"),
      not_extension_member("pg_type", "t.oid")));
  // Tables, views, materialized views, sequences, foreign tables.
  q.push_back(fmt::format(
      "select case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then "
      "'materialized view' when 'S' then 'sequence' else 'foreign table' end, format('%I.%I', n.nspname, "
      "c.relname), a.name, a.value from pg_class c join pg_namespace n on n.oid = c.relnamespace left join "
      "pg_sequence s on s.seqrelid = c.oid cross join lateral (values ('owner', {}), ('privileges', {}), "
      "('comment', (select dsc.description from pg_description dsc where dsc.objoid = c.oid and dsc.classoid = 'pg_class'::regclass and dsc.objsubid = 0)), "
      "('options', (select string_agg(o, ', ' order by o) from unnest(c.reloptions) o)), "
      "('row level security', case when c.relkind in ('r', 'p') then case when c.relrowsecurity then 'enabled' "
      "else 'disabled' end || case when c.relforcerowsecurity then ', forced' else '' end end), "
      "('persistence', case c.relpersistence when 'u' then 'unlogged' end), "
      "('partition key', case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end), "
      "('partition of', case when c.relispartition then (select {} from pg_inherits i where i.inhrelid = c.oid) || "
      "' ' || pg_get_expr(c.relpartbound, c.oid) end), "
      "('inherits', case when not c.relispartition then (select string_agg({}, ', ' order by i.inhseqno) from "
      "pg_inherits i where i.inhrelid = c.oid) end), "
      "('definition', case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end), "
      "('sequence', case when c.relkind = 'S' then format('as %s start %s increment %s minvalue %s maxvalue %s "
      "cache %s%s', format_type(s.seqtypid, null), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, "
      "case when s.seqcycle then ' cycle' else '' end) end), "
      "('owned by', case when c.relkind = 'S' then (select {} || '.' || quote_ident(oa.attname) from pg_depend od "
      "join pg_attribute oa on oa.attrelid = od.refobjid and oa.attnum = od.refobjsubid where od.classid = "
      "'pg_class'::regclass and od.objid = c.oid and od.refclassid = 'pg_class'::regclass and od.deptype in ('a', "
      "'i') limit 1) end)) a(name, value) "
      "where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and {} and {} and {} and a.value is not null",
      role("c.relowner"),
      acl("coalesce(c.relacl, acldefault((case when c.relkind = 'S' then 's' else 'r' end)::\"char\", c.relowner))"),
      qualified_relation("i.inhparent"), qualified_relation("i.inhparent"), qualified_relation("od.refobjid"),
      in_scope("n.nspname"), not_extension_member("pg_class", "c.oid"), not_ignored("n.nspname", "c.relname")));
  // Columns of tables and foreign tables.
  q.push_back(fmt::format(
      "select 'column', format('%I.%I.%I', n.nspname, c.relname, at.attname), a.name, a.value from pg_attribute at "
      "join pg_class c on c.oid = at.attrelid join pg_namespace n on n.oid = c.relnamespace left join pg_attrdef ad "
      "on ad.adrelid = at.attrelid and ad.adnum = at.attnum cross join lateral (values "
      "('type', format_type(at.atttypid, at.atttypmod)), "
      "('collation', case when at.attcollation <> (select ty.typcollation from pg_type ty where ty.oid = "
      "at.atttypid) then (select format('%I.%I', cn.nspname, co.collname) from pg_collation co join pg_namespace cn "
      "on cn.oid = co.collnamespace where co.oid = at.attcollation) end), "
      "('default', case when at.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end), "
      "('generated', case when at.attgenerated = 's' then 'generated always as (' || pg_get_expr(ad.adbin, "
      "ad.adrelid) || ') stored' end), "
      "('not null', case when at.attnotnull then 'not null' end), "
      "('identity', case at.attidentity when 'a' then 'generated always as identity' when 'd' then 'generated by "
      "default as identity' end), "
      "('privileges', {}), ('comment', (select dsc.description from pg_description dsc where dsc.objoid = c.oid and dsc.classoid = 'pg_class'::regclass and dsc.objsubid = at.attnum))) a(name, value) "
      "where c.relkind in ('r', 'p', 'f') and at.attnum > 0 and not at.attisdropped and {} and {} and {} and "
      "a.value is not null",
      acl("at.attacl"), in_scope("n.nspname"), not_extension_member("pg_class", "c.oid"),
      not_ignored("n.nspname", "c.relname")));
  // Table constraints (NOT VALID and DEFERRABLE are part of the definition).
  q.push_back(fmt::format(
      "select 'constraint', format('%I.%I.%I', n.nspname, c.relname, con.conname), a.name, a.value from "
      "pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace "
      "cross join lateral (values ('definition', pg_get_constraintdef(con.oid, true)), ('comment', "
      "(select dsc.description from pg_description dsc where dsc.objoid = con.oid and dsc.classoid = 'pg_constraint'::regclass and dsc.objsubid = 0))) a(name, value) where {} and {} and {} and a.value is not null",
      in_scope("n.nspname"), not_extension_member("pg_class", "c.oid"), not_ignored("n.nspname", "c.relname")));
  // Indexes; a partition's index attached to its parent's is named after the parent's (its own
  // name is generated and may differ by a number).
  q.push_back(fmt::format(
      "select 'index', coalesce((select format('%I.%I', n.nspname, c.relname) || ' index attached to ' || "
      "format('%I', pc.relname) from pg_inherits pi join pg_class pc on pc.oid = pi.inhparent where pi.inhrelid = "
      "ic.oid), format('%I.%I', n.nspname, ic.relname)), a.name, a.value from pg_index i join pg_class ic on ic.oid "
      "= i.indexrelid join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = ic.relnamespace cross "
      "join lateral (values ('definition', regexp_replace(pg_get_indexdef(i.indexrelid), '^(CREATE (UNIQUE )?INDEX) "
      "\\S+ ON ', '\\1 ON ')), ('name', case when exists (select 1 from pg_inherits pi where pi.inhrelid = ic.oid) "
      "then null else quote_ident(ic.relname) end), ('valid', case when not i.indisvalid then 'INVALID' end), "
      "('comment', (select dsc.description from pg_description dsc where dsc.objoid = ic.oid and dsc.classoid = 'pg_class'::regclass and dsc.objsubid = 0))) a(name, value) where {} and {} and {} and a.value is not "
      "null",
      in_scope("n.nspname"), not_extension_member("pg_class", "c.oid"), not_ignored("n.nspname", "c.relname")));
  // Functions, procedures, aggregates.
  q.push_back(fmt::format(
      "select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, "
      "format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), a.name, a.value from "
      "pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join lateral (values ('definition', case when "
      "p.prokind <> 'a' then pg_get_functiondef(p.oid) end), ('owner', {}), ('privileges', {}), ('comment', "
      "(select dsc.description from pg_description dsc where dsc.objoid = p.oid and dsc.classoid = 'pg_proc'::regclass and dsc.objsubid = 0))) a(name, value) where {} and {} and a.value is not null",
      role("p.proowner"), acl("coalesce(p.proacl, acldefault('f', p.proowner))"), in_scope("n.nspname"),
      not_extension_member("pg_proc", "p.oid")));
  // Triggers (definition with WHEN and UPDATE OF, and the enabled state).
  q.push_back(fmt::format(
      "select 'trigger', format('%I.%I.%I', n.nspname, c.relname, t.tgname), a.name, a.value from pg_trigger t "
      "join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace cross join lateral "
      "(values ('definition', pg_get_triggerdef(t.oid, true)), ('enabled', case t.tgenabled when 'O' then 'origin "
      "(default)' when 'D' then 'disabled' when 'R' then 'replica only' when 'A' then 'always' end), ('comment', "
      "(select dsc.description from pg_description dsc where dsc.objoid = t.oid and dsc.classoid = 'pg_trigger'::regclass and dsc.objsubid = 0))) a(name, value) where not t.tgisinternal and {} and {} and {} and "
      "a.value is not null",
      in_scope("n.nspname"), not_extension_member("pg_class", "c.oid"), not_ignored("n.nspname", "c.relname")));
  // Rewrite rules (not the _RETURN rule of a view: the view's definition covers it).
  q.push_back(fmt::format(
      "select 'rule', format('%I.%I.%I', n.nspname, c.relname, r.rulename), a.name, a.value from pg_rewrite r join "
      "pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace cross join lateral (values "
      "('definition', pg_get_ruledef(r.oid, true)), ('enabled', case r.ev_enabled when 'O' then 'origin (default)' "
      "when 'D' then 'disabled' when 'R' then 'replica only' when 'A' then 'always' end)) a(name, value) where "
      "r.rulename <> '_RETURN' and {} and {} and a.value is not null",
      in_scope("n.nspname"), not_ignored("n.nspname", "c.relname")));
  // Row level security policies (also the ones users write on storage.objects).
  q.push_back(fmt::format(
      "select 'policy', format('%I.%I.%I', n.nspname, c.relname, p.polname), a.name, a.value from pg_policy p join "
      "pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace cross join lateral (values "
      "('command', case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' "
      "then 'delete' else 'all' end), ('permissive', case when p.polpermissive then 'permissive' else 'restrictive' "
      "end), ('roles', (select string_agg(rn, ', ' order by rn) from (select {} as rn from unnest(p.polroles) "
      "pr(oid)) rs)), ('using', pg_get_expr(p.polqual, p.polrelid)), ('with check', pg_get_expr(p.polwithcheck, "
      "p.polrelid))) a(name, value) where ({} or (n.nspname = 'storage' and c.relname = 'objects')) and {} and "
      "a.value is not null",
      role("pr.oid"), in_scope("n.nspname"), not_ignored("n.nspname", "c.relname")));
  // Default privileges.
  q.push_back(fmt::format(
      "select 'default privileges', 'for role ' || {} || ' in schema ' || coalesce(quote_ident(n.nspname), '(all "
      "schemas)') || ' on ' || case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then "
      "'functions' when 'T' then 'types' else 'schemas' end, 'privileges', coalesce({}, '(none)') from "
      "pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace where n.oid is null or {}",
      role("d.defaclrole"), acl("d.defaclacl"), in_scope("n.nspname")));
  // Publications.
  q.push_back(fmt::format(
      "select 'publication', quote_ident(p.pubname), a.name, a.value from pg_publication p cross join lateral "
      "(values ('owner', {}), ('all tables', case when p.puballtables then 'all tables' end), ('operations', "
      "concat_ws(', ', case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end, case when "
      "p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end)), ('via root', case when "
      "p.pubviaroot then 'publish_via_partition_root' end), ('tables', (select string_agg(t, ', ' order by t) from "
      "(select {} || coalesce(' where ' || pg_get_expr(pr.prqual, pr.prrelid), '') as t from pg_publication_rel pr "
      "where pr.prpubid = p.oid) pt)), ('schemas', (select string_agg(quote_ident(pns.nspname), ', ' order by "
      "pns.nspname) from pg_publication_namespace pn join pg_namespace pns on pns.oid = pn.pnnspid where "
      "pn.pnpubid = p.oid))) a(name, value) where a.value is not null",
      role("p.pubowner"), qualified_relation("pr.prrelid")));
  // Event triggers whose function is in scope.
  q.push_back(fmt::format(
      "select 'event trigger', quote_ident(e.evtname), a.name, a.value from pg_event_trigger e join pg_proc p on "
      "p.oid = e.evtfoid join pg_namespace n on n.oid = p.pronamespace cross join lateral (values ('event', "
      "e.evtevent), ('function', format('%I.%I()', n.nspname, p.proname)), ('enabled', case e.evtenabled when 'O' "
      "then 'origin (default)' when 'D' then 'disabled' when 'R' then 'replica only' when 'A' then 'always' end), "
      "('tags', array_to_string(e.evttags, ', ')), ('owner', {})) a(name, value) where {} and a.value is not null",
      role("e.evtowner"), in_scope("n.nspname")));
  return q;
}

const std::vector<std::string>& queries() {
  static const std::vector<std::string> q = build_queries();
  return q;
}

// A text[] literal of names: {"a","b"} with quotes and backslashes escaped.
std::string text_array(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const auto& n : names) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : n) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

std::string pattern_regex(const std::string& pattern) {
  std::string out = "^";
  for (char c : pattern) {
    if (c == '*') out += ".*";
    else if (c == '?') out += '.';
    else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) out += c;
    else out += std::string("\\") + c;
  }
  return out + "$";
}

std::size_t schema_query_count() { return queries().size(); }

catalog::SchemaObjects read_schema_objects(Queryable& q, const SchemaScope& scope) {
  std::vector<std::string> regexes;
  for (const auto& p : scope.ignored_tables) regexes.push_back(pattern_regex(p));
  Params params{text_array(scope.excluded_schemas), text_array(regexes)};
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  catalog::SchemaObjects objects;
  q.query("begin isolation level repeatable read read only");
  // Definitions name every object with its schema whatever the session's search_path was.
  q.query("set local search_path to pg_catalog");
  try {
    for (const auto& sql : queries()) {
      Params used = sql.find("$2") != std::string::npos ? params
                 : sql.find("$1") != std::string::npos ? Params{params[0]}
                                                         : Params{};
      for (const auto& row : q.query(sql, used)) {
        auto key = std::make_pair(row.text(0), row.text(1));
        auto [it, added] = index.emplace(key, objects.size());
        if (added) objects.push_back({key.first, key.second, {}});
        objects[it->second].attributes[row.text(2)] = row.text(3);
      }
    }
    q.query("commit");
  } catch (...) {
    try {
      q.query("rollback");
    } catch (...) {
    }
    throw;
  }
  return objects;
}

}  // namespace db
