-- Analytics: concurrent refresh with data, and who can read the figures (agents and admins only).
begin;
set search_path = public, tap, extensions;
select plan(17);

-- Fixture (as the superuser running the tests; rolled back at the end):
--   org A 0a..0a (Acme): customer A 1111, customer B 2222, agent X 3333 (team X e1),
--                        agent Y 4444 (team Y e2, not in X), admin A 5555
--   org B 0b..0b (Globex): admin B 6666, customer C 7777 (team Z e3)
--   tickets: T1 c..01 (customer A, team X), T2 c..02 (customer B, team Y),
--            T3 c..03 (customer A, assigned to agent X, no team), T4 c..04 (customer C, team Z)
--   messages: M1 d..01 on T1 by A, M2 d..02 on T2 by B, M3 d..03 on T3 by agent X, M4 d..04 on T4 by C
-- The API roles need the tap schema to report results while acting as them.
grant usage on schema tap to anon, authenticated, service_role;

insert into public.organizations (id, name, domain) values
  ('0a000000-0000-4000-8000-00000000000a', 'Acme', 'acme.test'),
  ('0b000000-0000-4000-8000-00000000000b', 'Globex', 'globex.test');

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'customer.a@acme.test'),
  ('22222222-2222-4222-8222-222222222222', 'customer.b@acme.test'),
  ('33333333-3333-4333-8333-333333333333', 'agent.x@acme.test'),
  ('44444444-4444-4444-8444-444444444444', 'agent.y@acme.test'),
  ('55555555-5555-4555-8555-555555555555', 'admin.a@acme.test'),
  ('66666666-6666-4666-8666-666666666666', 'admin.b@globex.test'),
  ('77777777-7777-4777-8777-777777777777', 'customer.c@globex.test');

insert into public.profiles (id, role, full_name, organization_id) values
  ('11111111-1111-4111-8111-111111111111', 'customer', 'Customer A', '0a000000-0000-4000-8000-00000000000a'),
  ('22222222-2222-4222-8222-222222222222', 'customer', 'Customer B', '0a000000-0000-4000-8000-00000000000a'),
  ('33333333-3333-4333-8333-333333333333', 'agent', 'Agent X', '0a000000-0000-4000-8000-00000000000a'),
  ('44444444-4444-4444-8444-444444444444', 'agent', 'Agent Y', '0a000000-0000-4000-8000-00000000000a'),
  ('55555555-5555-4555-8555-555555555555', 'admin', 'Admin A', '0a000000-0000-4000-8000-00000000000a'),
  ('66666666-6666-4666-8666-666666666666', 'admin', 'Admin B', '0b000000-0000-4000-8000-00000000000b'),
  ('77777777-7777-4777-8777-777777777777', 'customer', 'Customer C', '0b000000-0000-4000-8000-00000000000b');

insert into public.teams (id, organization_id, name) values
  ('0e000000-0000-4000-8000-0000000000e1', '0a000000-0000-4000-8000-00000000000a', 'Team X'),
  ('0e000000-0000-4000-8000-0000000000e2', '0a000000-0000-4000-8000-00000000000a', 'Team Y'),
  ('0e000000-0000-4000-8000-0000000000e3', '0b000000-0000-4000-8000-00000000000b', 'Team Z');

insert into public.team_members (team_id, user_id) values
  ('0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333'),
  ('0e000000-0000-4000-8000-0000000000e2', '44444444-4444-4444-8444-444444444444'),
  ('0e000000-0000-4000-8000-0000000000e3', '66666666-6666-4666-8666-666666666666');

insert into public.tickets (id, title, customer_id, assigned_team_id, assigned_agent_id) values
  ('c0000000-0000-4000-8000-000000000001', 'T1 printer on fire', '11111111-1111-4111-8111-111111111111', '0e000000-0000-4000-8000-0000000000e1', null),
  ('c0000000-0000-4000-8000-000000000002', 'T2 cannot log in', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e2', null),
  ('c0000000-0000-4000-8000-000000000003', 'T3 invoice wrong', '11111111-1111-4111-8111-111111111111', null, '33333333-3333-4333-8333-333333333333'),
  ('c0000000-0000-4000-8000-000000000004', 'T4 globex outage', '77777777-7777-4777-8777-777777777777', '0e000000-0000-4000-8000-0000000000e3', null);

insert into public.messages (id, ticket_id, sender_id, message_type, content) values
  ('d0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'M1 it is still burning'),
  ('d0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'customer', 'M2 password reset fails'),
  ('d0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', 'agent', 'M3 we are looking into it'),
  ('d0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000004', '77777777-7777-4777-8777-777777777777', 'customer', 'M4 everything is down');

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
  $$values ('2026-01-10 00:00+00'::timestamptz, 4::bigint, 2::bigint, 10800::numeric)$$,
  'ticket_metrics: 4 tickets that day, 2 resolved, mean resolution 3 hours');
select results_eq(
  $$select assigned_agent_id, total_tickets, resolved_tickets, avg_resolution_time, total_messages
      from public.get_agent_performance('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  $$values ('33333333-3333-4333-8333-333333333333'::uuid, 2::bigint, 1::bigint, 7200::numeric, 3::bigint),
           ('44444444-4444-4444-8444-444444444444'::uuid, 1::bigint, 1::bigint, 14400::numeric, 0::bigint)$$,
  'agent_performance: organization A''s agents, messages counted once per message');

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
select results_eq($$select count(*)::int from public.get_agent_performance('2026-01-10 00:00+00', '2026-01-11 00:00+00')$$,
  array[3], 'service_role reads every agent''s figures');

-- as superuser
reset role;
set local request.jwt.claims = '';
insert into public.tickets (title, customer_id, created_at) values ('hist 5', '11111111-1111-4111-8111-111111111111', '2026-01-10 23:00+00');
select lives_ok($$refresh materialized view concurrently analytics.ticket_metrics$$, 'refresh concurrently works on ticket_metrics');
select lives_ok($$refresh materialized view concurrently analytics.agent_performance$$, 'refresh concurrently works on agent_performance');
select results_eq($$select total_tickets from analytics.ticket_metrics where day = '2026-01-10 00:00+00'$$,
  array[5::bigint], 'the refreshed view has the new ticket');

reset role;
select * from finish();
rollback;
