-- Analytics: concurrent refresh with data, and who can read the figures (agents and admins only).
begin;
set search_path = public, tap, extensions;
select plan(26);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- Historical tickets of 2026-01-10 (UTC), written as the superuser so timestamps can be set.
insert into public.tickets (id, title, customer_id, assigned_team_id, assigned_agent_id, status, created_at, resolved_at, closed_at) values
  ('c0000000-0000-4000-8000-0000000000b1', 'hist 1', '11111111-1111-4111-8111-111111111111', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333', 'resolved', '2026-01-10 08:00+00', '2026-01-10 10:00+00', null),
  ('c0000000-0000-4000-8000-0000000000b2', 'hist 2', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333', 'open', '2026-01-10 09:00+00', null, null),
  ('c0000000-0000-4000-8000-0000000000b3', 'hist 3', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e2', '44444444-4444-4444-8444-444444444444', 'closed', '2026-01-10 12:00+00', '2026-01-10 16:00+00', '2026-01-11 09:00+00'),
  ('c0000000-0000-4000-8000-0000000000b4', 'hist 4', '77777777-7777-4777-8777-777777777777', '0e000000-0000-4000-8000-0000000000e3', '66666666-6666-4666-8666-666666666666', 'new', '2026-01-10 05:00+00', null, null);
insert into public.messages (ticket_id, sender_id, message_type, content) values
  ('c0000000-0000-4000-8000-0000000000b1', '11111111-1111-4111-8111-111111111111', 'customer', 'help'),
  ('c0000000-0000-4000-8000-0000000000b1', '33333333-3333-4333-8333-333333333333', 'agent', 'done'),
  ('c0000000-0000-4000-8000-0000000000b2', '22222222-2222-4222-8222-222222222222', 'customer', 'hello?');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select lives_ok($$select public.refresh_analytics_views()$$, 'admin A refreshes the analytics views (concurrently, defect 10)');
select results_eq(
  $$select day, total_tickets, resolved_tickets, avg_resolution_time from public.get_ticket_metrics('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  $$values ('2026-01-10 00:00+00'::timestamptz, 3::bigint, 2::bigint, 10800::numeric)$$,
  'ticket_metrics: organization A''s 3 tickets that day (not B''s), 2 resolved, mean resolution 3 hours');
select results_eq(
  $$select assigned_agent_id, total_tickets, resolved_tickets, avg_resolution_time, total_messages
      from public.get_agent_performance('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  $$values ('33333333-3333-4333-8333-333333333333'::uuid, 2::bigint, 1::bigint, 7200::numeric, 3::bigint),
           ('44444444-4444-4444-8444-444444444444'::uuid, 1::bigint, 1::bigint, 14400::numeric, 0::bigint)$$,
  'agent_performance: organization A''s agents, messages counted once per message');

-- Since migration 20260101002000 the functions check their caller themselves: the same rows as the
-- views hold for the caller's organization, nothing of another one, and the same errors.
reset role;
set local request.jwt.claims = '';
create temp table expected_tm on commit drop as
  select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
    from analytics.ticket_metrics m where m.organization_id = '0a000000-0000-4000-8000-00000000000a';
create temp table expected_ap on commit drop as
  select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets, ap.avg_resolution_time,
         ap.total_messages, ap.organization_id
    from analytics.agent_performance ap where ap.organization_id = '0a000000-0000-4000-8000-00000000000a';
grant select on expected_tm, expected_ap to authenticated, service_role;
select hasnt_function('private', 'analytics_organization', array['uuid'],
  'the analytics check lives in the two functions (no nested security definer call per request)');
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq($$select * from public.get_ticket_metrics()$$, $$select * from expected_tm order by day$$,
  'admin A: get_ticket_metrics() returns exactly organization A''s rows of the view');
select results_eq($$select * from public.get_agent_performance()$$,
  $$select * from expected_ap order by day, assigned_agent_id$$,
  'admin A: get_agent_performance() returns exactly organization A''s rows of the view');
select results_eq($$select * from public.get_agent_performance(null, null, '0a000000-0000-4000-8000-00000000000a')$$,
  $$select * from expected_ap order by day, assigned_agent_id$$,
  'admin A naming their own organization reads the same rows');
select throws_ok($$select * from public.get_agent_performance(null, null, '0b000000-0000-4000-8000-00000000000b')$$,
  '42501', 'analytics of another organization are not available', 'admin A naming organization B: 42501');
select throws_ok($$select * from public.get_ticket_metrics(null, null, '0b000000-0000-4000-8000-00000000000b')$$,
  '42501', 'analytics of another organization are not available', 'admin A naming organization B (ticket metrics): 42501');
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select throws_ok($$select * from public.get_agent_performance(null, null, '0a000000-0000-4000-8000-00000000000a')$$,
  '42501', 'analytics are available to agents and admins only', 'customer A naming their own organization: 42501, same message');
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select results_eq($$select * from public.get_ticket_metrics(null, null, '0a000000-0000-4000-8000-00000000000a')$$,
  $$select * from expected_tm order by day$$, 'service_role naming organization A reads exactly A''s ticket rows');
select results_eq($$select * from public.get_agent_performance(null, null, '0a000000-0000-4000-8000-00000000000a')$$,
  $$select * from expected_ap order by day, assigned_agent_id$$, 'service_role naming organization A reads exactly A''s agent rows');

-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select count(*)::int from public.get_ticket_metrics('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  array[1], 'agent X reads the ticket metrics');
select throws_ok($$select public.refresh_analytics_views()$$, '42501', null, 'agent X cannot refresh the views');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq(
  $$select assigned_agent_id from public.get_agent_performance('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  array['66666666-6666-4666-8666-666666666666'::uuid], 'admin B sees only organization B''s agents');

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select throws_ok($$select * from public.get_ticket_metrics()$$, '42501', null, 'customer A cannot read ticket metrics');
select throws_ok($$select * from public.get_agent_performance()$$, '42501', null, 'customer A cannot read agent performance');
select throws_ok($$select * from analytics.ticket_metrics$$, '42501', null, 'customer A cannot read the materialized view directly (defect 15)');
select throws_ok($$select public.refresh_analytics_views()$$, '42501', null, 'customer A cannot refresh the views');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.get_ticket_metrics()$$, '42501', null, 'anon cannot read ticket metrics');
select throws_ok($$select * from analytics.agent_performance$$, '42501', null, 'anon cannot read the materialized view');

-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select lives_ok($$select public.refresh_analytics_views()$$, 'service_role refreshes the views');
select results_eq($$select count(*)::int from public.get_agent_performance('2026-01-10 00:00+00', '2026-01-11 00:00+00')
                     where organization_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')$$,
  array[3], 'service_role reads every agent''s figures (of both organizations: the upgrade test adds others)');

-- as superuser
reset role;
set local request.jwt.claims = '';
insert into public.tickets (title, customer_id, created_at) values ('hist 5', '11111111-1111-4111-8111-111111111111', '2026-01-10 23:00+00');
select lives_ok($$refresh materialized view concurrently analytics.ticket_metrics$$, 'refresh concurrently works on ticket_metrics');
select lives_ok($$refresh materialized view concurrently analytics.agent_performance$$, 'refresh concurrently works on agent_performance');
select results_eq($$select total_tickets from analytics.ticket_metrics where day = '2026-01-10 00:00+00' and organization_id = '0a000000-0000-4000-8000-00000000000a'$$,
  array[4::bigint], 'the refreshed view has the new ticket in organization A''s figures');

reset role;
select * from finish();
rollback;
