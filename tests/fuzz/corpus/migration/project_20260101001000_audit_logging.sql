-- migrate:up
-- AutoCRM schema, step 10 (plan section 8): audit log, partitioned by month, and the audit
-- trigger on every audited table.
--
-- defect 2/5: no uuid-ossp and no extension in public (gen_random_uuid() is built in).
-- defect 7: TG_OP (INSERT/UPDATE/DELETE) is mapped to the enum (create/update/delete) instead of
--           being cast.
-- defect 8: no NEW.id/OLD.id: the record key is read from the table's primary key, so
--           team_members (composite key) is audited too. record_key holds the key as jsonb;
--           record_id is the id for single-uuid-key tables and a deterministic uuid derived from
--           table name + key otherwise (md5), so the history of one membership shares a record_id.
-- defect 11: the trigger function is security definer with an empty search_path; writes by any
--            role succeed, and nobody but the trigger can write audit_logs (no write policies,
--            write privileges revoked from every API role).
-- defect 14: audit rows carry organization_id (the audited row's organization, else the
--            actor's), so "admins see their organization's audit log" is a real, indexed filter.
-- defect 18: monthly range partitions on created_at (primary key (id, created_at)), a default
--            partition, and private.create_audit_log_partitions() to create upcoming months.
-- actor_id has no foreign key on purpose: audit history must survive the deletion of its actor
-- and must never block a write.

create type public.audit_action as enum ('create', 'update', 'delete');

create table public.audit_logs (
  id uuid not null default gen_random_uuid(),
  table_name text not null,
  record_id uuid not null,
  record_key jsonb not null,
  action public.audit_action not null,
  old_data jsonb,
  new_data jsonb,
  actor_id uuid,
  organization_id uuid,
  created_at timestamptz not null default now(),
  primary key (id, created_at)
) partition by range (created_at);
comment on table public.audit_logs is 'Append-only change history written by public.audit_trigger_func(); partitions live in schema private';
comment on column public.audit_logs.record_key is 'Primary key of the audited row as jsonb, e.g. {"id": ...} or {"team_id": ..., "user_id": ...}';
comment on column public.audit_logs.record_id is 'id of the audited row, or md5(table_name:record_key) as uuid for composite keys';

-- Rows outside every monthly partition land here; create_audit_log_partitions() moves them out.
create table private.audit_logs_default partition of public.audit_logs default
  with (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02,
        autovacuum_vacuum_insert_scale_factor = 0.05);
alter table private.audit_logs_default enable row level security;

-- Creates the partitions of the current UTC month and the next p_months_ahead months that do not
-- exist yet; rows already sitting in the default partition for such a month are moved into it.
-- Returns the names of the partitions it created. Schedule it monthly (docs/schema.md).
create function private.create_audit_log_partitions(p_months_ahead integer default 3)
returns setof text
language plpgsql security definer set search_path = ''
as $$
declare
  v_month timestamp;
  v_from timestamptz;
  v_to timestamptz;
  v_name text;
  v_storage constant text :=
    'autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05';
begin
  if p_months_ahead is null or p_months_ahead < 0 or p_months_ahead > 120 then
    raise exception 'months_ahead must be between 0 and 120, got %', p_months_ahead
      using errcode = '22023';
  end if;
  for i in 0 .. p_months_ahead loop
    v_month := date_trunc('month', now() at time zone 'UTC') + make_interval(months => i);
    v_from := v_month at time zone 'UTC';
    v_to := (v_month + interval '1 month') at time zone 'UTC';
    v_name := 'audit_logs_' || to_char(v_month, '"y"YYYY"m"MM');
    continue when to_regclass(format('private.%I', v_name)) is not null;

    if exists (select 1 from private.audit_logs_default d
                where d.created_at >= v_from and d.created_at < v_to) then
      execute format('create table private.%I (like public.audit_logs including defaults including constraints) with (%s)',
                     v_name, v_storage);
      execute format('with moved as (delete from private.audit_logs_default where created_at >= %L and created_at < %L returning *) '
                     'insert into private.%I select * from moved', v_from, v_to, v_name);
      execute format('alter table public.audit_logs attach partition private.%I for values from (%L) to (%L)',
                     v_name, v_from, v_to);
    else
      execute format('create table private.%I partition of public.audit_logs for values from (%L) to (%L) with (%s)',
                     v_name, v_from, v_to, v_storage);
    end if;
    -- Partitions are never read directly by the API roles.
    execute format('revoke all on table private.%I from public, anon, authenticated', v_name);
    execute format('alter table private.%I enable row level security', v_name);
    return next v_name;
  end loop;
end
$$;
comment on function private.create_audit_log_partitions(integer) is 'Creates missing monthly audit_logs partitions from the current UTC month to p_months_ahead months ahead';
revoke all on function private.create_audit_log_partitions(integer) from public, anon, authenticated;
grant execute on function private.create_audit_log_partitions(integer) to service_role;

-- The current month and the next three.
select private.create_audit_log_partitions(3);

create function public.audit_trigger_func() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
  v_key jsonb;
  v_record_id uuid;
  v_org uuid;
  v_actor uuid := (select auth.uid());
begin
  -- Derived, bulky columns stay out of the history (embedding: 1536 floats; search_vector).
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := to_jsonb(old) - 'embedding' - 'search_vector';
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := to_jsonb(new) - 'embedding' - 'search_vector';
  end if;
  v_row := coalesce(v_new, v_old);

  -- defect 8: the key columns come from the table's primary key, whatever they are.
  select jsonb_object_agg(a.attname, v_row -> a.attname::text)
    into v_key
    from pg_catalog.pg_index i
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
   where i.indrelid = tg_relid and i.indisprimary;
  if v_key is null then
    raise exception 'audit_trigger_func: table %.% has no primary key', tg_table_schema, tg_table_name;
  end if;
  if v_key - 'id' = '{}'::jsonb then
    v_record_id := (v_key ->> 'id')::uuid;
  else
    v_record_id := md5(tg_table_name || ':' || v_key::text)::uuid;
  end if;

  -- defect 14: organization of the audited row, else of its ticket or team, else of the actor.
  if tg_table_name = 'organizations' then
    v_org := (v_row ->> 'id')::uuid;
  else
    v_org := (v_row ->> 'organization_id')::uuid;
  end if;
  if v_org is null and v_row ? 'ticket_id' then
    select t.organization_id into v_org from public.tickets t where t.id = (v_row ->> 'ticket_id')::uuid;
  end if;
  if v_org is null and v_row ? 'team_id' then
    select t.organization_id into v_org from public.teams t where t.id = (v_row ->> 'team_id')::uuid;
  end if;
  if v_org is null and v_actor is not null then
    select p.organization_id into v_org from public.profiles p where p.id = v_actor;
  end if;

  insert into public.audit_logs
    (table_name, record_id, record_key, action, old_data, new_data, actor_id, organization_id)
  values (
    tg_table_name,
    v_record_id,
    v_key,
    -- defect 7: map, never cast, TG_OP.
    case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end::public.audit_action,
    v_old,
    v_new,
    v_actor,
    v_org
  );
  return null;
end
$$;
comment on function public.audit_trigger_func() is 'AFTER ROW trigger: writes one audit_logs row per insert, update or delete';
revoke all on function public.audit_trigger_func() from public, anon, authenticated;

create trigger audit_organizations_changes
  after insert or update or delete on public.organizations
  for each row execute function public.audit_trigger_func();
create trigger audit_profiles_changes
  after insert or update or delete on public.profiles
  for each row execute function public.audit_trigger_func();
create trigger audit_teams_changes
  after insert or update or delete on public.teams
  for each row execute function public.audit_trigger_func();
create trigger audit_team_members_changes
  after insert or update or delete on public.team_members
  for each row execute function public.audit_trigger_func();
create trigger audit_tickets_changes
  after insert or update or delete on public.tickets
  for each row execute function public.audit_trigger_func();
create trigger audit_messages_changes
  after insert or update or delete on public.messages
  for each row execute function public.audit_trigger_func();
create trigger audit_kb_categories_changes
  after insert or update or delete on public.kb_categories
  for each row execute function public.audit_trigger_func();
create trigger audit_kb_articles_changes
  after insert or update or delete on public.kb_articles
  for each row execute function public.audit_trigger_func();
create trigger audit_response_templates_changes
  after insert or update or delete on public.response_templates
  for each row execute function public.audit_trigger_func();

-- Read-only for the API: only the trigger writes (service_role included: it bypasses RLS, so its
-- write privileges are revoked too).
revoke all on table public.audit_logs from public, anon, authenticated, service_role;
grant select on table public.audit_logs to authenticated, service_role;

alter table public.audit_logs enable row level security;

-- Replaces the plan's two select policies: admins only, and only their organization's rows.
create policy "Admins can view organization audit logs"
  on public.audit_logs for select to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- migrate:down

drop trigger audit_response_templates_changes on public.response_templates;
drop trigger audit_kb_articles_changes on public.kb_articles;
drop trigger audit_kb_categories_changes on public.kb_categories;
drop trigger audit_messages_changes on public.messages;
drop trigger audit_tickets_changes on public.tickets;
drop trigger audit_team_members_changes on public.team_members;
drop trigger audit_teams_changes on public.teams;
drop trigger audit_profiles_changes on public.profiles;
drop trigger audit_organizations_changes on public.organizations;
drop function public.audit_trigger_func();
drop function private.create_audit_log_partitions(integer);
-- Drops every partition with it (monthly ones and the default).
drop table public.audit_logs;
drop type public.audit_action;
