-- Row level security of tickets and the guard trigger's per-role rules.
begin;
set search_path = public, tap, extensions;
select plan(35);

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

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select id from public.tickets order by id$$,
  array['c0000000-0000-4000-8000-000000000001'::uuid, 'c0000000-0000-4000-8000-000000000003'::uuid],
  'customer A sees their own tickets T1 and T3');
select lives_ok(
  $$insert into public.tickets (id, title, customer_id) values ('c0000000-0000-4000-8000-0000000000a1', 'A opens one', '11111111-1111-4111-8111-111111111111')$$,
  'customer A opens a ticket');
select results_eq($$select organization_id from public.tickets where id = 'c0000000-0000-4000-8000-0000000000a1'$$,
  array['0a000000-0000-4000-8000-00000000000a'::uuid], 'the new ticket belongs to customer A''s organization');
select throws_ok(
  $$insert into public.tickets (title, customer_id) values ('on behalf of B', '22222222-2222-4222-8222-222222222222')$$,
  '42501', null, 'customer A cannot open a ticket for customer B');
select throws_ok(
  $$insert into public.tickets (title, customer_id, assigned_team_id) values ('pick my team', '11111111-1111-4111-8111-111111111111', '0e000000-0000-4000-8000-0000000000e1')$$,
  '42501', null, 'customer A cannot route their ticket to a team');
select throws_ok(
  $$insert into public.tickets (title, customer_id, status) values ('born resolved', '11111111-1111-4111-8111-111111111111', 'resolved')$$,
  '42501', null, 'customer A cannot open a ticket in another status than new');
select results_eq(
  $$with u as (update public.tickets set title = 'T1 printer still on fire' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[1], 'customer A edits the title of their ticket');
select results_eq(
  $$with u as (update public.tickets set title = 'mine now' where id = 'c0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[0], 'customer A cannot update customer B''s ticket');
select throws_ok(
  $$update public.tickets set priority = 'urgent' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot change the priority');
select throws_ok(
  $$update public.tickets set status = 'resolved' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot mark their ticket resolved');
select throws_ok(
  $$update public.tickets set assigned_agent_id = '44444444-4444-4444-8444-444444444444' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot assign their ticket');
select throws_ok(
  $$update public.tickets set customer_id = '22222222-2222-4222-8222-222222222222' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot give their ticket to another customer');
select results_eq(
  $$with d as (delete from public.tickets where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'customer A cannot delete their ticket');

-- as customer b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}';
select results_eq($$select id from public.tickets$$, array['c0000000-0000-4000-8000-000000000002'::uuid],
  'customer B sees only T2');

-- as agent x (team X; T3 assigned to them personally)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select id from public.tickets order by id$$,
  array['c0000000-0000-4000-8000-000000000001'::uuid, 'c0000000-0000-4000-8000-000000000003'::uuid],
  'agent X sees the team X ticket and the ticket assigned to them (defect 13)');
select results_eq(
  $$with u as (update public.tickets set status = 'open', priority = 'high' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[1], 'agent X works a team X ticket');
select results_eq(
  $$with u as (update public.tickets set status = 'open' where id = 'c0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[0], 'agent X cannot update a team Y ticket');
select throws_ok(
  $$update public.tickets set assigned_agent_id = '33333333-3333-4333-8333-333333333333' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'agent X cannot assign a team ticket to themselves');
select throws_ok(
  $$update public.tickets set assigned_team_id = '0e000000-0000-4000-8000-0000000000e2' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'agent X cannot move a ticket to another team by a direct update');
select results_eq(
  $$with d as (delete from public.tickets where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'agent X cannot delete tickets');
select lives_ok(
  $$insert into public.tickets (id, title, customer_id, assigned_team_id) values ('c0000000-0000-4000-8000-0000000000a2', 'phoned in', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e1')$$,
  'agent X opens a ticket for customer B in team X');
select throws_ok(
  $$insert into public.tickets (title, customer_id, assigned_agent_id) values ('all mine', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333')$$,
  '42501', null, 'agent X cannot open a ticket assigned to themselves');
select throws_ok(
  $$insert into public.tickets (title, customer_id) values ('globex', '77777777-7777-4777-8777-777777777777')$$,
  '42501', null, 'agent X cannot open a ticket for a customer of organization B');

-- as agent y (team Y only)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq($$select id from public.tickets$$, array['c0000000-0000-4000-8000-000000000002'::uuid],
  'agent Y (outside team X) sees only the team Y ticket');
select results_eq(
  $$with u as (update public.tickets set status = 'pending' where id = 'c0000000-0000-4000-8000-000000000003' returning 1) select count(*)::int from u$$,
  array[0], 'agent Y cannot update a ticket assigned to agent X');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq($$select count(*)::int from public.tickets$$, array[5], 'admin A sees all five tickets of organization A');
select results_eq(
  $$with u as (update public.tickets set assigned_agent_id = '44444444-4444-4444-8444-444444444444' where id = 'c0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[1], 'admin A assigns T2 to agent Y (member of team Y)');
select throws_ok(
  $$update public.tickets set assigned_agent_id = '33333333-3333-4333-8333-333333333333' where id = 'c0000000-0000-4000-8000-000000000002'$$,
  '23514', 'agent 33333333-3333-4333-8333-333333333333 is not a member of team 0e000000-0000-4000-8000-0000000000e2',
  'admin A cannot assign a team Y ticket to agent X, who is not in team Y');
select throws_ok(
  $$update public.tickets set assigned_agent_id = '22222222-2222-4222-8222-222222222222', assigned_team_id = null where id = 'c0000000-0000-4000-8000-000000000002'$$,
  '23514', null, 'admin A cannot assign a ticket to a customer');
select results_eq(
  $$with d as (delete from public.tickets where id = 'c0000000-0000-4000-8000-0000000000a2' returning 1) select count(*)::int from d$$,
  array[1], 'admin A deletes a ticket of organization A');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq($$select id from public.tickets$$, array['c0000000-0000-4000-8000-000000000004'::uuid],
  'admin B sees only organization B''s ticket');
select results_eq(
  $$with u as (update public.tickets set title = 'x' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[0], 'admin B cannot update an organization A ticket');
select results_eq(
  $$with d as (delete from public.tickets where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'admin B cannot delete an organization A ticket');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.tickets$$, '42501', null, 'anon cannot read tickets');
select throws_ok($$insert into public.tickets (title) values ('spam')$$, '42501', null, 'anon cannot open tickets');

reset role;
select * from finish();
rollback;
