-- migrate:up
-- AutoCRM schema, step 16: audit rows written per statement (docs/benchmarks-load.md, "audit cost").
--
-- Same audit rows as before (one per inserted, updated or deleted row: action, record_id,
-- record_key, old_data, new_data, actor_id, organization_id); written with less work:
-- 1. Inserts and deletes are audited by statement-level triggers (audit_<table>_inserts,
--    audit_<table>_deletes) that read the statement's rows from a transition table named
--    audit_rows and write all their audit rows with one INSERT ... SELECT. A 10,000-row import
--    no longer runs the trigger function, its SPI call and an executor start-up 10,000 times.
-- 2. Updates stay row-level (audit_<table>_changes, now AFTER UPDATE only): a row trigger gets
--    OLD and NEW paired by PostgreSQL; a statement's old and new transition tables could only be
--    paired by key, and keys can change.
-- 3. audit_logs ids are time-ordered (private.uuid_v7(): UUID version 7 layout, 48-bit Unix
--    milliseconds then random bits), so new audit rows go to the right edge of the primary key
--    index instead of a random leaf page; on a large audit log that keeps the index's hot part
--    small. They stay uuids; created_at stays the authoritative time.

-- A UUID of version 7 layout (RFC 9562): Unix time in milliseconds, then random bits from
-- gen_random_uuid() with the version nibble set to 7. One SQL expression, so the planner
-- inlines it where it is used as a column default.
create function private.uuid_v7() returns uuid
language sql volatile parallel safe
as $$
  select (lpad(to_hex(floor(extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
          || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid
$$;
comment on function private.uuid_v7() is 'UUID in version 7 layout (Unix milliseconds, then random bits): time-ordered ids for append-mostly tables';
revoke all on function private.uuid_v7() from public;

alter table public.audit_logs alter column id set default private.uuid_v7();

-- The record key of an audited row: {"id": ...} or the named key columns, e.g.
-- {"team_id": ..., "user_id": ...}; an error naming the table when a key column is missing.
create function private.audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb) returns jsonb
language plpgsql immutable
as $$
declare
  v_key jsonb := '{}'::jsonb;
  v_column text;
begin
  foreach v_column in array p_keys loop
    if not p_row ? v_column then
      raise exception 'audit_trigger_func: table %.% has no column % (trigger argument or primary key)',
        p_schema, p_table, v_column
        using hint = 'create the audit triggers with the table''s primary key columns as arguments';
    end if;
    v_key := v_key || jsonb_build_object(v_column, p_row -> v_column);
  end loop;
  return v_key;
end
$$;
comment on function private.audit_record_key(text, text, text[], jsonb) is 'Key columns of an audited row as jsonb; raises when the row lacks one';
revoke all on function private.audit_record_key(text, text, text[], jsonb) from public;

-- defect 14: the organization of an audited row without an organization_id column: the
-- organization itself, else the organization of its ticket or team, else that of the actor.
create function private.audit_organization(p_table text, p_row jsonb, p_actor uuid) returns uuid
language plpgsql stable
as $$
declare
  v_org uuid;
begin
  if p_table = 'organizations' then
    return (p_row ->> 'id')::uuid;
  end if;
  v_org := (p_row ->> 'organization_id')::uuid;
  if v_org is null and p_row ? 'ticket_id' then
    select t.organization_id into v_org from public.tickets t where t.id = (p_row ->> 'ticket_id')::uuid;
  end if;
  if v_org is null and p_row ? 'team_id' then
    select t.organization_id into v_org from public.teams t where t.id = (p_row ->> 'team_id')::uuid;
  end if;
  if v_org is null and p_actor is not null then
    select p.organization_id into v_org from public.profiles p where p.id = p_actor;
  end if;
  return v_org;
end
$$;
comment on function private.audit_organization(text, jsonb, uuid) is 'Organization of an audited row: its own, its ticket''s or team''s, else the actor''s';
revoke all on function private.audit_organization(text, jsonb, uuid) from public;

-- One function for every audit trigger. Statement level (AFTER INSERT / AFTER DELETE, transition
-- table audit_rows): one INSERT ... SELECT for all rows of the statement. Row level (AFTER UPDATE):
-- one audit row with the old and the new row. The key columns are the trigger's arguments, else
-- the table's primary key; rows carrying organization_id never call audit_organization(), so the
-- common case runs no extra query and the statement's plan opens no other table.
create or replace function public.audit_trigger_func() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_keys text[];
  v_single_id boolean;
  v_actor uuid := auth.uid();
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
  v_key jsonb;
begin
  -- defect 8: the key columns are the trigger's arguments (else the table's primary key).
  if tg_nargs > 0 then
    v_keys := tg_argv[0:tg_nargs - 1];  -- a slice: lower bound 1, like every other array
  else
    select array_agg(a.attname::text order by a.attnum)
      into v_keys
      from pg_catalog.pg_index i
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
     where i.indrelid = tg_relid and i.indisprimary;
    if v_keys is null then
      raise exception 'audit_trigger_func: table %.% has no primary key', tg_table_schema, tg_table_name;
    end if;
  end if;
  v_single_id := v_keys = array['id'];

  if tg_level = 'STATEMENT' then
    if tg_op not in ('INSERT', 'DELETE') then
      raise exception 'audit_trigger_func: a statement-level audit trigger must be AFTER INSERT or AFTER DELETE (table %.%)',
        tg_table_schema, tg_table_name;
    end if;
    insert into public.audit_logs
      (table_name, record_id, record_key, action, old_data, new_data, actor_id, organization_id)
    select tg_table_name,
           case when v_single_id then (k.key ->> 'id')::uuid
                else md5(tg_table_name || ':' || k.key::text)::uuid end,
           k.key,
           -- defect 7: map, never cast, TG_OP.
           case tg_op when 'INSERT' then 'create' else 'delete' end::public.audit_action,
           case when tg_op = 'DELETE' then k.doc end,
           case when tg_op = 'INSERT' then k.doc end,
           v_actor,
           coalesce(case when tg_table_name <> 'organizations' then (k.doc ->> 'organization_id')::uuid end,
                    private.audit_organization(tg_table_name, k.doc, v_actor))
      from (select r.doc,
                   case when v_single_id and r.doc ? 'id' then jsonb_build_object('id', r.doc -> 'id')
                        else private.audit_record_key(tg_table_schema, tg_table_name, v_keys, r.doc) end as key
              -- Derived, bulky columns stay out of the history (embedding: 1536 floats; search_vector).
              -- audit_rows.*, not an alias: a column of the same name would shadow an alias.
              from (select to_jsonb(audit_rows.*) - '{embedding,search_vector}'::text[] as doc from audit_rows offset 0) r
            offset 0) k;
    return null;
  end if;

  if tg_op in ('UPDATE', 'DELETE') then
    v_old := to_jsonb(old) - '{embedding,search_vector}'::text[];
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := to_jsonb(new) - '{embedding,search_vector}'::text[];
  end if;
  v_row := coalesce(v_new, v_old);
  if v_single_id and v_row ? 'id' then
    v_key := jsonb_build_object('id', v_row -> 'id');
  else
    v_key := private.audit_record_key(tg_table_schema, tg_table_name, v_keys, v_row);
  end if;
  insert into public.audit_logs
    (table_name, record_id, record_key, action, old_data, new_data, actor_id, organization_id)
  values (tg_table_name,
    case when v_single_id then (v_key ->> 'id')::uuid else md5(tg_table_name || ':' || v_key::text)::uuid end,
    v_key,
    case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end::public.audit_action,
    v_old, v_new, v_actor,
    coalesce(case when tg_table_name <> 'organizations' then (v_row ->> 'organization_id')::uuid end,
             private.audit_organization(tg_table_name, v_row, v_actor)));
  return null;
end
$$;
comment on function public.audit_trigger_func() is 'Audit trigger: AFTER INSERT / AFTER DELETE FOR EACH STATEMENT with transition table audit_rows, or AFTER UPDATE FOR EACH ROW; one audit_logs row per changed row; arguments: the primary key columns (else read from the catalog)';

drop trigger audit_organizations_changes on public.organizations;
create trigger audit_organizations_inserts
  after insert on public.organizations referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_organizations_changes
  after update on public.organizations
  for each row execute function public.audit_trigger_func('id');
create trigger audit_organizations_deletes
  after delete on public.organizations referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_profiles_changes on public.profiles;
create trigger audit_profiles_inserts
  after insert on public.profiles referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_profiles_changes
  after update on public.profiles
  for each row execute function public.audit_trigger_func('id');
create trigger audit_profiles_deletes
  after delete on public.profiles referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_teams_changes on public.teams;
create trigger audit_teams_inserts
  after insert on public.teams referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_teams_changes
  after update on public.teams
  for each row execute function public.audit_trigger_func('id');
create trigger audit_teams_deletes
  after delete on public.teams referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_team_members_changes on public.team_members;
create trigger audit_team_members_inserts
  after insert on public.team_members referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('team_id', 'user_id');
create trigger audit_team_members_changes
  after update on public.team_members
  for each row execute function public.audit_trigger_func('team_id', 'user_id');
create trigger audit_team_members_deletes
  after delete on public.team_members referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('team_id', 'user_id');
drop trigger audit_tickets_changes on public.tickets;
create trigger audit_tickets_inserts
  after insert on public.tickets referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_tickets_changes
  after update on public.tickets
  for each row execute function public.audit_trigger_func('id');
create trigger audit_tickets_deletes
  after delete on public.tickets referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_messages_changes on public.messages;
create trigger audit_messages_inserts
  after insert on public.messages referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_messages_changes
  after update on public.messages
  for each row execute function public.audit_trigger_func('id');
create trigger audit_messages_deletes
  after delete on public.messages referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_kb_categories_changes on public.kb_categories;
create trigger audit_kb_categories_inserts
  after insert on public.kb_categories referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_kb_categories_changes
  after update on public.kb_categories
  for each row execute function public.audit_trigger_func('id');
create trigger audit_kb_categories_deletes
  after delete on public.kb_categories referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_kb_articles_changes on public.kb_articles;
create trigger audit_kb_articles_inserts
  after insert on public.kb_articles referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_kb_articles_changes
  after update on public.kb_articles
  for each row execute function public.audit_trigger_func('id');
create trigger audit_kb_articles_deletes
  after delete on public.kb_articles referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
drop trigger audit_response_templates_changes on public.response_templates;
create trigger audit_response_templates_inserts
  after insert on public.response_templates referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('id');
create trigger audit_response_templates_changes
  after update on public.response_templates
  for each row execute function public.audit_trigger_func('id');
create trigger audit_response_templates_deletes
  after delete on public.response_templates referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func('id');

-- migrate:down

drop trigger audit_response_templates_deletes on public.response_templates;
drop trigger audit_response_templates_changes on public.response_templates;
drop trigger audit_response_templates_inserts on public.response_templates;
create trigger audit_response_templates_changes
  after insert or update or delete on public.response_templates
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_kb_articles_deletes on public.kb_articles;
drop trigger audit_kb_articles_changes on public.kb_articles;
drop trigger audit_kb_articles_inserts on public.kb_articles;
create trigger audit_kb_articles_changes
  after insert or update or delete on public.kb_articles
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_kb_categories_deletes on public.kb_categories;
drop trigger audit_kb_categories_changes on public.kb_categories;
drop trigger audit_kb_categories_inserts on public.kb_categories;
create trigger audit_kb_categories_changes
  after insert or update or delete on public.kb_categories
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_messages_deletes on public.messages;
drop trigger audit_messages_changes on public.messages;
drop trigger audit_messages_inserts on public.messages;
create trigger audit_messages_changes
  after insert or update or delete on public.messages
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_tickets_deletes on public.tickets;
drop trigger audit_tickets_changes on public.tickets;
drop trigger audit_tickets_inserts on public.tickets;
create trigger audit_tickets_changes
  after insert or update or delete on public.tickets
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_team_members_deletes on public.team_members;
drop trigger audit_team_members_changes on public.team_members;
drop trigger audit_team_members_inserts on public.team_members;
create trigger audit_team_members_changes
  after insert or update or delete on public.team_members
  for each row execute function public.audit_trigger_func('team_id', 'user_id');
drop trigger audit_teams_deletes on public.teams;
drop trigger audit_teams_changes on public.teams;
drop trigger audit_teams_inserts on public.teams;
create trigger audit_teams_changes
  after insert or update or delete on public.teams
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_profiles_deletes on public.profiles;
drop trigger audit_profiles_changes on public.profiles;
drop trigger audit_profiles_inserts on public.profiles;
create trigger audit_profiles_changes
  after insert or update or delete on public.profiles
  for each row execute function public.audit_trigger_func('id');
drop trigger audit_organizations_deletes on public.organizations;
drop trigger audit_organizations_changes on public.organizations;
drop trigger audit_organizations_inserts on public.organizations;
create trigger audit_organizations_changes
  after insert or update or delete on public.organizations
  for each row execute function public.audit_trigger_func('id');

-- The function as step 15 left it.
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

drop function private.audit_organization(text, jsonb, uuid);
drop function private.audit_record_key(text, text, text[], jsonb);
alter table public.audit_logs alter column id set default gen_random_uuid();
drop function private.uuid_v7();
