-- Row level security of messages: visible exactly when the ticket is; authors post as themselves.
begin;
set search_path = public, tap, extensions;
select plan(26);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select id from public.messages order by id$$,
  array['d0000000-0000-4000-8000-000000000001'::uuid, 'd0000000-0000-4000-8000-000000000003'::uuid],
  'customer A sees the messages of their tickets only');
select lives_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'any news?')$$,
  'customer A replies on their ticket');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'customer', 'hello B')$$,
  '42501', null, 'customer A cannot post on customer B''s ticket');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'agent', 'I am staff')$$,
  '42501', null, 'customer A cannot post an agent message');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'system', 'ticket closed')$$,
  '42501', null, 'customer A cannot post a system message');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'customer', 'I am B')$$,
  '42501', null, 'customer A cannot post in customer B''s name');
select results_eq(
  $$with u as (update public.messages set content = 'M1 it is still burning!' where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[1], 'customer A edits their own message');
select results_eq(
  $$with u as (update public.messages set content = 'we fixed it' where id = 'd0000000-0000-4000-8000-000000000003' returning 1) select count(*)::int from u$$,
  array[0], 'customer A cannot edit the agent''s message on their ticket');
select throws_ok(
  $$update public.messages set message_type = 'agent' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot turn their message into an agent message');
select results_eq(
  $$with d as (delete from public.messages where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'customer A cannot delete messages');

-- as customer b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}';
select results_eq($$select id from public.messages$$, array['d0000000-0000-4000-8000-000000000002'::uuid],
  'customer B sees only the messages of T2');

-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select content from public.messages order by content collate "C"$$,
  array['M1 it is still burning!', 'M3 we are looking into it', 'any news?'],
  'agent X sees the messages of the tickets they can see (team and assigned, defect 13)');
select lives_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', 'agent', 'extinguisher on its way')$$,
  'agent X replies on a team X ticket');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', 'customer', 'pretending')$$,
  '42501', null, 'agent X cannot post a customer message');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000002', '33333333-3333-4333-8333-333333333333', 'agent', 'not my ticket')$$,
  '42501', null, 'agent X cannot post on a team Y ticket');

-- as agent y
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq($$select id from public.messages$$, array['d0000000-0000-4000-8000-000000000002'::uuid],
  'agent Y (outside team X) sees only team Y messages');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '44444444-4444-4444-8444-444444444444', 'agent', 'hi')$$,
  '42501', null, 'agent Y cannot post on a team X ticket');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq($$select count(*)::int from public.messages$$, array[5], 'admin A sees every message of organization A');
select results_eq(
  $$with u as (update public.messages set content = '[removed]' where id = 'd0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[1], 'admin A moderates a message of organization A');
select results_eq(
  $$with d as (delete from public.messages where id = 'd0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from d$$,
  array[1], 'admin A deletes a message of organization A');
select results_eq($$select count(*)::int from public.messages where id = 'd0000000-0000-4000-8000-000000000004'$$, array[0],
  'admin A cannot see organization B''s messages');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq($$select id from public.messages$$, array['d0000000-0000-4000-8000-000000000004'::uuid],
  'admin B sees only organization B''s messages');
select results_eq(
  $$with d as (delete from public.messages where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'admin B cannot delete an organization A message');

-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select lives_ok(
  $$insert into public.messages (ticket_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', 'system', 'SLA reminder')$$,
  'service_role posts a system message');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.messages$$, '42501', null, 'anon cannot read messages');
select throws_ok(
  $$insert into public.messages (ticket_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', 'customer', 'spam')$$,
  '42501', null, 'anon cannot post messages');

reset role;
select * from finish();
rollback;
