-- Row level security of profiles and organizations, acted out by each kind of user.
begin;
set search_path = public, tap, extensions;
select plan(29);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

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
select results_eq($$select count(*)::int from public.profiles where organization_id is null or organization_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')$$,
  array[8], 'service_role sees every profile of both organizations (bypasses RLS)');

reset role;
select * from finish();
rollback;
