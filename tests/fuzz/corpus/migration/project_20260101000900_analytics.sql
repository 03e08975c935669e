-- migrate:up
-- AutoCRM schema, step 9 (plan section 7): analytics materialized views and their refresh.
--
-- defect 10: each view has a unique index without WHERE, so REFRESH ... CONCURRENTLY works.
-- defect 11: every security definer function has a fixed, empty search_path.
-- defect 15: the views live in schema analytics, which the API does not expose and the API roles
--            cannot use; agents and admins read them through security definer functions that
--            check the caller's role (customers and anon get an error, never rows).
-- Also fixed: the plan's agent_performance counted count(*) over a join with messages, which
-- multiplied tickets by their messages; messages are now pre-aggregated per ticket.
-- Days are cut in UTC (date_trunc(..., 'UTC')) so a refresh never depends on the session time zone.

create schema analytics;
comment on schema analytics is 'autocrm: analytics materialized views; not exposed, read through public.get_ticket_metrics() and public.get_agent_performance()';

create materialized view analytics.ticket_metrics as
select
  date_trunc('day', t.created_at, 'UTC') as day,
  count(*) as total_tickets,
  -- tickets that reached resolution (resolved, or closed afterwards)
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time  -- seconds
from public.tickets t
group by 1;
comment on materialized view analytics.ticket_metrics is 'Tickets per UTC day: created, resolved, mean resolution time in seconds';

create unique index idx_ticket_metrics_day on analytics.ticket_metrics (day);

create materialized view analytics.agent_performance as
select
  date_trunc('day', t.created_at, 'UTC') as day,
  t.assigned_agent_id,
  count(*) as total_tickets,
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time,
  coalesce(sum(m.message_count), 0)::bigint as total_messages
from public.tickets t
left join (
  select ms.ticket_id, count(*) as message_count
    from public.messages ms
   group by ms.ticket_id
) m on m.ticket_id = t.id
where t.assigned_agent_id is not null
group by 1, 2;
comment on materialized view analytics.agent_performance is 'Tickets per UTC day and assigned agent: created, resolved, mean resolution time, messages';

create unique index idx_agent_performance_day_agent on analytics.agent_performance (day, assigned_agent_id);

-- Nothing in schema analytics is reachable by the API roles.
revoke all on schema analytics from public;
revoke all on analytics.ticket_metrics from public, anon, authenticated;
revoke all on analytics.agent_performance from public, anon, authenticated;

create function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null)
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
comment on function public.get_ticket_metrics(timestamptz, timestamptz) is 'Rows of analytics.ticket_metrics in [p_from, p_to); agents, admins and service_role only';

-- Staff see the agents of their own organization; service_role sees every agent.
create function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null)
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
comment on function public.get_agent_performance(timestamptz, timestamptz) is 'Rows of analytics.agent_performance in [p_from, p_to) for the caller''s organization; agents, admins and service_role only';

-- defect 11: fixed search_path; only admins (checked inside) and service_role / direct sessions
-- (pg_cron) may refresh.
create function public.refresh_analytics_views() returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if not ((select private.is_service_caller()) or (select private.is_admin())) then
    raise exception 'only admins and service_role can refresh analytics' using errcode = '42501';
  end if;
  refresh materialized view concurrently analytics.ticket_metrics;
  refresh materialized view concurrently analytics.agent_performance;
end
$$;
comment on function public.refresh_analytics_views() is 'Refreshes the analytics views concurrently; admins and service_role only';

revoke all on function public.get_ticket_metrics(timestamptz, timestamptz) from public, anon;
revoke all on function public.get_agent_performance(timestamptz, timestamptz) from public, anon;
revoke all on function public.refresh_analytics_views() from public, anon;
grant execute on function public.get_ticket_metrics(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.get_agent_performance(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.refresh_analytics_views() to authenticated, service_role;

-- migrate:down

drop function public.refresh_analytics_views();
drop function public.get_agent_performance(timestamptz, timestamptz);
drop function public.get_ticket_metrics(timestamptz, timestamptz);
drop materialized view analytics.agent_performance;
drop materialized view analytics.ticket_metrics;
drop schema analytics;
