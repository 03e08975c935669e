-- Row level security of tickets and the guard trigger's per-role rules.
begin;
set search_path = public, tap, extensions;
select plan(40);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select id from public.tickets order by id$$,
  array['c0000000-0000-4000-8000-000000000001'::uuid, 'c0000000-0000-4000-8000-000000000003'::uuid],
  'customer A sees their own tickets T1 and T3');
select lives_ok(
  $$insert into public.tickets (title, customer_id) values ('A opens one', '11111111-1111-4111-8111-111111111111')$$,
  'customer A opens a ticket');
select results_eq($$select organization_id from public.tickets where title = 'A opens one'$$,
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
  $$insert into public.tickets (title, customer_id, assigned_team_id) values ('phoned in', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e1')$$,
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
  $$with d as (delete from public.tickets where title = 'phoned in' returning 1) select count(*)::int from d$$,
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

-- The keys of the staff visibility policy (migration 20260101002200): one look-up per statement.
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select is((select private.current_ticket_keys()), '{}'::uuid[], 'a customer has no staff keys (their own policy decides)');
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select is((select private.current_ticket_keys()),
  array['33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1']::uuid[],
  'an agent''s keys are their own id and their teams, not their organization');
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select is((select private.current_ticket_keys()),
  array['55555555-5555-4555-8555-555555555555', '0a000000-0000-4000-8000-00000000000a']::uuid[],
  'an admin''s keys add their organization');
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq($$select id from public.tickets order by id$$, array['c0000000-0000-4000-8000-000000000002'::uuid],
  'agent Y sees only the ticket of their team (not agent X''s, not the other team''s)');
set local request.jwt.claims = '{}';
select is((select private.current_ticket_keys()), '{}'::uuid[], 'without a signed-in user there are no keys');

reset role;
select * from finish();
rollback;
