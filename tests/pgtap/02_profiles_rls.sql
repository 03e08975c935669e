-- Row level security of profiles and organizations, acted out by each kind of user.
begin;
set search_path = public, tap, extensions;
select plan(29);

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

-- A signed-up user without a profile yet (newbie), and one more in org A for the delete test.
insert into auth.users (id, email) values
  ('88888888-8888-4888-8888-888888888888', 'newbie@example.test'),
  ('99999999-9999-4999-8999-999999999999', 'leaver@acme.test');
insert into public.profiles (id, role, full_name, organization_id) values
  ('99999999-9999-4999-8999-999999999999', 'customer', 'Leaver', '0a000000-0000-4000-8000-00000000000a');

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select id from public.profiles$$,
  array['11111111-1111-4111-8111-111111111111'::uuid], 'customer A sees only their own profile');
select results_eq(
  $$with u as (update public.profiles set full_name = 'Customer A2' where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*)::int from u$$,
  array[1], 'customer A updates their own name');
select throws_ok(
  $$update public.profiles set role = 'admin' where id = '11111111-1111-4111-8111-111111111111'$$,
  '42501', null, 'customer A cannot make themselves admin');
select throws_ok(
  $$update public.profiles set role = 'agent' where id = '11111111-1111-4111-8111-111111111111'$$,
  '42501', null, 'customer A cannot make themselves agent');
select throws_ok(
  $$update public.profiles set organization_id = '0b000000-0000-4000-8000-00000000000b' where id = '11111111-1111-4111-8111-111111111111'$$,
  '42501', null, 'customer A cannot move themselves to another organization');
select results_eq(
  $$with u as (update public.profiles set full_name = 'hacked' where id = '22222222-2222-4222-8222-222222222222' returning 1) select count(*)::int from u$$,
  array[0], 'customer A cannot write customer B''s profile');
select results_eq(
  $$with d as (delete from public.profiles where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*)::int from d$$,
  array[0], 'customer A cannot delete their own profile');
select throws_ok(
  $$insert into public.profiles (id, role) values ('88888888-8888-4888-8888-888888888888', 'customer')$$,
  '42501', null, 'customer A cannot create a profile for someone else');
select results_eq($$select id from public.organizations$$,
  array['0a000000-0000-4000-8000-00000000000a'::uuid], 'customer A sees only their own organization');
select results_eq(
  $$with u as (update public.organizations set name = 'pwned' returning 1) select count(*)::int from u$$,
  array[0], 'customer A cannot rename the organization');
select throws_ok($$insert into public.organizations (name) values ('Mine')$$, '42501', null,
  'customer A cannot create an organization');

-- as newbie (signed up, no profile yet)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"88888888-8888-4888-8888-888888888888","role":"authenticated"}';
select throws_ok(
  $$insert into public.profiles (id, role) values ('88888888-8888-4888-8888-888888888888', 'admin')$$,
  '42501', null, 'a new user cannot create their profile as admin');
select lives_ok(
  $$insert into public.profiles (id, role, full_name) values ('88888888-8888-4888-8888-888888888888', 'customer', 'Newbie')$$,
  'a new user creates their own customer profile');
select results_eq($$select full_name from public.profiles$$, array['Newbie'], 'the new user sees that profile');

-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select count(*)::int from public.profiles$$, array[6],
  'agent X sees the six profiles of organization A');
select results_eq($$select count(*)::int from public.profiles where organization_id <> '0a000000-0000-4000-8000-00000000000a'$$,
  array[0], 'agent X sees no profile of organization B');
select results_eq(
  $$with u as (update public.profiles set full_name = 'x' where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*)::int from u$$,
  array[0], 'agent X cannot write a customer''s profile');
select throws_ok(
  $$update public.profiles set role = 'admin' where id = '33333333-3333-4333-8333-333333333333'$$,
  '42501', null, 'agent X cannot promote themselves');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq(
  $$with u as (update public.profiles set role = 'agent' where id = '22222222-2222-4222-8222-222222222222' returning 1) select count(*)::int from u$$,
  array[1], 'admin A changes the role of a user of organization A');
select throws_ok(
  $$update public.profiles set organization_id = '0b000000-0000-4000-8000-00000000000b' where id = '11111111-1111-4111-8111-111111111111'$$,
  '42501', null, 'admin A cannot move a user into another organization');
select results_eq(
  $$with u as (update public.profiles set full_name = 'x' where id = '66666666-6666-4666-8666-666666666666' returning 1) select count(*)::int from u$$,
  array[0], 'admin A cannot write a profile of organization B');
select results_eq(
  $$with d as (delete from public.profiles where id = '99999999-9999-4999-8999-999999999999' returning 1) select count(*)::int from d$$,
  array[1], 'admin A deletes a profile of organization A');
select results_eq(
  $$with u as (update public.organizations set name = 'Acme Inc' returning id) select id from u$$,
  array['0a000000-0000-4000-8000-00000000000a'::uuid], 'admin A renames their own organization only');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq($$select id from public.profiles order by full_name$$,
  array['66666666-6666-4666-8666-666666666666'::uuid, '77777777-7777-4777-8777-777777777777'::uuid],
  'admin B sees only the profiles of organization B');
select results_eq(
  $$with d as (delete from public.profiles where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*)::int from d$$,
  array[0], 'admin B cannot delete a profile of organization A');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.profiles$$, '42501', null, 'anon cannot read profiles');
select throws_ok($$select * from public.organizations$$, '42501', null, 'anon cannot read organizations');
select throws_ok($$insert into public.profiles (id) values ('88888888-8888-4888-8888-888888888888')$$, '42501', null,
  'anon cannot create profiles');

-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select results_eq($$select count(*)::int from public.profiles$$, array[8], 'service_role sees every profile (bypasses RLS)');

reset role;
select * from finish();
rollback;
