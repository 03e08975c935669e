-- migrate:up
-- AutoCRM schema, step 18: each row's history is the server's, and the API roles hold exactly the
-- privileges of docs/access-matrix.md, whatever the server's default privileges granted.
--
-- 1. Exact privileges. Supabase projects run `alter default privileges in schema public grant all
--    on tables/functions/sequences to anon, authenticated, service_role`, so every table the
--    earlier steps created arrived with TRUNCATE, TRIGGER and REFERENCES for authenticated (and
--    TRUNCATE bypasses RLS and fires no row trigger). This step revokes everything from PUBLIC,
--    anon, authenticated and service_role on every AutoCRM table and function, then grants exactly
--    the matrix: anon nothing; authenticated SELECT and DELETE where a policy allows them and
--    INSERT / UPDATE on the client-written columns only; service_role SELECT, INSERT, UPDATE,
--    DELETE (SELECT only on audit_logs); EXECUTE on the functions the matrix lists. Nobody but the
--    owner holds TRUNCATE, TRIGGER or REFERENCES, so TRUNCATE of an audited table is impossible
--    for every role but the owner (requirement 5: "impossible", not "recorded").
-- 2. Server-owned columns. id, created_at, updated_at, organization_id (except a profile's, which
--    is the tenant a new user signs up to), resolved_at / closed_at and joined_at have no INSERT
--    or UPDATE privilege for authenticated: naming one fails with 42501 before any row is read.
--    Their values come from defaults (gen_random_uuid(), now(), private.current_org_id()), from
--    moddatetime on update and from guard_ticket_write (status timestamps, a ticket's
--    organization from its customer). Column privileges cost nothing per row, unlike a trigger
--    that resets the values (docs/benchmarks-load.md, "server-owned columns").
-- 3. Message provenance: authenticated may update a message's content and metadata only, never
--    its ticket_id, sender_id or message_type (the policies still decide whose messages); system
--    and ai messages are only inserted by service_role, as before; the audit log keeps every
--    earlier text of a redacted message.
-- The privileges as they were are saved in private.api_privileges_before; the down section puts
-- them back exactly.

create table private.api_privileges_before (
  object_kind text not null check (object_kind in ('table', 'function')),
  object_name text not null,
  acl aclitem[],
  column_acls jsonb not null default '{}'::jsonb,
  primary key (object_kind, object_name)
);
comment on table private.api_privileges_before is 'autocrm: privileges of the AutoCRM tables and functions before migration 20260101001800, restored by its down section';

-- The AutoCRM tables and functions; later steps that add one add it to these lists too.
-- (Names are schema-qualified: the functions run with an empty search_path.)
create function private.autocrm_tables() returns setof text
language sql stable set search_path = ''
as $$
  select c.oid::regclass::text
    from pg_catalog.pg_class c
   where c.oid in (
     select pg_catalog.to_regclass(t) from unnest(array[
       'public.organizations', 'public.profiles', 'public.teams', 'public.team_members',
       'public.tickets', 'public.messages', 'public.kb_categories', 'public.kb_articles',
       'public.response_templates', 'public.audit_logs']) t)
$$;
comment on function private.autocrm_tables() is 'The AutoCRM tables of the API schema, whose privileges steps 18+ set exactly';

create function private.autocrm_functions() returns setof text
language sql stable set search_path = ''
as $$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p
   where (p.pronamespace = 'private'::regnamespace
          or (p.pronamespace = 'public'::regnamespace
              and p.proname in ('assign_ticket', 'change_ticket_status', 'get_agent_performance',
                                'get_ticket_metrics', 'refresh_analytics_views', 'search_kb_articles',
                                'match_kb_articles', 'audit_trigger_func')))
     and not exists (select 1 from pg_catalog.pg_depend d
                      where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
$$;
comment on function private.autocrm_functions() is 'The AutoCRM functions (schema private, and the API functions of public), whose privileges steps 18+ set exactly';
revoke all on function private.autocrm_tables() from public;
revoke all on function private.autocrm_functions() from public;

-- Save, then revoke everything from PUBLIC and the API roles.
insert into private.api_privileges_before (object_kind, object_name, acl, column_acls)
select 'table', t, c.relacl,
       coalesce((select jsonb_object_agg(a.attname, a.attacl::text)
                   from pg_catalog.pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null), '{}'::jsonb)
  from private.autocrm_tables() t join pg_catalog.pg_class c on c.oid = t::regclass;
insert into private.api_privileges_before (object_kind, object_name, acl)
select 'function', f, p.proacl
  from private.autocrm_functions() f join pg_catalog.pg_proc p on p.oid = f::regprocedure;

do $$
declare
  t text;
  f text;
begin
  for t in select * from private.autocrm_tables() loop
    execute format('revoke all on table %s from public, anon, authenticated, service_role', t);
  end loop;
  for f in select * from private.autocrm_functions() loop
    execute format('revoke all on function %s from public, anon, authenticated, service_role', f);
  end loop;
end
$$;

-- A team is created in the admin's own organization (the column is not the client's to write).
alter table public.teams alter column organization_id set default private.current_org_id();

-- authenticated: what the policies allow, on the client-written columns only.
grant select, delete on public.organizations, public.profiles, public.teams, public.team_members,
  public.tickets, public.messages, public.kb_categories, public.kb_articles,
  public.response_templates to authenticated;
revoke delete on public.organizations from authenticated;  -- provisioning is service_role's
grant select on public.audit_logs to authenticated;

grant update (name, domain, metadata) on public.organizations to authenticated;
grant insert (id, role, full_name, avatar_url, organization_id, metadata) on public.profiles to authenticated;
grant update (role, full_name, avatar_url, metadata) on public.profiles to authenticated;
grant insert (name, description, metadata) on public.teams to authenticated;
grant update (name, description, metadata) on public.teams to authenticated;
grant insert (team_id, user_id, role) on public.team_members to authenticated;
grant update (team_id, user_id, role) on public.team_members to authenticated;
grant insert (title, description, status, priority, customer_id, assigned_agent_id, assigned_team_id, metadata, tags)
  on public.tickets to authenticated;
grant update (title, description, status, priority, assigned_agent_id, assigned_team_id, metadata, tags)
  on public.tickets to authenticated;
grant insert (ticket_id, sender_id, message_type, content, metadata) on public.messages to authenticated;
grant update (content, metadata) on public.messages to authenticated;
grant insert (name, description, parent_id, metadata) on public.kb_categories to authenticated;
grant update (name, description, parent_id, metadata) on public.kb_categories to authenticated;
grant insert (title, content, category_id, author_id, metadata, tags, published_at) on public.kb_articles to authenticated;
grant update (title, content, category_id, metadata, tags, published_at) on public.kb_articles to authenticated;
grant insert (title, content, team_id, author_id, tags, metadata) on public.response_templates to authenticated;
grant update (title, content, team_id, tags, metadata) on public.response_templates to authenticated;

-- The embedding column exists only where pgvector is installed (step 7).
do $$
begin
  if exists (select 1 from pg_catalog.pg_attribute
              where attrelid = 'public.kb_articles'::regclass and attname = 'embedding' and not attisdropped) then
    grant insert (embedding), update (embedding) on public.kb_articles to authenticated;
  end if;
end
$$;

-- service_role: the backend writes every column (imports, system and ai messages), never the
-- audit log, and holds no TRUNCATE, TRIGGER or REFERENCES either.
grant select, insert, update, delete on public.organizations, public.profiles, public.teams,
  public.team_members, public.tickets, public.messages, public.kb_categories, public.kb_articles,
  public.response_templates to service_role;
grant select on public.audit_logs to service_role;

-- Functions: the API functions and the helpers the policies and the ticket guard call (they run
-- as the caller); the rest (trigger functions, audit internals) run as their owner only.
do $$
declare
  f text;
begin
  for f in select * from private.autocrm_functions() loop
    if f ~ '^(public\.(assign_ticket|change_ticket_status|get_agent_performance|get_ticket_metrics|refresh_analytics_views|search_kb_articles|match_kb_articles)|private\.(check_ticket_assignment|current_admin_org_id|current_org_id|current_org_team_ids|current_staff_id|current_staff_team_ids|current_user_role|current_user_team_ids|is_admin|is_org_staff|is_service_caller|is_staff|is_team_member))\(' then
      execute format('grant execute on function %s to authenticated, service_role', f);
    elsif f ~ '^(private\.create_audit_log_partitions|public\.audit_trigger_func)\(' then
      execute format('grant execute on function %s to service_role', f);
    end if;
  end loop;
end
$$;

-- migrate:down

do $$
declare
  r record;
  a record;
  c record;
  v_acl aclitem[];
  v_kind text;
begin
  for r in select b.*, coalesce(cl.relowner, p.proowner) as owner
             from private.api_privileges_before b
             left join pg_catalog.pg_class cl
                    on cl.oid = case when b.object_kind = 'table' then pg_catalog.to_regclass(b.object_name) end
             left join pg_catalog.pg_proc p
                    on p.oid = case when b.object_kind = 'function' then pg_catalog.to_regprocedure(b.object_name) end
            where coalesce(cl.oid, p.oid) is not null loop
    v_kind := case r.object_kind when 'table' then 'table' else 'function' end;
    execute format('revoke all on %s %s from public, anon, authenticated, service_role', v_kind, r.object_name);
    v_acl := coalesce(r.acl, pg_catalog.acldefault((case r.object_kind when 'table' then 'r' else 'f' end)::"char", r.owner));
    for a in select x.grantee, x.privilege_type from pg_catalog.aclexplode(v_acl) x
              where x.grantee = 0 or x.grantee in (select oid from pg_catalog.pg_roles
                                                    where rolname in ('anon', 'authenticated', 'service_role')) loop
      execute format('grant %s on %s %s to %s', a.privilege_type, v_kind, r.object_name,
                     case when a.grantee = 0 then 'public' else quote_ident(a.grantee::regrole::text) end);
    end loop;
    for c in select key as column_name, value as column_acl from jsonb_each_text(r.column_acls) loop
      for a in select x.grantee, x.privilege_type from pg_catalog.aclexplode(c.column_acl::aclitem[]) x
                where x.grantee = 0 or x.grantee in (select oid from pg_catalog.pg_roles
                                                      where rolname in ('anon', 'authenticated', 'service_role')) loop
        execute format('grant %s (%I) on table %s to %s', a.privilege_type, c.column_name, r.object_name,
                       case when a.grantee = 0 then 'public' else quote_ident(a.grantee::regrole::text) end);
      end loop;
    end loop;
  end loop;
end
$$;

alter table public.teams alter column organization_id drop default;
drop function private.autocrm_functions();
drop function private.autocrm_tables();
drop table private.api_privileges_before;
