-- migrate:up
-- AutoCRM schema, step 20: the analytics functions check their caller themselves (issue 14, the
-- admin_metrics hot path: 1.77x over the owner reading the views, target 1.3x).
--
-- get_ticket_metrics() and get_agent_performance() called private.analytics_organization(), a
-- second security definer plpgsql function with its own `set search_path`, which in turn called
-- private.is_service_caller(), a SQL function that cannot be inlined (it has a SET clause) and is
-- therefore parsed and planned again on every call. Per call that was two function-level GUC
-- save/restores, one SQL function plan and the plpgsql call itself on top of the one view look-up
-- (bench: 0.123-0.129 ms per get_ticket_metrics statement against 0.068-0.072 ms with the check
-- written into the function; a loop of 3,000 calls in one transaction: 33 µs -> 15-25 µs per call).
--
-- Same rules, same rows, same errors (42501 and the same messages and hint):
-- * service role and direct sessions (role neither anon nor authenticated, the expression of
--   private.is_service_caller()): the named organization, or every organization when null;
-- * everybody else: one look-up of the caller's profile gives role and organization; not agent or
--   admin -> 42501; naming another organization -> 42501; else the caller's organization (a staff
--   profile without organization reads no rows, as before).
-- Inside a security definer function current_user is the owner, but the `role` setting and
-- session_user are still the caller's, which is what the test reads (as is_service_caller does).
-- private.analytics_organization() has no other caller and is dropped (the down section restores
-- it).

create or replace function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null,
                                                     p_organization_id uuid default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric,
               organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
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

create or replace function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null,
                                                        p_organization_id uuid default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint, organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
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

drop function private.analytics_organization(uuid);

-- migrate:down

-- The functions and the helper of step 17.
-- The organization whose analytics the caller may read: their own (staff), the one asked for or
-- null for all (service role); 42501 for everybody else and for staff naming another one.
create function private.analytics_organization(p_organization_id uuid) returns uuid
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_role public.user_role;
  v_org uuid;
begin
  if (select private.is_service_caller()) then
    return p_organization_id;
  end if;
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
  return v_org;
end
$$;
comment on function private.analytics_organization(uuid) is 'Organization whose analytics the caller may read (null: all, service role only); 42501 otherwise';
-- Only the two security definer functions below call it (as its owner): no grant to anybody.
revoke all on function private.analytics_organization(uuid) from public, anon, authenticated, service_role;

create or replace function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null,
                                                     p_organization_id uuid default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric,
               organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_org uuid := private.analytics_organization(p_organization_id);
begin
  if v_org is null and (select private.is_service_caller()) then
    return query
      select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
        from analytics.ticket_metrics m
       where m.day >= coalesce(p_from, '-infinity'::timestamptz)
         and m.day < coalesce(p_to, 'infinity'::timestamptz)
       order by m.day, m.organization_id;
    return;
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

create or replace function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null,
                                                        p_organization_id uuid default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint, organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_org uuid := private.analytics_organization(p_organization_id);
begin
  if v_org is null and (select private.is_service_caller()) then
    return query
      select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
             ap.avg_resolution_time, ap.total_messages, ap.organization_id
        from analytics.agent_performance ap
       where ap.day >= coalesce(p_from, '-infinity'::timestamptz)
         and ap.day < coalesce(p_to, 'infinity'::timestamptz)
       order by ap.day, ap.assigned_agent_id;
    return;
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
