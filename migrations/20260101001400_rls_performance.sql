-- migrate:up
-- AutoCRM schema, step 14: hot paths that stay fast at a million tickets (bench/load, see
-- docs/benchmarks-load.md for the plans and the numbers before and after).
--
-- 1. The tickets select policies are index-friendly. A query that leaves the filtering to RLS
--    (select ... from tickets order by ... limit n) gets the three select policies OR'ed into one
--    filter. The agent arm was `is_staff() and (assigned_agent_id = uid or assigned_team_id in
--    (select current_user_team_ids()))`: a hashed SubPlan inside an OR cannot be an index
--    condition, so every such query was a Seq Scan of tickets (customer "my tickets": 480 ms at
--    1M tickets). Each arm is now `column = (select helper())` or `column = any ((select helper()))`
--    where the helper returns the caller's id, team ids or organization only when the caller has
--    the role the arm is for (else null / an empty array): same rows as before, and the planner
--    turns the OR into a BitmapOr of index scans, where the arms of the other roles cost nothing.
-- 2. The helpers are plpgsql: a non-inlined SQL function is planned again at every execution of
--    the calling query, a plpgsql one keeps its plan for the session (policies call them once
--    per statement, on every API request).
-- 3. idx_tickets_open_queue: the agents' queue (open tickets by priority) reads the open tickets
--    in order instead of walking idx_tickets_priority through every closed ticket (700,000 rows
--    filtered away, 280 ms).
-- 4. get_ticket_metrics() and get_agent_performance() filter days with index-friendly bounds;
--    `(p_from is null or day >= p_from)` made the function's cached plan a Seq Scan of
--    analytics.agent_performance (hundreds of thousands of rows for one day); and the
--    organization check of get_agent_performance() looks up each row's agent instead of hashing
--    every profile of the organization (10,000 at scale 1) on each call. Same rows as before.

-- The signed-in user's id when they are an agent or an admin, else null.
create function private.current_staff_id() returns uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select p.id from public.profiles p
           where p.id = (select auth.uid()) and p.role in ('agent', 'admin'));
end
$$;
comment on function private.current_staff_id() is 'auth.uid() when the signed-in user is an agent or admin, else null; use as col = (select private.current_staff_id())';

-- The teams of the signed-in user when they are an agent or an admin, else an empty array.
create function private.current_staff_team_ids() returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select coalesce(array_agg(tm.team_id), '{}'::uuid[])
            from public.team_members tm
            join public.profiles p on p.id = tm.user_id
           where tm.user_id = (select auth.uid()) and p.role in ('agent', 'admin'));
end
$$;
comment on function private.current_staff_team_ids() is 'Teams of the signed-in agent or admin (empty for customers); use as col = any ((select private.current_staff_team_ids())::uuid[])';

-- The organization of the signed-in user when they are an admin, else null.
create function private.current_admin_org_id() returns uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select p.organization_id from public.profiles p
           where p.id = (select auth.uid()) and p.role = 'admin');
end
$$;
comment on function private.current_admin_org_id() is 'Organization of the signed-in admin, else null; use as col = (select private.current_admin_org_id())';

revoke all on function private.current_staff_id() from public;
revoke all on function private.current_staff_team_ids() from public;
revoke all on function private.current_admin_org_id() from public;
grant execute on function private.current_staff_id() to authenticated, service_role;
grant execute on function private.current_staff_team_ids() to authenticated, service_role;
grant execute on function private.current_admin_org_id() to authenticated, service_role;

-- The existing role helpers keep their definitions but become plpgsql (see 2. above): every
-- policy, the guard trigger and the functions call them on every request.
create or replace function private.current_user_role() returns public.user_role
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select p.role from public.profiles p where p.id = (select auth.uid()));
end
$$;

create or replace function private.current_org_id() returns uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select p.organization_id from public.profiles p where p.id = (select auth.uid()));
end
$$;

create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role = 'admin'
  );
end
$$;

create or replace function private.is_staff() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role in ('agent', 'admin')
  );
end
$$;

create or replace function private.current_user_team_ids() returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select tm.team_id from public.team_members tm where tm.user_id = (select auth.uid());
end
$$;

-- Same rows as before: is_staff() and (agent = uid or team in my teams) / is_admin() and org = mine.
drop policy "Agents can view assigned tickets" on public.tickets;
create policy "Agents can view assigned tickets"
  on public.tickets for select to authenticated
  using (
    assigned_agent_id = (select private.current_staff_id())
    or assigned_team_id = any ((select private.current_staff_team_ids())::uuid[])
  );

drop policy "Admins can view organization tickets" on public.tickets;
create policy "Admins can view organization tickets"
  on public.tickets for select to authenticated
  using (organization_id = (select private.current_admin_org_id()));

-- The open tickets in queue order (priority first, oldest first); a few percent of all tickets.
create index idx_tickets_open_queue on public.tickets (priority desc, created_at)
  where status in ('new', 'open', 'pending');

create or replace function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not ((select private.is_service_caller()) or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time
      from analytics.ticket_metrics m
     where m.day >= coalesce(p_from, '-infinity'::timestamptz)
       and m.day < coalesce(p_to, 'infinity'::timestamptz)
     order by m.day;
end
$$;

create or replace function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_service boolean := (select private.is_service_caller());
  v_org uuid := (select private.current_org_id());
begin
  if not (v_service or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
           ap.avg_resolution_time, ap.total_messages
      from analytics.agent_performance ap
     where ap.day >= coalesce(p_from, '-infinity'::timestamptz)
       and ap.day < coalesce(p_to, 'infinity'::timestamptz)
       and (v_service
            or (select p.organization_id from public.profiles p where p.id = ap.assigned_agent_id) = v_org)
     order by ap.day, ap.assigned_agent_id;
end
$$;

-- migrate:down

create or replace function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_service boolean := (select private.is_service_caller());
begin
  if not (v_service or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
           ap.avg_resolution_time, ap.total_messages
      from analytics.agent_performance ap
     where (p_from is null or ap.day >= p_from)
       and (p_to is null or ap.day < p_to)
       and (v_service or exists (
             select 1 from public.profiles p
              where p.id = ap.assigned_agent_id
                and p.organization_id = (select private.current_org_id())))
     order by ap.day, ap.assigned_agent_id;
end
$$;

create or replace function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not ((select private.is_service_caller()) or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time
      from analytics.ticket_metrics m
     where (p_from is null or m.day >= p_from)
       and (p_to is null or m.day < p_to)
     order by m.day;
end
$$;

drop index public.idx_tickets_open_queue;

drop policy "Admins can view organization tickets" on public.tickets;
create policy "Admins can view organization tickets"
  on public.tickets for select to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

drop policy "Agents can view assigned tickets" on public.tickets;
create policy "Agents can view assigned tickets"
  on public.tickets for select to authenticated
  using (
    (select private.is_staff())
    and (assigned_agent_id = (select auth.uid())
         or assigned_team_id in (select private.current_user_team_ids()))
  );

create or replace function private.current_user_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select tm.team_id from public.team_members tm where tm.user_id = (select auth.uid())
$$;

create or replace function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role in ('agent', 'admin')
  )
$$;

create or replace function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role = 'admin'
  )
$$;

create or replace function private.current_org_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select p.organization_id from public.profiles p where p.id = (select auth.uid())
$$;

create or replace function private.current_user_role() returns public.user_role
language sql stable security definer set search_path = ''
as $$
  select p.role from public.profiles p where p.id = (select auth.uid())
$$;

drop function private.current_admin_org_id();
drop function private.current_staff_team_ids();
drop function private.current_staff_id();
