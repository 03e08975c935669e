-- migrate:up
-- AutoCRM schema, step 15: a cheaper audit trigger (docs/benchmarks-load.md, "audit cost").
--
-- Same audit rows as before (action, record_id, record_key, old_data, new_data, actor_id,
-- organization_id); less work per audited row:
-- 1. The primary key columns come from the trigger's arguments (audit_trigger_func('id'),
--    audit_trigger_func('team_id', 'user_id')) instead of a pg_index/pg_attribute query on every
--    row; a single 'id' key takes a fast path (no aggregate, no md5). A trigger created without
--    arguments still reads the key from the catalog, as before.
-- 2. No SQL statement but the insert itself (and the organization lookups that were already
--    conditional) runs per row: auth.uid() is called as a plain expression instead of through a
--    sub-select, the excluded columns are removed in one operation, and each jsonb document is
--    built once.

create or replace function public.audit_trigger_func() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
  v_key jsonb;
  v_record_id uuid;
  v_org uuid;
  v_actor uuid := auth.uid();
begin
  if tg_op = 'INSERT' then
    v_new := to_jsonb(new) - '{embedding,search_vector}'::text[];
    v_row := v_new;
  elsif tg_op = 'UPDATE' then
    v_old := to_jsonb(old) - '{embedding,search_vector}'::text[];
    v_new := to_jsonb(new) - '{embedding,search_vector}'::text[];
    v_row := v_new;
  else
    v_old := to_jsonb(old) - '{embedding,search_vector}'::text[];
    v_row := v_old;
  end if;

  -- defect 8: the key columns are the trigger's arguments (else the table's primary key).
  if tg_nargs = 1 and tg_argv[0] = 'id' then
    v_key := jsonb_build_object('id', v_row -> 'id');
    v_record_id := (v_row ->> 'id')::uuid;
  else
    if tg_nargs > 0 then
      v_key := '{}'::jsonb;
      for i in 0 .. tg_nargs - 1 loop
        if not v_row ? tg_argv[i] then
          raise exception 'audit_trigger_func: table %.% has no column % (trigger argument)',
            tg_table_schema, tg_table_name, tg_argv[i];
        end if;
        v_key := v_key || jsonb_build_object(tg_argv[i], v_row -> tg_argv[i]);
      end loop;
    else
      select jsonb_object_agg(a.attname, v_row -> a.attname::text)
        into v_key
        from pg_catalog.pg_index i
        join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
       where i.indrelid = tg_relid and i.indisprimary;
    end if;
    if v_key is null then
      raise exception 'audit_trigger_func: table %.% has no primary key', tg_table_schema, tg_table_name;
    end if;
    if v_key - 'id' = '{}'::jsonb then
      v_record_id := (v_key ->> 'id')::uuid;
    else
      v_record_id := md5(tg_table_name || ':' || v_key::text)::uuid;
    end if;
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
  values (tg_table_name, v_record_id, v_key,
    case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end::public.audit_action,
    v_old, v_new, v_actor, v_org);
  return null;
end
$$;
comment on function public.audit_trigger_func() is 'AFTER ROW trigger: writes one audit_logs row per insert, update or delete; arguments: the primary key columns (else read from the catalog)';

drop trigger audit_organizations_changes on public.organizations;
create trigger audit_organizations_changes
  after insert or update or delete on public.organizations
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_profiles_changes on public.profiles;
create trigger audit_profiles_changes
  after insert or update or delete on public.profiles
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_teams_changes on public.teams;
create trigger audit_teams_changes
  after insert or update or delete on public.teams
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_team_members_changes on public.team_members;
create trigger audit_team_members_changes
  after insert or update or delete on public.team_members
  for each row execute function public.audit_trigger_func('team_id', 'user_id');
drop trigger audit_tickets_changes on public.tickets;
create trigger audit_tickets_changes
  after insert or update or delete on public.tickets
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_messages_changes on public.messages;
create trigger audit_messages_changes
  after insert or update or delete on public.messages
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_kb_categories_changes on public.kb_categories;
create trigger audit_kb_categories_changes
  after insert or update or delete on public.kb_categories
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_kb_articles_changes on public.kb_articles;
create trigger audit_kb_articles_changes
  after insert or update or delete on public.kb_articles
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_response_templates_changes on public.response_templates;
create trigger audit_response_templates_changes
  after insert or update or delete on public.response_templates
  for each row execute function public.audit_trigger_func('id');

-- migrate:down

drop trigger audit_response_templates_changes on public.response_templates;
create trigger audit_response_templates_changes
  after insert or update or delete on public.response_templates
  for each row execute function public.audit_trigger_func();
drop trigger audit_kb_articles_changes on public.kb_articles;
create trigger audit_kb_articles_changes
  after insert or update or delete on public.kb_articles
  for each row execute function public.audit_trigger_func();
drop trigger audit_kb_categories_changes on public.kb_categories;
create trigger audit_kb_categories_changes
  after insert or update or delete on public.kb_categories
  for each row execute function public.audit_trigger_func();
drop trigger audit_messages_changes on public.messages;
create trigger audit_messages_changes
  after insert or update or delete on public.messages
  for each row execute function public.audit_trigger_func();
drop trigger audit_tickets_changes on public.tickets;
create trigger audit_tickets_changes
  after insert or update or delete on public.tickets
  for each row execute function public.audit_trigger_func();
drop trigger audit_team_members_changes on public.team_members;
create trigger audit_team_members_changes
  after insert or update or delete on public.team_members
  for each row execute function public.audit_trigger_func();
drop trigger audit_teams_changes on public.teams;
create trigger audit_teams_changes
  after insert or update or delete on public.teams
  for each row execute function public.audit_trigger_func();
drop trigger audit_profiles_changes on public.profiles;
create trigger audit_profiles_changes
  after insert or update or delete on public.profiles
  for each row execute function public.audit_trigger_func();
drop trigger audit_organizations_changes on public.organizations;
create trigger audit_organizations_changes
  after insert or update or delete on public.organizations
  for each row execute function public.audit_trigger_func();

create or replace function public.audit_trigger_func() returns trigger
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
