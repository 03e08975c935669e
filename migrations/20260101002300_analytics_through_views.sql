-- migrate:up
-- AutoCRM schema, step 23: the analytics functions become plain SQL that PostgreSQL inlines into the
-- caller's query, reading the materialized views through two security-barrier views that keep
-- each caller to their organization (issue 14, requirement 7: the admin_metrics hot path at
-- 1.59-1.64x over the owner on a quiet machine after step 20, target 1.3x).
--
-- What a call cost (bench/load, scale 1.0, per transaction of two calls): the security definer
-- plpgsql call itself (a GUC save and restore for its search_path, about 7 µs here), the look-up
-- of the caller's profile through SPI, and RETURN QUERY copying the rows into a tuplestore. The
-- owner reads the same rows in 0.150-0.157 ms, the functions took 0.244-0.249 ms.
--
-- Now:
-- * private.visible_ticket_metrics and private.visible_agent_performance (owned by the migrating
--   role, security_barrier, SELECT for authenticated and service_role; schema private is never
--   exposed by the API): the view's rows of the organizations the caller may read, decided by one
--   sub-select evaluated once per query: the service role and direct sessions (role neither anon nor
--   authenticated, the test of private.is_service_caller()) every organization; an agent or admin
--   their own; anybody else an error, 42501 'analytics are available to agents and admins only'
--   (private.analytics_denied(), called only on that branch).
-- * get_ticket_metrics() / get_agent_performance(): same signatures, rows, order and errors, as SQL
--   security invoker functions without a SET clause, so that PostgreSQL inlines them (a SET clause,
--   SECURITY DEFINER or plpgsql would each prevent it). The date bounds are sub-selects so that the
--   security barrier lets them reach the views' index. Naming an organization:
--   private.analytics_organization_allowed() raises 42501 for staff naming another one ('analytics
--   of another organization are not available', same hint), evaluated once, only when one is named.
--   Every name in their bodies is schema-qualified; an invoker function that ran with a caller's
--   hijacked search_path would run the caller's code as the caller, behind the views' barrier.
-- A caller gets no error when the view holds no row at all for any organization (the check is part
-- of the scan): there is nothing to hide then.

create function private.analytics_denied() returns uuid[]
language plpgsql stable set search_path = ''
as $$
begin
  raise exception 'analytics are available to agents and admins only' using errcode = '42501';
end
$$;
comment on function private.analytics_denied() is 'Raises 42501 for a caller who may not read analytics (the analytics views call it for anybody but staff and the service role)';

create function private.analytics_organization_allowed(p_organization_id uuid) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
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
comment on function private.analytics_organization_allowed(uuid) is 'True when the caller may read the analytics of that organization (service role: any; staff: their own); raises 42501 otherwise';

create view private.visible_ticket_metrics with (security_barrier) as
  select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
    from analytics.ticket_metrics m
   where m.organization_id = any ((
     select case
              when coalesce(nullif(pg_catalog.current_setting('role', true), 'none'), session_user::text)
                   not in ('anon', 'authenticated')
                then (select coalesce(pg_catalog.array_agg(o.id), '{}'::uuid[]) from public.organizations o)
              when p.role in ('agent', 'admin') then array[p.organization_id]
              else private.analytics_denied()
            end
       from (select 1) one left join public.profiles p on p.id = (select auth.uid()))::uuid[]);
comment on view private.visible_ticket_metrics is 'analytics.ticket_metrics rows of the organizations the caller may read (staff: their own; service role: all); 42501 for anybody else';

create view private.visible_agent_performance with (security_barrier) as
  select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets, ap.avg_resolution_time,
         ap.total_messages, ap.organization_id
    from analytics.agent_performance ap
   where ap.organization_id = any ((
     select case
              when coalesce(nullif(pg_catalog.current_setting('role', true), 'none'), session_user::text)
                   not in ('anon', 'authenticated')
                then (select coalesce(pg_catalog.array_agg(o.id), '{}'::uuid[]) from public.organizations o)
              when p.role in ('agent', 'admin') then array[p.organization_id]
              else private.analytics_denied()
            end
       from (select 1) one left join public.profiles p on p.id = (select auth.uid()))::uuid[]);
comment on view private.visible_agent_performance is 'analytics.agent_performance rows of the organizations the caller may read (staff: their own; service role: all); 42501 for anybody else';

revoke all on private.visible_ticket_metrics, private.visible_agent_performance from public, anon;
grant select on private.visible_ticket_metrics, private.visible_agent_performance to authenticated, service_role;
revoke all on function private.analytics_denied(), private.analytics_organization_allowed(uuid) from public, anon;
grant execute on function private.analytics_denied(), private.analytics_organization_allowed(uuid)
  to authenticated, service_role;

create or replace function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null,
                                                     p_organization_id uuid default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric,
               organization_id uuid)
language sql stable security invoker
as $$
  select v.day, v.total_tickets, v.resolved_tickets, v.avg_resolution_time, v.organization_id
    from private.visible_ticket_metrics v
   where v.day >= (select coalesce(p_from, '-infinity'::timestamptz))
     and v.day < (select coalesce(p_to, 'infinity'::timestamptz))
     and (p_organization_id is null or v.organization_id = p_organization_id)
     and (p_organization_id is null or (select private.analytics_organization_allowed(p_organization_id)))
   order by v.day, v.organization_id
$$;

create or replace function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null,
                                                        p_organization_id uuid default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint, organization_id uuid)
language sql stable security invoker
as $$
  select v.day, v.assigned_agent_id, v.total_tickets, v.resolved_tickets, v.avg_resolution_time, v.total_messages,
         v.organization_id
    from private.visible_agent_performance v
   where v.day >= (select coalesce(p_from, '-infinity'::timestamptz))
     and v.day < (select coalesce(p_to, 'infinity'::timestamptz))
     and (p_organization_id is null or v.organization_id = p_organization_id)
     and (p_organization_id is null or (select private.analytics_organization_allowed(p_organization_id)))
   order by v.day, v.assigned_agent_id
$$;

-- migrate:down

-- Step 20's functions, as they were (text from its up section).
create or replace function public.get_ticket_metrics(p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_organization_id uuid DEFAULT NULL::uuid) RETURNS TABLE(day timestamp with time zone, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric, organization_id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_role public.user_role;
  v_org uuid;
begin
  if coalesce(nullif(current_setting('role', true), 'none'), session_user::text) not in ('anon', 'authenticated') then
    -- service role or a direct session: the organization asked for, or all of them
    if p_organization_id is null then
      return query
        select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
          from analytics.ticket_metrics m
         where m.day >= coalesce(p_from, '-infinity'::timestamptz)
           and m.day < coalesce(p_to, 'infinity'::timestamptz)
         order by m.day, m.organization_id;
      return;
    end if;
    v_org := p_organization_id;
  else
    -- One look-up of the caller's profile for both the role and the organization.
    select p.role, p.organization_id into v_role, v_org
      from public.profiles p where p.id = (select auth.uid());
    if v_role is null or v_role not in ('agent', 'admin') then
      raise exception 'analytics are available to agents and admins only' using errcode = '42501';
    end if;
    if p_organization_id is not null and p_organization_id is distinct from v_org then
      raise exception 'analytics of another organization are not available' using errcode = '42501',
        hint = 'leave p_organization_id null: staff read their own organization';
    end if;
  end if;
  return query
    select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
      from analytics.ticket_metrics m
     where m.organization_id = v_org
       and m.day >= coalesce(p_from, '-infinity'::timestamptz)
       and m.day < coalesce(p_to, 'infinity'::timestamptz)
     order by m.day;
end
$$;

create or replace function public.get_agent_performance(p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_organization_id uuid DEFAULT NULL::uuid) RETURNS TABLE(day timestamp with time zone, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric, total_messages bigint, organization_id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_role public.user_role;
  v_org uuid;
begin
  if coalesce(nullif(current_setting('role', true), 'none'), session_user::text) not in ('anon', 'authenticated') then
    -- service role or a direct session: the organization asked for, or all of them
    if p_organization_id is null then
      return query
        select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
               ap.avg_resolution_time, ap.total_messages, ap.organization_id
          from analytics.agent_performance ap
         where ap.day >= coalesce(p_from, '-infinity'::timestamptz)
           and ap.day < coalesce(p_to, 'infinity'::timestamptz)
         order by ap.day, ap.assigned_agent_id;
      return;
    end if;
    v_org := p_organization_id;
  else
    -- One look-up of the caller's profile for both the role and the organization.
    select p.role, p.organization_id into v_role, v_org
      from public.profiles p where p.id = (select auth.uid());
    if v_role is null or v_role not in ('agent', 'admin') then
      raise exception 'analytics are available to agents and admins only' using errcode = '42501';
    end if;
    if p_organization_id is not null and p_organization_id is distinct from v_org then
      raise exception 'analytics of another organization are not available' using errcode = '42501',
        hint = 'leave p_organization_id null: staff read their own organization';
    end if;
  end if;
  return query
    select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
           ap.avg_resolution_time, ap.total_messages, ap.organization_id
      from analytics.agent_performance ap
     where ap.organization_id = v_org
       and ap.day >= coalesce(p_from, '-infinity'::timestamptz)
       and ap.day < coalesce(p_to, 'infinity'::timestamptz)
     order by ap.day, ap.assigned_agent_id;
end
$$;

drop view private.visible_agent_performance;
drop view private.visible_ticket_metrics;
drop function private.analytics_organization_allowed(uuid);
drop function private.analytics_denied();
