--
-- PostgreSQL database dump
--

\restrict autocrmmigrate


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: analytics; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA analytics;


--
-- Name: SCHEMA analytics; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA analytics IS 'autocrm: analytics materialized views; not exposed, read through public.get_ticket_metrics() and public.get_agent_performance()';


--
-- Name: private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA private;


--
-- Name: SCHEMA private; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA private IS 'autocrm: internal helpers, bookkeeping and audit log partitions; never exposed through the API';


--
-- Name: moddatetime; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS moddatetime WITH SCHEMA extensions;


--
-- Name: EXTENSION moddatetime; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION moddatetime IS 'functions for tracking last modification time';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: audit_action; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.audit_action AS ENUM (
    'create',
    'update',
    'delete'
);


--
-- Name: message_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.message_type AS ENUM (
    'customer',
    'agent',
    'system',
    'ai'
);


--
-- Name: ticket_priority; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.ticket_priority AS ENUM (
    'low',
    'medium',
    'high',
    'urgent'
);


--
-- Name: ticket_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.ticket_status AS ENUM (
    'new',
    'open',
    'pending',
    'resolved',
    'closed'
);


--
-- Name: user_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.user_role AS ENUM (
    'customer',
    'agent',
    'admin'
);


--
-- Name: analytics_denied(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.analytics_denied() RETURNS uuid[]
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  raise exception 'analytics are available to agents and admins only' using errcode = '42501';
end
$$;


--
-- Name: FUNCTION analytics_denied(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.analytics_denied() IS 'Raises 42501 for a caller who may not read analytics (the analytics views call it for anybody but staff and the service role)';


--
-- Name: analytics_organization_allowed(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.analytics_organization_allowed(p_organization_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_role public.user_role;
  v_org uuid;
begin
  if coalesce(nullif(current_setting('role', true), 'none'), session_user::text) not in ('anon', 'authenticated') then
    return true;
  end if;
  select p.role, p.organization_id into v_role, v_org from public.profiles p where p.id = (select auth.uid());
  if v_role is null or v_role not in ('agent', 'admin') then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  if p_organization_id is distinct from v_org then
    raise exception 'analytics of another organization are not available' using errcode = '42501',
      hint = 'leave p_organization_id null: staff read their own organization';
  end if;
  return true;
end
$$;


--
-- Name: FUNCTION analytics_organization_allowed(p_organization_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.analytics_organization_allowed(p_organization_id uuid) IS 'True when the caller may read the analytics of that organization (service role: any; staff: their own); raises 42501 otherwise';


--
-- Name: audit_organization(text, jsonb, uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.audit_organization(p_table text, p_row jsonb, p_actor uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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


--
-- Name: FUNCTION audit_organization(p_table text, p_row jsonb, p_actor uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.audit_organization(p_table text, p_row jsonb, p_actor uuid) IS 'Organization of an audited row: its own, its ticket''s or team''s, else the actor''s';


--
-- Name: audit_record_key(text, text, text[], jsonb); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
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


--
-- Name: FUNCTION audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb) IS 'Key columns of an audited row as jsonb; raises when the row lacks one';


--
-- Name: autocrm_functions(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.autocrm_functions() RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
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


--
-- Name: FUNCTION autocrm_functions(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.autocrm_functions() IS 'The AutoCRM functions (schema private, and the API functions of public), whose privileges steps 18+ set exactly';


--
-- Name: autocrm_tables(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.autocrm_tables() RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select c.oid::regclass::text
    from pg_catalog.pg_class c
   where c.oid in (
     select pg_catalog.to_regclass(t) from unnest(array[
       'public.organizations', 'public.profiles', 'public.teams', 'public.team_members',
       'public.tickets', 'public.messages', 'public.kb_categories', 'public.kb_articles',
       'public.response_templates', 'public.audit_logs']) t)
$$;


--
-- Name: FUNCTION autocrm_tables(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.autocrm_tables() IS 'The AutoCRM tables of the API schema, whose privileges steps 18+ set exactly';


--
-- Name: check_ticket_assignment(uuid, uuid, uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if p_team_id is not null and not exists (
    select 1 from public.teams t
     where t.id = p_team_id and t.organization_id is not distinct from p_organization_id
  ) then
    raise exception 'team % does not belong to the ticket''s organization', p_team_id
      using errcode = '23514';
  end if;
  if p_agent_id is not null and not exists (
    select 1 from public.profiles p
     where p.id = p_agent_id and p.role in ('agent', 'admin')
       and p.organization_id is not distinct from p_organization_id
  ) then
    raise exception 'assignee % is not an agent or admin of the ticket''s organization', p_agent_id
      using errcode = '23514';
  end if;
  if p_agent_id is not null and p_team_id is not null and not exists (
    select 1 from public.team_members tm where tm.team_id = p_team_id and tm.user_id = p_agent_id
  ) then
    raise exception 'agent % is not a member of team %', p_agent_id, p_team_id
      using errcode = '23514';
  end if;
end
$$;


--
-- Name: create_audit_log_partitions(integer); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.create_audit_log_partitions(p_months_ahead integer DEFAULT 3) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


--
-- Name: FUNCTION create_audit_log_partitions(p_months_ahead integer); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.create_audit_log_partitions(p_months_ahead integer) IS 'Creates missing monthly audit_logs partitions from the current UTC month to p_months_ahead months ahead';


--
-- Name: current_admin_org_id(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_admin_org_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (select p.organization_id from public.profiles p
           where p.id = (select auth.uid()) and p.role = 'admin');
end
$$;


--
-- Name: FUNCTION current_admin_org_id(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_admin_org_id() IS 'Organization of the signed-in admin, else null; use as col = (select private.current_admin_org_id())';


--
-- Name: current_org_id(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_org_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (select p.organization_id from public.profiles p where p.id = (select auth.uid()));
end
$$;


--
-- Name: FUNCTION current_org_id(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_org_id() IS 'Organization of the signed-in user (null without one)';


--
-- Name: current_org_team_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_org_team_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select t.id from public.teams t where t.organization_id = (select private.current_org_id())
$$;


--
-- Name: FUNCTION current_org_team_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_org_team_ids() IS 'Teams of the signed-in user''s organization';


--
-- Name: current_staff_id(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_staff_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (select p.id from public.profiles p
           where p.id = (select auth.uid()) and p.role in ('agent', 'admin'));
end
$$;


--
-- Name: FUNCTION current_staff_id(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_staff_id() IS 'auth.uid() when the signed-in user is an agent or admin, else null; use as col = (select private.current_staff_id())';


--
-- Name: current_staff_team_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_staff_team_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (select coalesce(array_agg(tm.team_id), '{}'::uuid[])
            from public.team_members tm
            join public.profiles p on p.id = tm.user_id
           where tm.user_id = (select auth.uid()) and p.role in ('agent', 'admin'));
end
$$;


--
-- Name: FUNCTION current_staff_team_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_staff_team_ids() IS 'Teams of the signed-in agent or admin (empty for customers); use as col = any ((select private.current_staff_team_ids())::uuid[])';


--
-- Name: current_ticket_keys(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_ticket_keys() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_id uuid;
  v_role public.user_role;
  v_org uuid;
begin
  select p.id, p.role, p.organization_id into v_id, v_role, v_org
    from public.profiles p where p.id = (select auth.uid());
  if v_role is null or v_role not in ('agent', 'admin') then
    return '{}'::uuid[];
  end if;
  return array[v_id]
      || coalesce((select array_agg(tm.team_id) from public.team_members tm where tm.user_id = v_id), '{}'::uuid[])
      || case when v_role = 'admin' and v_org is not null then array[v_org] else '{}'::uuid[] end;
end
$$;


--
-- Name: FUNCTION current_ticket_keys(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_ticket_keys() IS 'Ids that make a ticket visible to the signed-in agent or admin: own id, own teams, and for an admin the organization (empty for everybody else); use as array[assigned_agent_id, assigned_team_id, organization_id] && (select private.current_ticket_keys())';


--
-- Name: current_user_role(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_user_role() RETURNS public.user_role
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (select p.role from public.profiles p where p.id = (select auth.uid()));
end
$$;


--
-- Name: FUNCTION current_user_role(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_user_role() IS 'Role of the signed-in user (null without a profile)';


--
-- Name: current_user_team_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.current_user_team_ids() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query
    select tm.team_id from public.team_members tm where tm.user_id = (select auth.uid());
end
$$;


--
-- Name: FUNCTION current_user_team_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.current_user_team_ids() IS 'Teams the signed-in user belongs to; use as col in (select private.current_user_team_ids())';


--
-- Name: derive_organization_id(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.derive_organization_id() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row jsonb;
begin
  if new.organization_id is not null then
    return new;
  end if;
  v_row := to_jsonb(new);
  if v_row ->> 'team_id' is not null then
    select t.organization_id into new.organization_id from public.teams t where t.id = (v_row ->> 'team_id')::uuid;
  elsif v_row ->> 'category_id' is not null then
    select k.organization_id into new.organization_id from public.kb_categories k where k.id = (v_row ->> 'category_id')::uuid;
  elsif v_row ->> 'parent_id' is not null then
    select k.organization_id into new.organization_id from public.kb_categories k where k.id = (v_row ->> 'parent_id')::uuid;
  end if;
  if new.organization_id is null and v_row ->> 'author_id' is not null then
    select p.organization_id into new.organization_id from public.profiles p where p.id = (v_row ->> 'author_id')::uuid;
  end if;
  if new.organization_id is null then
    raise exception '%.%: the row''s organization_id is not given and cannot be derived', tg_table_schema, tg_table_name
      using errcode = '23502', hint = 'name organization_id, or give the row a team, category, parent or author of an organization';
  end if;
  return new;
end
$$;


--
-- Name: FUNCTION derive_organization_id(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.derive_organization_id() IS 'BEFORE INSERT: organization_id of a knowledge base or template row from its team, category, parent or author when the writer left it out';


--
-- Name: guard_ticket_write(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.guard_ticket_write() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_privileged boolean;
  v_role public.user_role;
begin
  -- Privileged = bypasses RLS here: superuser, BYPASSRLS (service_role) or the table's owner
  -- (security definer functions owned by the migration role).
  select r.rolsuper or r.rolbypassrls
         or pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER')
    into v_privileged
    from pg_catalog.pg_roles r, pg_catalog.pg_class c
   where r.rolname = current_user and c.oid = tg_relid;
  v_privileged := coalesce(v_privileged, false);

  if tg_op = 'INSERT' then
    -- The organization follows the customer (API users cannot pick another one).
    if new.customer_id is not null and (new.organization_id is null or not v_privileged) then
      select p.organization_id into new.organization_id
        from public.profiles p where p.id = new.customer_id;
    end if;
  elsif not v_privileged then
    if new.customer_id is distinct from old.customer_id
       or new.organization_id is distinct from old.organization_id then
      raise exception 'the customer and organization of a ticket cannot be changed'
        using errcode = '42501';
    end if;
    if (new.assigned_agent_id is distinct from old.assigned_agent_id
        or new.assigned_team_id is distinct from old.assigned_team_id)
       and not (select private.is_admin()) then
      raise exception 'only admins reassign tickets directly; agents hand off with public.assign_ticket() and cannot assign a ticket to themselves'
        using errcode = '42501';
    end if;
    v_role := (select private.current_user_role());
    if v_role is null or v_role = 'customer' then
      if new.priority is distinct from old.priority then
        raise exception 'customers cannot change the priority of a ticket' using errcode = '42501';
      end if;
      if new.status is distinct from old.status
         and not (new.status = 'closed'
                  or (new.status = 'open' and old.status in ('resolved', 'closed'))) then
        raise exception 'customers can only close a ticket or reopen a resolved or closed one'
          using errcode = '42501';
      end if;
    end if;
  end if;

  -- Status timestamps: API users cannot set or backdate them; privileged writers (imports) may.
  if new.status in ('new', 'open', 'pending') then
    new.resolved_at := null;
    new.closed_at := null;
  else
    if not v_privileged then
      if tg_op = 'INSERT' then
        new.resolved_at := null;
        new.closed_at := null;
      else
        new.resolved_at := case when old.status in ('resolved', 'closed') then old.resolved_at end;
        new.closed_at := case when old.status = 'closed' then old.closed_at end;
      end if;
    end if;
    new.resolved_at := coalesce(new.resolved_at, now());
    if new.status = 'closed' then
      new.closed_at := coalesce(new.closed_at, now());
    else
      new.closed_at := null;
    end if;
  end if;

  if (new.assigned_agent_id is not null or new.assigned_team_id is not null)
     and (tg_op = 'INSERT'
          or new.assigned_agent_id is distinct from old.assigned_agent_id
          or new.assigned_team_id is distinct from old.assigned_team_id
          or new.organization_id is distinct from old.organization_id) then
    perform private.check_ticket_assignment(new.organization_id, new.assigned_agent_id, new.assigned_team_id);
  end if;
  return new;
end
$$;


--
-- Name: is_admin(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_admin() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role = 'admin'
  );
end
$$;


--
-- Name: FUNCTION is_admin(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_admin() IS 'True when the signed-in user is an admin';


--
-- Name: is_org_staff(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_org_staff(p_user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1 from public.profiles p
     where p.id = p_user_id
       and p.role in ('agent', 'admin')
       and p.organization_id = (select private.current_org_id())
  )
$$;


--
-- Name: FUNCTION is_org_staff(p_user_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_org_staff(p_user_id uuid) IS 'True when the given user is an agent or admin of the signed-in user''s organization';


--
-- Name: is_service_caller(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_service_caller() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select coalesce(nullif(current_setting('role', true), 'none'), session_user::text)
         not in ('anon', 'authenticated')
$$;


--
-- Name: FUNCTION is_service_caller(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_service_caller() IS 'True for service_role and direct (non-API) sessions, false for anon and authenticated';


--
-- Name: is_staff(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_staff() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role in ('agent', 'admin')
  );
end
$$;


--
-- Name: FUNCTION is_staff(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_staff() IS 'True when the signed-in user is an agent or an admin';


--
-- Name: is_team_member(uuid, uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_team_member(p_team_id uuid, p_user_id uuid DEFAULT NULL::uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1 from public.team_members tm
     where tm.team_id = p_team_id
       and tm.user_id = coalesce(p_user_id, (select auth.uid()))
  )
$$;


--
-- Name: FUNCTION is_team_member(p_team_id uuid, p_user_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_team_member(p_team_id uuid, p_user_id uuid) IS 'True when the user (default: the signed-in user) belongs to the team';


--
-- Name: uuid_v7(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.uuid_v7() RETURNS uuid
    LANGUAGE sql PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select (lpad(to_hex(floor(extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
          || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid
$$;


--
-- Name: FUNCTION uuid_v7(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.uuid_v7() IS 'UUID in version 7 layout (Unix milliseconds, then random bits): time-ordered ids for append-mostly tables';


SET default_table_access_method = heap;

--
-- Name: tickets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tickets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid,
    title text NOT NULL,
    description text,
    status public.ticket_status DEFAULT 'new'::public.ticket_status NOT NULL,
    priority public.ticket_priority DEFAULT 'medium'::public.ticket_priority NOT NULL,
    customer_id uuid,
    assigned_agent_id uuid,
    assigned_team_id uuid,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags text[] DEFAULT ARRAY[]::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    resolved_at timestamp with time zone,
    closed_at timestamp with time zone,
    CONSTRAINT tickets_closed_at_matches_status CHECK (((closed_at IS NOT NULL) = (status = 'closed'::public.ticket_status))),
    CONSTRAINT tickets_resolved_at_matches_status CHECK (((resolved_at IS NOT NULL) = (status = ANY (ARRAY['resolved'::public.ticket_status, 'closed'::public.ticket_status]))))
)
WITH (autovacuum_vacuum_scale_factor='0.05', autovacuum_analyze_scale_factor='0.02');


--
-- Name: TABLE tickets; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.tickets IS 'Support tickets; status timestamps and assignment rules are enforced by trigger guard_ticket_write';


--
-- Name: assign_ticket(uuid, uuid, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.assign_ticket(p_ticket_id uuid, p_agent_id uuid DEFAULT NULL::uuid, p_team_id uuid DEFAULT NULL::uuid) RETURNS public.tickets
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_ticket public.tickets;
  v_uid uuid := (select auth.uid());
  v_org_admin boolean;
  v_works_it boolean;
begin
  select * into v_ticket from public.tickets t where t.id = p_ticket_id for update;
  if not found then
    raise exception 'ticket % not found or not yours to assign', p_ticket_id using errcode = '42501';
  end if;

  if not (select private.is_service_caller()) then
    -- coalesce: an unassigned ticket must not turn these checks into null (= not refused).
    v_org_admin := coalesce((select private.is_admin())
                            and v_ticket.organization_id = (select private.current_org_id()), false);
    v_works_it := coalesce((select private.is_staff())
                           and (v_ticket.assigned_agent_id = v_uid
                                or private.is_team_member(v_ticket.assigned_team_id)), false);
    if not (v_org_admin or v_works_it) then
      -- Same answer for "does not exist" and "not yours": no probing of other tickets.
      raise exception 'ticket % not found or not yours to assign', p_ticket_id using errcode = '42501';
    end if;
    if not v_org_admin then
      if p_agent_id = v_uid then
        raise exception 'agents cannot assign a ticket to themselves; ask an admin or hand it to a teammate'
          using errcode = '42501';
      end if;
      if p_agent_id is null and p_team_id is null then
        raise exception 'agents hand a ticket off to a team or an agent; only admins unassign tickets'
          using errcode = '42501';
      end if;
    end if;
  end if;

  perform private.check_ticket_assignment(v_ticket.organization_id, p_agent_id, p_team_id);

  -- A new ticket that gets an agent is being worked on.
  update public.tickets t
     set assigned_agent_id = p_agent_id,
         assigned_team_id = p_team_id,
         status = case when t.status = 'new' and p_agent_id is not null then 'open'::public.ticket_status
                       else t.status end
   where t.id = p_ticket_id
  returning * into v_ticket;
  return v_ticket;
end
$$;


--
-- Name: FUNCTION assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid) IS 'Assigns a ticket to an agent and/or team (null = unassigned); admins anything in their organization, agents hand off their tickets but never to themselves';


--
-- Name: audit_trigger_func(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_trigger_func() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


--
-- Name: FUNCTION audit_trigger_func(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.audit_trigger_func() IS 'Audit trigger: AFTER INSERT / AFTER DELETE FOR EACH STATEMENT with transition table audit_rows, or AFTER UPDATE FOR EACH ROW; one audit_logs row per changed row; arguments: the primary key columns (else read from the catalog)';


--
-- Name: change_ticket_status(uuid, public.ticket_status); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status) RETURNS public.tickets
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_ticket public.tickets;
begin
  update public.tickets t set status = p_status where t.id = p_ticket_id
  returning * into v_ticket;
  if not found then
    raise exception 'ticket % not found or not yours to update', p_ticket_id using errcode = '42501';
  end if;
  return v_ticket;
end
$$;


--
-- Name: FUNCTION change_ticket_status(p_ticket_id uuid, p_status public.ticket_status); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status) IS 'Sets the status of a ticket the caller may update; resolved_at/closed_at follow';


--
-- Name: get_agent_performance(timestamp with time zone, timestamp with time zone, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.get_agent_performance(p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_organization_id uuid DEFAULT NULL::uuid) RETURNS TABLE(day timestamp with time zone, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric, total_messages bigint, organization_id uuid)
    LANGUAGE sql STABLE
    AS $$
  select v.day, v.assigned_agent_id, v.total_tickets, v.resolved_tickets, v.avg_resolution_time, v.total_messages,
         v.organization_id
    from private.visible_agent_performance v
   where v.day >= (select coalesce(p_from, '-infinity'::timestamptz))
     and v.day < (select coalesce(p_to, 'infinity'::timestamptz))
     and (p_organization_id is null or v.organization_id = p_organization_id)
     and (p_organization_id is null or (select private.analytics_organization_allowed(p_organization_id)))
   order by v.day, v.assigned_agent_id
$$;


--
-- Name: FUNCTION get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) IS 'Agent figures per day in [p_from, p_to) of the caller''s organization; service_role: of p_organization_id, or of every organization when null';


--
-- Name: get_ticket_metrics(timestamp with time zone, timestamp with time zone, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.get_ticket_metrics(p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_organization_id uuid DEFAULT NULL::uuid) RETURNS TABLE(day timestamp with time zone, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric, organization_id uuid)
    LANGUAGE sql STABLE
    AS $$
  select v.day, v.total_tickets, v.resolved_tickets, v.avg_resolution_time, v.organization_id
    from private.visible_ticket_metrics v
   where v.day >= (select coalesce(p_from, '-infinity'::timestamptz))
     and v.day < (select coalesce(p_to, 'infinity'::timestamptz))
     and (p_organization_id is null or v.organization_id = p_organization_id)
     and (p_organization_id is null or (select private.analytics_organization_allowed(p_organization_id)))
   order by v.day, v.organization_id
$$;


--
-- Name: FUNCTION get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) IS 'Ticket figures per day in [p_from, p_to) of the caller''s organization; service_role: of p_organization_id, or of every organization when null';


--
-- Name: refresh_analytics_views(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refresh_analytics_views() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if not ((select private.is_service_caller()) or (select private.is_admin())) then
    raise exception 'only admins and service_role can refresh analytics' using errcode = '42501';
  end if;
  refresh materialized view concurrently analytics.ticket_metrics;
  refresh materialized view concurrently analytics.agent_performance;
end
$$;


--
-- Name: FUNCTION refresh_analytics_views(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.refresh_analytics_views() IS 'Refreshes the analytics views concurrently; admins and service_role only';


--
-- Name: search_kb_articles(text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.search_kb_articles(p_query text, p_limit integer DEFAULT 10) RETURNS TABLE(id uuid, title text, category_id uuid, published_at timestamp with time zone, rank real, snippet text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select a.id, a.title, a.category_id, a.published_at,
         ts_rank(a.search_vector, q.query) as rank,
         ts_headline('english'::regconfig, a.content, q.query, 'MaxFragments=1, MaxWords=30, MinWords=10') as snippet
    from public.kb_articles a,
         websearch_to_tsquery('english'::regconfig, p_query) as q(query)
   where a.search_vector @@ q.query
   order by rank desc, a.published_at desc nulls last, a.id
   limit greatest(1, least(coalesce(p_limit, 10), 100))
$$;


--
-- Name: FUNCTION search_kb_articles(p_query text, p_limit integer); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.search_kb_articles(p_query text, p_limit integer) IS 'Full-text knowledge base search (websearch syntax), best match first, at most 100 rows';


--
-- Name: messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    ticket_id uuid NOT NULL,
    sender_id uuid,
    message_type public.message_type NOT NULL,
    content text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0.05', autovacuum_analyze_scale_factor='0.02');


--
-- Name: TABLE messages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.messages IS 'Conversation on a ticket; system and ai messages are written by service_role or functions';


--
-- Name: agent_performance; Type: MATERIALIZED VIEW; Schema: analytics; Owner: -
--

CREATE MATERIALIZED VIEW analytics.agent_performance AS
 SELECT t.organization_id,
    date_trunc('day'::text, t.created_at, 'UTC'::text) AS day,
    t.assigned_agent_id,
    count(*) AS total_tickets,
    count(*) FILTER (WHERE (t.resolved_at IS NOT NULL)) AS resolved_tickets,
    avg(EXTRACT(epoch FROM (t.resolved_at - t.created_at))) AS avg_resolution_time,
    (COALESCE(sum(m.message_count), (0)::numeric))::bigint AS total_messages
   FROM (public.tickets t
     LEFT JOIN ( SELECT ms.ticket_id,
            count(*) AS message_count
           FROM public.messages ms
          GROUP BY ms.ticket_id) m ON ((m.ticket_id = t.id)))
  WHERE (t.assigned_agent_id IS NOT NULL)
  GROUP BY t.organization_id, (date_trunc('day'::text, t.created_at, 'UTC'::text)), t.assigned_agent_id
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW agent_performance; Type: COMMENT; Schema: analytics; Owner: -
--

COMMENT ON MATERIALIZED VIEW analytics.agent_performance IS 'Tickets per organization, UTC day and assigned agent: created, resolved, mean resolution time, messages';


--
-- Name: ticket_metrics; Type: MATERIALIZED VIEW; Schema: analytics; Owner: -
--

CREATE MATERIALIZED VIEW analytics.ticket_metrics AS
 SELECT t.organization_id,
    date_trunc('day'::text, t.created_at, 'UTC'::text) AS day,
    count(*) AS total_tickets,
    count(*) FILTER (WHERE (t.resolved_at IS NOT NULL)) AS resolved_tickets,
    avg(EXTRACT(epoch FROM (t.resolved_at - t.created_at))) AS avg_resolution_time
   FROM public.tickets t
  GROUP BY t.organization_id, (date_trunc('day'::text, t.created_at, 'UTC'::text))
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW ticket_metrics; Type: COMMENT; Schema: analytics; Owner: -
--

COMMENT ON MATERIALIZED VIEW analytics.ticket_metrics IS 'Tickets per organization and UTC day: created, resolved, mean resolution time in seconds';


--
-- Name: api_privileges_before; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.api_privileges_before (
    object_kind text NOT NULL,
    object_name text NOT NULL,
    acl aclitem[],
    column_acls jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT api_privileges_before_object_kind_check CHECK ((object_kind = ANY (ARRAY['table'::text, 'function'::text])))
);


--
-- Name: TABLE api_privileges_before; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.api_privileges_before IS 'autocrm: privileges of the AutoCRM tables and functions before migration 20260101001800, restored by its down section';


--
-- Name: audit_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_logs (
    id uuid DEFAULT private.uuid_v7() NOT NULL,
    table_name text NOT NULL,
    record_id uuid NOT NULL,
    record_key jsonb NOT NULL,
    action public.audit_action NOT NULL,
    old_data jsonb,
    new_data jsonb,
    actor_id uuid,
    organization_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY RANGE (created_at);


--
-- Name: TABLE audit_logs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.audit_logs IS 'Append-only change history written by public.audit_trigger_func(); partitions live in schema private';


--
-- Name: COLUMN audit_logs.record_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.audit_logs.record_id IS 'id of the audited row, or md5(table_name:record_key) as uuid for composite keys';


--
-- Name: COLUMN audit_logs.record_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.audit_logs.record_key IS 'Primary key of the audited row as jsonb, e.g. {"id": ...} or {"team_id": ..., "user_id": ...}';


--
-- Name: audit_logs_default; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.audit_logs_default (
    id uuid DEFAULT private.uuid_v7() NOT NULL,
    table_name text NOT NULL,
    record_id uuid NOT NULL,
    record_key jsonb NOT NULL,
    action public.audit_action NOT NULL,
    old_data jsonb,
    new_data jsonb,
    actor_id uuid,
    organization_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0.05', autovacuum_analyze_scale_factor='0.02', autovacuum_vacuum_insert_scale_factor='0.05');


--
-- Name: installed_objects; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.installed_objects (
    object_type text NOT NULL,
    object_name text NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE installed_objects; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.installed_objects IS 'autocrm: objects created only because they were missing (extensions, schemas, grants); the down sections remove exactly these';


--
-- Name: skipped_features; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.skipped_features (
    feature text NOT NULL,
    reason text NOT NULL,
    skipped_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE skipped_features; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.skipped_features IS 'autocrm: optional features skipped on this server (e.g. pgvector absent); read by status/check tooling';


--
-- Name: tenancy_backfill; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.tenancy_backfill (
    table_name text NOT NULL,
    row_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    rule text NOT NULL,
    copied_from uuid,
    backfilled_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE tenancy_backfill; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.tenancy_backfill IS 'autocrm: rows whose organization migration 20260101001700 guessed, and the category copies it made; review and reassign as needed';


--
-- Name: organizations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    domain text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE organizations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.organizations IS 'Tenants: every profile, team and ticket belongs to one organization';


--
-- Name: profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.profiles (
    id uuid NOT NULL,
    role public.user_role DEFAULT 'customer'::public.user_role NOT NULL,
    full_name text,
    avatar_url text,
    organization_id uuid,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE profiles; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.profiles IS 'One row per auth.users user: role and organization drive every policy';


--
-- Name: visible_agent_performance; Type: VIEW; Schema: private; Owner: -
--

CREATE VIEW private.visible_agent_performance WITH (security_barrier='true') AS
 SELECT ap.day,
    ap.assigned_agent_id,
    ap.total_tickets,
    ap.resolved_tickets,
    ap.avg_resolution_time,
    ap.total_messages,
    ap.organization_id
   FROM analytics.agent_performance ap
  WHERE (ap.organization_id = ANY (( SELECT
                CASE
                    WHEN (COALESCE(NULLIF(current_setting('role'::text, true), 'none'::text), (SESSION_USER)::text) <> ALL (ARRAY['anon'::text, 'authenticated'::text])) THEN ( SELECT COALESCE(array_agg(o.id), '{}'::uuid[]) AS "coalesce"
                       FROM public.organizations o)
                    WHEN (p.role = ANY (ARRAY['agent'::public.user_role, 'admin'::public.user_role])) THEN ARRAY[p.organization_id]
                    ELSE private.analytics_denied()
                END AS analytics_denied
           FROM (( SELECT 1 AS "?column?") one
             LEFT JOIN public.profiles p ON ((p.id = ( SELECT auth.uid() AS uid)))))::uuid[]));


--
-- Name: VIEW visible_agent_performance; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON VIEW private.visible_agent_performance IS 'analytics.agent_performance rows of the organizations the caller may read (staff: their own; service role: all); 42501 for anybody else';


--
-- Name: visible_ticket_metrics; Type: VIEW; Schema: private; Owner: -
--

CREATE VIEW private.visible_ticket_metrics WITH (security_barrier='true') AS
 SELECT m.day,
    m.total_tickets,
    m.resolved_tickets,
    m.avg_resolution_time,
    m.organization_id
   FROM analytics.ticket_metrics m
  WHERE (m.organization_id = ANY (( SELECT
                CASE
                    WHEN (COALESCE(NULLIF(current_setting('role'::text, true), 'none'::text), (SESSION_USER)::text) <> ALL (ARRAY['anon'::text, 'authenticated'::text])) THEN ( SELECT COALESCE(array_agg(o.id), '{}'::uuid[]) AS "coalesce"
                       FROM public.organizations o)
                    WHEN (p.role = ANY (ARRAY['agent'::public.user_role, 'admin'::public.user_role])) THEN ARRAY[p.organization_id]
                    ELSE private.analytics_denied()
                END AS analytics_denied
           FROM (( SELECT 1 AS "?column?") one
             LEFT JOIN public.profiles p ON ((p.id = ( SELECT auth.uid() AS uid)))))::uuid[]));


--
-- Name: VIEW visible_ticket_metrics; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON VIEW private.visible_ticket_metrics IS 'analytics.ticket_metrics rows of the organizations the caller may read (staff: their own; service role: all); 42501 for anybody else';


--
-- Name: kb_articles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kb_articles (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    content text NOT NULL,
    category_id uuid,
    author_id uuid,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags text[] DEFAULT ARRAY[]::text[] NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(content, ''::text)), 'B'::"char"))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    published_at timestamp with time zone,
    organization_id uuid DEFAULT private.current_org_id() NOT NULL
);


--
-- Name: TABLE kb_articles; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.kb_articles IS 'Knowledge base articles of an organization; published when published_at is set and not in the future';


--
-- Name: COLUMN kb_articles.search_vector; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.kb_articles.search_vector IS 'Generated full-text document (english), indexed by idx_kb_articles_search_vector';


--
-- Name: COLUMN kb_articles.organization_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.kb_articles.organization_id IS 'Owning organization (tenant); set by the server from the caller''s profile';


--
-- Name: kb_categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kb_categories (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    parent_id uuid,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    organization_id uuid DEFAULT private.current_org_id() NOT NULL
);


--
-- Name: TABLE kb_categories; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.kb_categories IS 'Knowledge base category tree of an organization';


--
-- Name: COLUMN kb_categories.organization_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.kb_categories.organization_id IS 'Owning organization (tenant); set by the server from the caller''s profile';


--
-- Name: response_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.response_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    content text NOT NULL,
    team_id uuid,
    author_id uuid,
    tags text[] DEFAULT ARRAY[]::text[] NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    organization_id uuid DEFAULT private.current_org_id() NOT NULL
);


--
-- Name: TABLE response_templates; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.response_templates IS 'Reply templates of a team (team_id) or personal to their author (team_id null)';


--
-- Name: COLUMN response_templates.organization_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.response_templates.organization_id IS 'Owning organization (tenant); set by the server from the caller''s profile';


--
-- Name: team_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_members (
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text DEFAULT 'member'::text NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE team_members; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.team_members IS 'Team membership; role is free text at team level (member, lead, ...)';


--
-- Name: teams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.teams (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid DEFAULT private.current_org_id() NOT NULL,
    name text NOT NULL,
    description text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE teams; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.teams IS 'Agent teams of an organization; tickets and templates can belong to one';


--
-- Name: audit_logs_default; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.audit_logs ATTACH PARTITION private.audit_logs_default DEFAULT;


--
-- Name: api_privileges_before api_privileges_before_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.api_privileges_before
    ADD CONSTRAINT api_privileges_before_pkey PRIMARY KEY (object_kind, object_name);


--
-- Name: audit_logs audit_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_logs
    ADD CONSTRAINT audit_logs_pkey PRIMARY KEY (id, created_at);


--
-- Name: audit_logs_default audit_logs_default_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.audit_logs_default
    ADD CONSTRAINT audit_logs_default_pkey PRIMARY KEY (id, created_at);


--
-- Name: installed_objects installed_objects_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.installed_objects
    ADD CONSTRAINT installed_objects_pkey PRIMARY KEY (object_type, object_name);


--
-- Name: skipped_features skipped_features_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.skipped_features
    ADD CONSTRAINT skipped_features_pkey PRIMARY KEY (feature);


--
-- Name: tenancy_backfill tenancy_backfill_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.tenancy_backfill
    ADD CONSTRAINT tenancy_backfill_pkey PRIMARY KEY (table_name, row_id);


--
-- Name: kb_articles kb_articles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_articles
    ADD CONSTRAINT kb_articles_pkey PRIMARY KEY (id);


--
-- Name: kb_categories kb_categories_organization_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_categories
    ADD CONSTRAINT kb_categories_organization_id_id_key UNIQUE (organization_id, id);


--
-- Name: kb_categories kb_categories_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_categories
    ADD CONSTRAINT kb_categories_pkey PRIMARY KEY (id);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: profiles profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);


--
-- Name: response_templates response_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_templates
    ADD CONSTRAINT response_templates_pkey PRIMARY KEY (id);


--
-- Name: team_members team_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_pkey PRIMARY KEY (team_id, user_id);


--
-- Name: teams teams_organization_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_organization_id_id_key UNIQUE (organization_id, id);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (id);


--
-- Name: tickets tickets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT tickets_pkey PRIMARY KEY (id);


--
-- Name: idx_agent_performance_org_day_agent; Type: INDEX; Schema: analytics; Owner: -
--

CREATE UNIQUE INDEX idx_agent_performance_org_day_agent ON analytics.agent_performance USING btree (organization_id, day, assigned_agent_id);


--
-- Name: idx_ticket_metrics_org_day; Type: INDEX; Schema: analytics; Owner: -
--

CREATE UNIQUE INDEX idx_ticket_metrics_org_day ON analytics.ticket_metrics USING btree (organization_id, day);


--
-- Name: idx_audit_logs_actor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_actor_id ON ONLY public.audit_logs USING btree (actor_id);


--
-- Name: audit_logs_default_actor_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX audit_logs_default_actor_id_idx ON private.audit_logs_default USING btree (actor_id);


--
-- Name: idx_audit_logs_organization_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_organization_created ON ONLY public.audit_logs USING btree (organization_id, created_at);


--
-- Name: audit_logs_default_organization_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX audit_logs_default_organization_id_created_at_idx ON private.audit_logs_default USING btree (organization_id, created_at);


--
-- Name: idx_audit_logs_table_record; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_table_record ON ONLY public.audit_logs USING btree (table_name, record_id);


--
-- Name: audit_logs_default_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX audit_logs_default_table_name_record_id_idx ON private.audit_logs_default USING btree (table_name, record_id);


--
-- Name: idx_kb_articles_author_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_author_id ON public.kb_articles USING btree (author_id);


--
-- Name: idx_kb_articles_category_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_category_id ON public.kb_articles USING btree (category_id);


--
-- Name: idx_kb_articles_org_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_org_category ON public.kb_articles USING btree (organization_id, category_id);


--
-- Name: idx_kb_articles_org_published; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_org_published ON public.kb_articles USING btree (organization_id, published_at);


--
-- Name: idx_kb_articles_published_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_published_at ON public.kb_articles USING btree (published_at);


--
-- Name: idx_kb_articles_search_vector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_articles_search_vector ON public.kb_articles USING gin (search_vector);


--
-- Name: idx_kb_categories_org_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_categories_org_parent ON public.kb_categories USING btree (organization_id, parent_id);


--
-- Name: idx_kb_categories_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_kb_categories_parent_id ON public.kb_categories USING btree (parent_id);


--
-- Name: idx_messages_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_messages_created_at ON public.messages USING btree (created_at);


--
-- Name: idx_messages_sender_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_messages_sender_id ON public.messages USING btree (sender_id);


--
-- Name: idx_messages_ticket_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_messages_ticket_id ON public.messages USING btree (ticket_id);


--
-- Name: idx_organizations_domain; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organizations_domain ON public.organizations USING btree (domain);


--
-- Name: idx_profiles_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_profiles_organization_id ON public.profiles USING btree (organization_id);


--
-- Name: idx_profiles_role; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_profiles_role ON public.profiles USING btree (role);


--
-- Name: idx_response_templates_author_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_response_templates_author_id ON public.response_templates USING btree (author_id);


--
-- Name: idx_response_templates_org_team; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_response_templates_org_team ON public.response_templates USING btree (organization_id, team_id);


--
-- Name: idx_response_templates_team_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_response_templates_team_id ON public.response_templates USING btree (team_id);


--
-- Name: idx_team_members_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_team_members_user_id ON public.team_members USING btree (user_id);


--
-- Name: idx_teams_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_teams_organization_id ON public.teams USING btree (organization_id);


--
-- Name: idx_tickets_assigned_agent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_assigned_agent_id ON public.tickets USING btree (assigned_agent_id);


--
-- Name: idx_tickets_assigned_team_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_assigned_team_id ON public.tickets USING btree (assigned_team_id);


--
-- Name: idx_tickets_customer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_customer_id ON public.tickets USING btree (customer_id);


--
-- Name: idx_tickets_open_queue; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_open_queue ON public.tickets USING btree (priority DESC, created_at) WHERE (status = ANY (ARRAY['new'::public.ticket_status, 'open'::public.ticket_status, 'pending'::public.ticket_status]));


--
-- Name: idx_tickets_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_organization_id ON public.tickets USING btree (organization_id);


--
-- Name: idx_tickets_priority; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_priority ON public.tickets USING btree (priority);


--
-- Name: idx_tickets_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_status ON public.tickets USING btree (status);


--
-- Name: idx_tickets_tags_gin; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_tags_gin ON public.tickets USING gin (tags);


--
-- Name: idx_tickets_visibility_keys; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tickets_visibility_keys ON public.tickets USING gin ((ARRAY[assigned_agent_id, assigned_team_id, organization_id]));


--
-- Name: audit_logs_default_actor_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.idx_audit_logs_actor_id ATTACH PARTITION private.audit_logs_default_actor_id_idx;


--
-- Name: audit_logs_default_organization_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.idx_audit_logs_organization_created ATTACH PARTITION private.audit_logs_default_organization_id_created_at_idx;


--
-- Name: audit_logs_default_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.audit_logs_pkey ATTACH PARTITION private.audit_logs_default_pkey;


--
-- Name: audit_logs_default_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.idx_audit_logs_table_record ATTACH PARTITION private.audit_logs_default_table_name_record_id_idx;


--
-- Name: kb_articles audit_kb_articles_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_articles_changes AFTER UPDATE ON public.kb_articles FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_articles audit_kb_articles_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_articles_deletes AFTER DELETE ON public.kb_articles REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_articles audit_kb_articles_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_articles_inserts AFTER INSERT ON public.kb_articles REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_categories audit_kb_categories_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_categories_changes AFTER UPDATE ON public.kb_categories FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_categories audit_kb_categories_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_categories_deletes AFTER DELETE ON public.kb_categories REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_categories audit_kb_categories_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_kb_categories_inserts AFTER INSERT ON public.kb_categories REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: messages audit_messages_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_messages_changes AFTER UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: messages audit_messages_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_messages_deletes AFTER DELETE ON public.messages REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: messages audit_messages_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_messages_inserts AFTER INSERT ON public.messages REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: organizations audit_organizations_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_organizations_changes AFTER UPDATE ON public.organizations FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: organizations audit_organizations_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_organizations_deletes AFTER DELETE ON public.organizations REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: organizations audit_organizations_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_organizations_inserts AFTER INSERT ON public.organizations REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: profiles audit_profiles_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_profiles_changes AFTER UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: profiles audit_profiles_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_profiles_deletes AFTER DELETE ON public.profiles REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: profiles audit_profiles_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_profiles_inserts AFTER INSERT ON public.profiles REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: response_templates audit_response_templates_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_response_templates_changes AFTER UPDATE ON public.response_templates FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: response_templates audit_response_templates_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_response_templates_deletes AFTER DELETE ON public.response_templates REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: response_templates audit_response_templates_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_response_templates_inserts AFTER INSERT ON public.response_templates REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: team_members audit_team_members_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_team_members_changes AFTER UPDATE ON public.team_members FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('team_id', 'user_id');


--
-- Name: team_members audit_team_members_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_team_members_deletes AFTER DELETE ON public.team_members REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('team_id', 'user_id');


--
-- Name: team_members audit_team_members_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_team_members_inserts AFTER INSERT ON public.team_members REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('team_id', 'user_id');


--
-- Name: teams audit_teams_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_teams_changes AFTER UPDATE ON public.teams FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: teams audit_teams_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_teams_deletes AFTER DELETE ON public.teams REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: teams audit_teams_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_teams_inserts AFTER INSERT ON public.teams REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: tickets audit_tickets_changes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_tickets_changes AFTER UPDATE ON public.tickets FOR EACH ROW EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: tickets audit_tickets_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_tickets_deletes AFTER DELETE ON public.tickets REFERENCING OLD TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: tickets audit_tickets_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_tickets_inserts AFTER INSERT ON public.tickets REFERENCING NEW TABLE AS audit_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_trigger_func('id');


--
-- Name: kb_articles derive_organization_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER derive_organization_id BEFORE INSERT ON public.kb_articles FOR EACH ROW EXECUTE FUNCTION private.derive_organization_id();


--
-- Name: kb_categories derive_organization_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER derive_organization_id BEFORE INSERT ON public.kb_categories FOR EACH ROW EXECUTE FUNCTION private.derive_organization_id();


--
-- Name: response_templates derive_organization_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER derive_organization_id BEFORE INSERT ON public.response_templates FOR EACH ROW EXECUTE FUNCTION private.derive_organization_id();


--
-- Name: tickets guard_ticket_write; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER guard_ticket_write BEFORE INSERT OR UPDATE ON public.tickets FOR EACH ROW EXECUTE FUNCTION private.guard_ticket_write();


--
-- Name: kb_articles handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.kb_articles FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: kb_categories handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.kb_categories FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: messages handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: organizations handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.organizations FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: profiles handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: response_templates handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.response_templates FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: teams handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.teams FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: tickets handle_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER handle_updated_at BEFORE UPDATE ON public.tickets FOR EACH ROW EXECUTE FUNCTION extensions.moddatetime('updated_at');


--
-- Name: kb_articles kb_articles_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_articles
    ADD CONSTRAINT kb_articles_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.profiles(id) ON DELETE SET NULL;


--
-- Name: kb_articles kb_articles_category_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_articles
    ADD CONSTRAINT kb_articles_category_fkey FOREIGN KEY (organization_id, category_id) REFERENCES public.kb_categories(organization_id, id) ON DELETE SET NULL (category_id);


--
-- Name: kb_articles kb_articles_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_articles
    ADD CONSTRAINT kb_articles_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: kb_categories kb_categories_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_categories
    ADD CONSTRAINT kb_categories_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: kb_categories kb_categories_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_categories
    ADD CONSTRAINT kb_categories_parent_fkey FOREIGN KEY (organization_id, parent_id) REFERENCES public.kb_categories(organization_id, id) ON DELETE SET NULL (parent_id);


--
-- Name: messages messages_sender_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES public.profiles(id) ON DELETE SET NULL;


--
-- Name: messages messages_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.tickets(id) ON DELETE CASCADE;


--
-- Name: profiles profiles_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_id_fkey FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: profiles profiles_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE SET NULL;


--
-- Name: response_templates response_templates_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_templates
    ADD CONSTRAINT response_templates_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.profiles(id) ON DELETE SET NULL;


--
-- Name: response_templates response_templates_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_templates
    ADD CONSTRAINT response_templates_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: response_templates response_templates_team_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_templates
    ADD CONSTRAINT response_templates_team_fkey FOREIGN KEY (organization_id, team_id) REFERENCES public.teams(organization_id, id) ON DELETE CASCADE;


--
-- Name: team_members team_members_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: team_members team_members_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;


--
-- Name: teams teams_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: tickets tickets_assigned_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT tickets_assigned_agent_id_fkey FOREIGN KEY (assigned_agent_id) REFERENCES public.profiles(id) ON DELETE SET NULL;


--
-- Name: tickets tickets_assigned_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT tickets_assigned_team_id_fkey FOREIGN KEY (assigned_team_id) REFERENCES public.teams(id) ON DELETE SET NULL;


--
-- Name: tickets tickets_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT tickets_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.profiles(id);


--
-- Name: tickets tickets_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT tickets_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: audit_logs_default; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.audit_logs_default ENABLE ROW LEVEL SECURITY;

--
-- Name: team_members Admins can add organization team members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can add organization team members" ON public.team_members FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids)) AND private.is_org_staff(user_id)));


--
-- Name: teams Admins can create organization teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can create organization teams" ON public.teams FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: kb_categories Admins can delete categories; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can delete categories" ON public.kb_categories FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: messages Admins can delete organization messages; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can delete organization messages" ON public.messages FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id)))));


--
-- Name: profiles Admins can delete organization profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can delete organization profiles" ON public.profiles FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: teams Admins can delete organization teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can delete organization teams" ON public.teams FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: tickets Admins can delete organization tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can delete organization tickets" ON public.tickets FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: messages Admins can edit organization messages; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can edit organization messages" ON public.messages FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id))))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id)))));


--
-- Name: profiles Admins can insert organization profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can insert organization profiles" ON public.profiles FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: team_members Admins can remove organization team members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can remove organization team members" ON public.team_members FOR DELETE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))));


--
-- Name: profiles Admins can update organization profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can update organization profiles" ON public.profiles FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: team_members Admins can update organization team members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can update organization team members" ON public.team_members FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids)))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids)) AND private.is_org_staff(user_id)));


--
-- Name: teams Admins can update organization teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can update organization teams" ON public.teams FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: tickets Admins can update organization tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can update organization tickets" ON public.tickets FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: organizations Admins can update own organization; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can update own organization" ON public.organizations FOR UPDATE TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_admin() AS is_admin) AND (id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: audit_logs Admins can view organization audit logs; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Admins can view organization audit logs" ON public.audit_logs FOR SELECT TO authenticated USING ((( SELECT private.is_admin() AS is_admin) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: tickets Agents and admins can view worked and organization tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Agents and admins can view worked and organization tickets" ON public.tickets FOR SELECT TO authenticated USING ((ARRAY[assigned_agent_id, assigned_team_id, organization_id] && ( SELECT private.current_ticket_keys() AS current_ticket_keys)));


--
-- Name: tickets Agents can update assigned tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Agents can update assigned tickets" ON public.tickets FOR UPDATE TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND ((assigned_agent_id = ( SELECT auth.uid() AS uid)) OR (assigned_team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids))))) WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND ((assigned_agent_id = ( SELECT auth.uid() AS uid)) OR (assigned_team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)))));


--
-- Name: kb_articles Authors and admins can delete articles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Authors and admins can delete articles" ON public.kb_articles FOR DELETE TO authenticated USING (((organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (( SELECT private.is_admin() AS is_admin) OR (( SELECT private.is_staff() AS is_staff) AND (author_id = ( SELECT auth.uid() AS uid))))));


--
-- Name: messages Authors can edit own messages; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Authors can edit own messages" ON public.messages FOR UPDATE TO authenticated USING (((sender_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id))))) WITH CHECK (((sender_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id))) AND (message_type =
CASE
    WHEN ( SELECT private.is_staff() AS is_staff) THEN 'agent'::public.message_type
    ELSE 'customer'::public.message_type
END)));


--
-- Name: tickets Customers can open own tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Customers can open own tickets" ON public.tickets FOR INSERT TO authenticated WITH CHECK (((customer_id = ( SELECT auth.uid() AS uid)) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (status = 'new'::public.ticket_status) AND (assigned_agent_id IS NULL) AND (assigned_team_id IS NULL)));


--
-- Name: tickets Customers can update own tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Customers can update own tickets" ON public.tickets FOR UPDATE TO authenticated USING ((customer_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((customer_id = ( SELECT auth.uid() AS uid)));


--
-- Name: tickets Customers can view own tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Customers can view own tickets" ON public.tickets FOR SELECT TO authenticated USING ((customer_id = ( SELECT auth.uid() AS uid)));


--
-- Name: organizations Members can view own organization; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Members can view own organization" ON public.organizations FOR SELECT TO authenticated USING ((id = ( SELECT private.current_org_id() AS current_org_id)));


--
-- Name: kb_articles Members can view published articles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Members can view published articles" ON public.kb_articles FOR SELECT TO authenticated USING (((organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (published_at IS NOT NULL) AND (published_at <= now())));


--
-- Name: kb_categories Members can view their organization's categories; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Members can view their organization's categories" ON public.kb_categories FOR SELECT TO authenticated USING ((organization_id = ( SELECT private.current_org_id() AS current_org_id)));


--
-- Name: kb_categories Staff can create categories; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can create categories" ON public.kb_categories FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: response_templates Staff can create team and personal templates; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can create team and personal templates" ON public.response_templates FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (author_id = ( SELECT auth.uid() AS uid)) AND ((team_id IS NULL) OR (team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)) OR (( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))))));


--
-- Name: response_templates Staff can delete team and personal templates; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can delete team and personal templates" ON public.response_templates FOR DELETE TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (((team_id IS NULL) AND (author_id = ( SELECT auth.uid() AS uid))) OR (team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)) OR (( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))))));


--
-- Name: tickets Staff can open organization tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can open organization tickets" ON public.tickets FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (( SELECT private.is_admin() AS is_admin) OR ((assigned_agent_id IS NULL) AND ((assigned_team_id IS NULL) OR (assigned_team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)))))));


--
-- Name: kb_articles Staff can update articles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can update articles" ON public.kb_articles FOR UPDATE TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: kb_categories Staff can update categories; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can update categories" ON public.kb_categories FOR UPDATE TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)))) WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: response_templates Staff can update team and personal templates; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can update team and personal templates" ON public.response_templates FOR UPDATE TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (((team_id IS NULL) AND (author_id = ( SELECT auth.uid() AS uid))) OR (team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)) OR (( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids)))))) WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (((team_id IS NULL) AND (author_id = ( SELECT auth.uid() AS uid))) OR (team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)) OR (( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))))));


--
-- Name: kb_articles Staff can view all articles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can view all articles" ON public.kb_articles FOR SELECT TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: profiles Staff can view organization profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can view organization profiles" ON public.profiles FOR SELECT TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: team_members Staff can view organization team members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can view organization team members" ON public.team_members FOR SELECT TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))));


--
-- Name: teams Staff can view organization teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can view organization teams" ON public.teams FOR SELECT TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: response_templates Staff can view team and personal templates; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can view team and personal templates" ON public.response_templates FOR SELECT TO authenticated USING ((( SELECT private.is_staff() AS is_staff) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id)) AND (((team_id IS NULL) AND (author_id = ( SELECT auth.uid() AS uid))) OR (team_id IN ( SELECT private.current_user_team_ids() AS current_user_team_ids)) OR (( SELECT private.is_admin() AS is_admin) AND (team_id IN ( SELECT private.current_org_team_ids() AS current_org_team_ids))))));


--
-- Name: kb_articles Staff can write articles as themselves; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Staff can write articles as themselves" ON public.kb_articles FOR INSERT TO authenticated WITH CHECK ((( SELECT private.is_staff() AS is_staff) AND (author_id = ( SELECT auth.uid() AS uid)) AND (organization_id = ( SELECT private.current_org_id() AS current_org_id))));


--
-- Name: profiles Users can insert own profile; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Users can insert own profile" ON public.profiles FOR INSERT TO authenticated WITH CHECK (((id = ( SELECT auth.uid() AS uid)) AND (role = 'customer'::public.user_role)));


--
-- Name: messages Users can post messages on accessible tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Users can post messages on accessible tickets" ON public.messages FOR INSERT TO authenticated WITH CHECK (((sender_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id))) AND (message_type =
CASE
    WHEN ( SELECT private.is_staff() AS is_staff) THEN 'agent'::public.message_type
    ELSE 'customer'::public.message_type
END)));


--
-- Name: profiles Users can update own profile; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Users can update own profile" ON public.profiles FOR UPDATE TO authenticated USING ((id = ( SELECT auth.uid() AS uid))) WITH CHECK (((id = ( SELECT auth.uid() AS uid)) AND (role = ( SELECT private.current_user_role() AS current_user_role)) AND (NOT (organization_id IS DISTINCT FROM ( SELECT private.current_org_id() AS current_org_id)))));


--
-- Name: messages Users can view messages of accessible tickets; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Users can view messages of accessible tickets" ON public.messages FOR SELECT TO authenticated USING ((EXISTS ( SELECT 1
   FROM public.tickets t
  WHERE (t.id = messages.ticket_id))));


--
-- Name: profiles Users can view own profile; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "Users can view own profile" ON public.profiles FOR SELECT TO authenticated USING ((id = ( SELECT auth.uid() AS uid)));


--
-- Name: audit_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.audit_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: kb_articles; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.kb_articles ENABLE ROW LEVEL SECURITY;

--
-- Name: kb_categories; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.kb_categories ENABLE ROW LEVEL SECURITY;

--
-- Name: messages; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;

--
-- Name: profiles; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

--
-- Name: response_templates; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.response_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: team_members; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.team_members ENABLE ROW LEVEL SECURITY;

--
-- Name: teams; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.teams ENABLE ROW LEVEL SECURITY;

--
-- Name: tickets; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.tickets ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA private; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA private TO authenticated;
GRANT USAGE ON SCHEMA private TO service_role;


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO anon;
GRANT USAGE ON SCHEMA public TO authenticated;
GRANT USAGE ON SCHEMA public TO service_role;


--
-- Name: FUNCTION analytics_denied(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.analytics_denied() FROM PUBLIC;
GRANT ALL ON FUNCTION private.analytics_denied() TO authenticated;
GRANT ALL ON FUNCTION private.analytics_denied() TO service_role;


--
-- Name: FUNCTION analytics_organization_allowed(p_organization_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.analytics_organization_allowed(p_organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.analytics_organization_allowed(p_organization_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.analytics_organization_allowed(p_organization_id uuid) TO service_role;


--
-- Name: FUNCTION audit_organization(p_table text, p_row jsonb, p_actor uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.audit_organization(p_table text, p_row jsonb, p_actor uuid) FROM PUBLIC;


--
-- Name: FUNCTION audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.audit_record_key(p_schema text, p_table text, p_keys text[], p_row jsonb) FROM PUBLIC;


--
-- Name: FUNCTION autocrm_functions(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.autocrm_functions() FROM PUBLIC;


--
-- Name: FUNCTION autocrm_tables(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.autocrm_tables() FROM PUBLIC;


--
-- Name: FUNCTION check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid) TO service_role;


--
-- Name: FUNCTION create_audit_log_partitions(p_months_ahead integer); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.create_audit_log_partitions(p_months_ahead integer) FROM PUBLIC;
GRANT ALL ON FUNCTION private.create_audit_log_partitions(p_months_ahead integer) TO service_role;


--
-- Name: FUNCTION current_admin_org_id(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_admin_org_id() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_admin_org_id() TO authenticated;
GRANT ALL ON FUNCTION private.current_admin_org_id() TO service_role;


--
-- Name: FUNCTION current_org_id(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_org_id() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_org_id() TO authenticated;
GRANT ALL ON FUNCTION private.current_org_id() TO service_role;


--
-- Name: FUNCTION current_org_team_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_org_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_org_team_ids() TO authenticated;
GRANT ALL ON FUNCTION private.current_org_team_ids() TO service_role;


--
-- Name: FUNCTION current_staff_id(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_staff_id() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_staff_id() TO authenticated;
GRANT ALL ON FUNCTION private.current_staff_id() TO service_role;


--
-- Name: FUNCTION current_staff_team_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_staff_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_staff_team_ids() TO authenticated;
GRANT ALL ON FUNCTION private.current_staff_team_ids() TO service_role;


--
-- Name: FUNCTION current_ticket_keys(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_ticket_keys() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_ticket_keys() TO authenticated;
GRANT ALL ON FUNCTION private.current_ticket_keys() TO service_role;


--
-- Name: FUNCTION current_user_role(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_user_role() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_user_role() TO authenticated;
GRANT ALL ON FUNCTION private.current_user_role() TO service_role;


--
-- Name: FUNCTION current_user_team_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.current_user_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.current_user_team_ids() TO authenticated;
GRANT ALL ON FUNCTION private.current_user_team_ids() TO service_role;


--
-- Name: FUNCTION derive_organization_id(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.derive_organization_id() FROM PUBLIC;


--
-- Name: FUNCTION guard_ticket_write(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.guard_ticket_write() FROM PUBLIC;


--
-- Name: FUNCTION is_admin(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_admin() TO authenticated;
GRANT ALL ON FUNCTION private.is_admin() TO service_role;


--
-- Name: FUNCTION is_org_staff(p_user_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_org_staff(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_org_staff(p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.is_org_staff(p_user_id uuid) TO service_role;


--
-- Name: FUNCTION is_service_caller(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_service_caller() FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_service_caller() TO authenticated;
GRANT ALL ON FUNCTION private.is_service_caller() TO service_role;


--
-- Name: FUNCTION is_staff(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_staff() FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_staff() TO authenticated;
GRANT ALL ON FUNCTION private.is_staff() TO service_role;


--
-- Name: FUNCTION is_team_member(p_team_id uuid, p_user_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_team_member(p_team_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_team_member(p_team_id uuid, p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.is_team_member(p_team_id uuid, p_user_id uuid) TO service_role;


--
-- Name: FUNCTION uuid_v7(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.uuid_v7() FROM PUBLIC;


--
-- Name: TABLE tickets; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.tickets TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tickets TO service_role;


--
-- Name: COLUMN tickets.title; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.description; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.status; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.priority; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(priority),UPDATE(priority) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.customer_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(customer_id) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.assigned_agent_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(assigned_agent_id),UPDATE(assigned_agent_id) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.assigned_team_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(assigned_team_id),UPDATE(assigned_team_id) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.tickets TO authenticated;


--
-- Name: COLUMN tickets.tags; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(tags),UPDATE(tags) ON TABLE public.tickets TO authenticated;


--
-- Name: FUNCTION assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.assign_ticket(p_ticket_id uuid, p_agent_id uuid, p_team_id uuid) TO service_role;


--
-- Name: FUNCTION audit_trigger_func(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.audit_trigger_func() FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_trigger_func() TO service_role;


--
-- Name: FUNCTION change_ticket_status(p_ticket_id uuid, p_status public.ticket_status); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status) FROM PUBLIC;
GRANT ALL ON FUNCTION public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status) TO authenticated;
GRANT ALL ON FUNCTION public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status) TO service_role;


--
-- Name: FUNCTION get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.get_agent_performance(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) TO service_role;


--
-- Name: FUNCTION get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.get_ticket_metrics(p_from timestamp with time zone, p_to timestamp with time zone, p_organization_id uuid) TO service_role;


--
-- Name: FUNCTION refresh_analytics_views(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.refresh_analytics_views() FROM PUBLIC;
GRANT ALL ON FUNCTION public.refresh_analytics_views() TO authenticated;
GRANT ALL ON FUNCTION public.refresh_analytics_views() TO service_role;


--
-- Name: FUNCTION search_kb_articles(p_query text, p_limit integer); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.search_kb_articles(p_query text, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.search_kb_articles(p_query text, p_limit integer) TO authenticated;
GRANT ALL ON FUNCTION public.search_kb_articles(p_query text, p_limit integer) TO service_role;


--
-- Name: TABLE messages; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.messages TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.messages TO service_role;


--
-- Name: COLUMN messages.ticket_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(ticket_id) ON TABLE public.messages TO authenticated;


--
-- Name: COLUMN messages.sender_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(sender_id) ON TABLE public.messages TO authenticated;


--
-- Name: COLUMN messages.message_type; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(message_type) ON TABLE public.messages TO authenticated;


--
-- Name: COLUMN messages.content; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(content),UPDATE(content) ON TABLE public.messages TO authenticated;


--
-- Name: COLUMN messages.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.messages TO authenticated;


--
-- Name: TABLE audit_logs; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.audit_logs TO authenticated;
GRANT SELECT ON TABLE public.audit_logs TO service_role;


--
-- Name: TABLE organizations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.organizations TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.organizations TO service_role;


--
-- Name: COLUMN organizations.name; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(name) ON TABLE public.organizations TO authenticated;


--
-- Name: COLUMN organizations.domain; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(domain) ON TABLE public.organizations TO authenticated;


--
-- Name: COLUMN organizations.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(metadata) ON TABLE public.organizations TO authenticated;


--
-- Name: TABLE profiles; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.profiles TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.profiles TO service_role;


--
-- Name: COLUMN profiles.id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(id) ON TABLE public.profiles TO authenticated;


--
-- Name: COLUMN profiles.role; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(role),UPDATE(role) ON TABLE public.profiles TO authenticated;


--
-- Name: COLUMN profiles.full_name; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(full_name),UPDATE(full_name) ON TABLE public.profiles TO authenticated;


--
-- Name: COLUMN profiles.avatar_url; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(avatar_url),UPDATE(avatar_url) ON TABLE public.profiles TO authenticated;


--
-- Name: COLUMN profiles.organization_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(organization_id) ON TABLE public.profiles TO authenticated;


--
-- Name: COLUMN profiles.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.profiles TO authenticated;


--
-- Name: TABLE visible_agent_performance; Type: ACL; Schema: private; Owner: -
--

GRANT SELECT ON TABLE private.visible_agent_performance TO authenticated;
GRANT SELECT ON TABLE private.visible_agent_performance TO service_role;


--
-- Name: TABLE visible_ticket_metrics; Type: ACL; Schema: private; Owner: -
--

GRANT SELECT ON TABLE private.visible_ticket_metrics TO authenticated;
GRANT SELECT ON TABLE private.visible_ticket_metrics TO service_role;


--
-- Name: TABLE kb_articles; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.kb_articles TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kb_articles TO service_role;


--
-- Name: COLUMN kb_articles.title; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.content; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(content),UPDATE(content) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.category_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(category_id),UPDATE(category_id) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.author_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(author_id) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.tags; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(tags),UPDATE(tags) ON TABLE public.kb_articles TO authenticated;


--
-- Name: COLUMN kb_articles.published_at; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(published_at),UPDATE(published_at) ON TABLE public.kb_articles TO authenticated;


--
-- Name: TABLE kb_categories; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.kb_categories TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kb_categories TO service_role;


--
-- Name: COLUMN kb_categories.name; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(name),UPDATE(name) ON TABLE public.kb_categories TO authenticated;


--
-- Name: COLUMN kb_categories.description; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE public.kb_categories TO authenticated;


--
-- Name: COLUMN kb_categories.parent_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(parent_id),UPDATE(parent_id) ON TABLE public.kb_categories TO authenticated;


--
-- Name: COLUMN kb_categories.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.kb_categories TO authenticated;


--
-- Name: TABLE response_templates; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.response_templates TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.response_templates TO service_role;


--
-- Name: COLUMN response_templates.title; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE public.response_templates TO authenticated;


--
-- Name: COLUMN response_templates.content; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(content),UPDATE(content) ON TABLE public.response_templates TO authenticated;


--
-- Name: COLUMN response_templates.team_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(team_id),UPDATE(team_id) ON TABLE public.response_templates TO authenticated;


--
-- Name: COLUMN response_templates.author_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(author_id) ON TABLE public.response_templates TO authenticated;


--
-- Name: COLUMN response_templates.tags; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(tags),UPDATE(tags) ON TABLE public.response_templates TO authenticated;


--
-- Name: COLUMN response_templates.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.response_templates TO authenticated;


--
-- Name: TABLE team_members; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.team_members TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_members TO service_role;


--
-- Name: COLUMN team_members.team_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(team_id),UPDATE(team_id) ON TABLE public.team_members TO authenticated;


--
-- Name: COLUMN team_members.user_id; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(user_id),UPDATE(user_id) ON TABLE public.team_members TO authenticated;


--
-- Name: COLUMN team_members.role; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(role),UPDATE(role) ON TABLE public.team_members TO authenticated;


--
-- Name: TABLE teams; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,DELETE ON TABLE public.teams TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.teams TO service_role;


--
-- Name: COLUMN teams.name; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(name),UPDATE(name) ON TABLE public.teams TO authenticated;


--
-- Name: COLUMN teams.description; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE public.teams TO authenticated;


--
-- Name: COLUMN teams.metadata; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE public.teams TO authenticated;


--
-- PostgreSQL database dump complete
--

\unrestrict autocrmmigrate


--
-- autocrm-migrate: migrations applied (ledger autocrm_migrate.schema_migrations)
--

-- 20260101000100 extensions_and_auth_stand_in
-- 20260101000200 organizations_and_profiles
-- 20260101000300 teams
-- 20260101000400 tickets
-- 20260101000500 messages
-- 20260101000600 knowledge_base
-- 20260101000700 kb_vector_search
-- 20260101000800 response_templates
-- 20260101000900 analytics
-- 20260101001000 audit_logging
-- 20260101001100 indexes
-- 20260101001200 ticket_operations
-- 20260101001300 maintenance
-- 20260101001400 rls_performance
-- 20260101001500 audit_trigger_performance
-- 20260101001600 audit_statement_triggers
-- 20260101001700 tenant_isolation
-- 20260101001800 server_owned_columns_and_exact_privileges
-- 20260101001900 fixed_search_path_everywhere
-- 20260101002000 analytics_functions_one_call
-- 20260101002100 ticket_visibility_keys_index
-- 20260101002200 ticket_visibility_one_lookup
-- 20260101002300 analytics_through_views
