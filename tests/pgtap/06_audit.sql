-- The audit trigger on every audited table (insert, update, delete; action, record id/key,
-- old/new data, actor, organization) and who can read or write audit_logs.
begin;
set search_path = public, tap, extensions;
select plan(23);

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

insert into auth.users (id, email) values ('88888888-8888-4888-8888-888888888888', 'newbie@acme.test');

-- organizations: provisioning by service_role (no actor)
-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
insert into public.organizations (id, name) values ('0c000000-0000-4000-8000-00000000000c', 'Initech');
update public.organizations set domain = 'initech.test' where id = '0c000000-0000-4000-8000-00000000000c';
delete from public.organizations where id = '0c000000-0000-4000-8000-00000000000c';

-- profiles: created by the user, changed and removed by admin A
-- as newbie
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"88888888-8888-4888-8888-888888888888","role":"authenticated"}';
insert into public.profiles (id, full_name, organization_id) values
  ('88888888-8888-4888-8888-888888888888', 'Newbie', '0a000000-0000-4000-8000-00000000000a');
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
update public.profiles set role = 'agent' where id = '88888888-8888-4888-8888-888888888888';
delete from public.profiles where id = '88888888-8888-4888-8888-888888888888';

-- teams and team_members (composite key, defect 8) by admin A
insert into public.teams (id, organization_id, name) values
  ('0e000000-0000-4000-8000-0000000000e9', '0a000000-0000-4000-8000-00000000000a', 'Team Q');
update public.teams set name = 'Team Q2' where id = '0e000000-0000-4000-8000-0000000000e9';
delete from public.teams where id = '0e000000-0000-4000-8000-0000000000e9';
insert into public.team_members (team_id, user_id) values
  ('0e000000-0000-4000-8000-0000000000e1', '44444444-4444-4444-8444-444444444444');
update public.team_members set role = 'lead'
 where team_id = '0e000000-0000-4000-8000-0000000000e1' and user_id = '44444444-4444-4444-8444-444444444444';
delete from public.team_members
 where team_id = '0e000000-0000-4000-8000-0000000000e1' and user_id = '44444444-4444-4444-8444-444444444444';
update public.organizations set name = 'Acme Inc' where id = '0a000000-0000-4000-8000-00000000000a';

-- tickets and messages: customer A writes, admin A deletes
-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
insert into public.tickets (id, title, customer_id) values
  ('c0000000-0000-4000-8000-0000000000a1', 'audited', '11111111-1111-4111-8111-111111111111');
update public.tickets set title = 'audited twice' where id = 'c0000000-0000-4000-8000-0000000000a1';
insert into public.messages (id, ticket_id, sender_id, message_type, content) values
  ('d0000000-0000-4000-8000-0000000000a1', 'c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'first');
update public.messages set content = 'second' where id = 'd0000000-0000-4000-8000-0000000000a1';
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
delete from public.messages where id = 'd0000000-0000-4000-8000-0000000000a1';
delete from public.tickets where id = 'c0000000-0000-4000-8000-0000000000a1';

-- knowledge base and templates: agent X writes; admin A deletes the category
-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
insert into public.kb_categories (id, name) values ('f0000000-0000-4000-8000-0000000000a1', 'Audited');
update public.kb_categories set description = 'changed' where id = 'f0000000-0000-4000-8000-0000000000a1';
insert into public.kb_articles (id, title, content, author_id) values
  ('a0000000-0000-4000-8000-0000000000a1', 'Audited article', 'body', '33333333-3333-4333-8333-333333333333');
update public.kb_articles set content = 'new body' where id = 'a0000000-0000-4000-8000-0000000000a1';
delete from public.kb_articles where id = 'a0000000-0000-4000-8000-0000000000a1';
insert into public.response_templates (id, title, content, team_id, author_id) values
  ('b0000000-0000-4000-8000-0000000000a1', 'Audited template', 'hi', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333');
update public.response_templates set content = 'hello' where id = 'b0000000-0000-4000-8000-0000000000a1';
delete from public.response_templates where id = 'b0000000-0000-4000-8000-0000000000a1';
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
delete from public.kb_categories where id = 'f0000000-0000-4000-8000-0000000000a1';
-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
update public.organizations set name = 'Globex Corp' where id = '0b000000-0000-4000-8000-00000000000b';

-- as superuser (reads everything)
reset role;
set local request.jwt.claims = '';
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'organizations' and record_id = '0c000000-0000-4000-8000-00000000000c' order by audit_logs.action$$,
  $$values ('create', false, true, null::uuid), ('update', true, true, null), ('delete', true, false, null)$$,
  'organizations: create/update/delete audited, no actor for service_role');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'profiles' and record_id = '88888888-8888-4888-8888-888888888888' order by audit_logs.action$$,
  $$values ('create', false, true, '88888888-8888-4888-8888-888888888888'::uuid),
           ('update', true, true, '55555555-5555-4555-8555-555555555555'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'profiles: audited with the acting user');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'teams' and record_id = '0e000000-0000-4000-8000-0000000000e9' order by audit_logs.action$$,
  $$values ('create', false, true, '55555555-5555-4555-8555-555555555555'::uuid),
           ('update', true, true, '55555555-5555-4555-8555-555555555555'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'teams: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id, record_key from public.audit_logs
     where table_name = 'team_members'
       and record_id = md5('team_members:' || jsonb_build_object('team_id', '0e000000-0000-4000-8000-0000000000e1', 'user_id', '44444444-4444-4444-8444-444444444444')::text)::uuid
     order by audit_logs.action$$,
  $$values ('create', false, true, '55555555-5555-4555-8555-555555555555'::uuid, '{"team_id": "0e000000-0000-4000-8000-0000000000e1", "user_id": "44444444-4444-4444-8444-444444444444"}'::jsonb),
           ('update', true, true, '55555555-5555-4555-8555-555555555555'::uuid, '{"team_id": "0e000000-0000-4000-8000-0000000000e1", "user_id": "44444444-4444-4444-8444-444444444444"}'::jsonb),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid, '{"team_id": "0e000000-0000-4000-8000-0000000000e1", "user_id": "44444444-4444-4444-8444-444444444444"}'::jsonb)$$,
  'team_members (composite key): audited with record_key and a derived record_id (defect 8)');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'tickets' and record_id = 'c0000000-0000-4000-8000-0000000000a1' order by audit_logs.action$$,
  $$values ('create', false, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('update', true, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'tickets: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'messages' and record_id = 'd0000000-0000-4000-8000-0000000000a1' order by audit_logs.action$$,
  $$values ('create', false, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('update', true, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'messages: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'kb_categories' and record_id = 'f0000000-0000-4000-8000-0000000000a1' order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'kb_categories: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'kb_articles' and record_id = 'a0000000-0000-4000-8000-0000000000a1' order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '33333333-3333-4333-8333-333333333333'::uuid)$$,
  'kb_articles: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'response_templates' and record_id = 'b0000000-0000-4000-8000-0000000000a1' order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '33333333-3333-4333-8333-333333333333'::uuid)$$,
  'response_templates: audited');
select results_eq(
  $$select old_data ->> 'name', new_data ->> 'name' from public.audit_logs
     where table_name = 'teams' and record_id = '0e000000-0000-4000-8000-0000000000e9' and action = 'update'$$,
  $$values ('Team Q'::text, 'Team Q2'::text)$$,
  'an update carries the old and the new row');
select is(
  (select old_data ->> 'content' from public.audit_logs
    where table_name = 'messages' and record_id = 'd0000000-0000-4000-8000-0000000000a1' and action = 'delete'),
  'second', 'a delete carries the deleted row');
select ok(
  (select bool_and(not (coalesce(old_data, '{}') ? 'search_vector') and not (coalesce(new_data, '{}') ? 'search_vector')
                   and not (coalesce(old_data, '{}') ? 'embedding') and not (coalesce(new_data, '{}') ? 'embedding'))
     from public.audit_logs where table_name = 'kb_articles'),
  'derived kb_articles columns (search_vector, embedding) stay out of the history');
select is(
  (select count(*)::int from public.audit_logs
    where table_name in ('teams', 'team_members', 'tickets', 'messages')
      and organization_id is distinct from '0a000000-0000-4000-8000-00000000000a'
      and actor_id = '55555555-5555-4555-8555-555555555555'),
  0, 'audit rows carry the organization of the audited row (defect 14)');

-- Who reads the audit log.
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq(
  $$select count(*) > 20, count(*) filter (where organization_id is distinct from '0a000000-0000-4000-8000-00000000000a')::int from public.audit_logs$$,
  $$values (true, 0)$$, 'admin A reads the audit log of organization A only');
-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq(
  $$select count(*) > 0, count(*) filter (where organization_id is distinct from '0b000000-0000-4000-8000-00000000000b')::int from public.audit_logs$$,
  $$values (true, 0)$$, 'admin B reads the audit log of organization B only');
-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select count(*)::int from public.audit_logs$$, array[0], 'agent X reads no audit log');
-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select count(*)::int from public.audit_logs$$, array[0], 'customer A reads no audit log');

-- Nobody but the trigger writes it.
select throws_ok(
  $$insert into public.audit_logs (table_name, record_id, record_key, action, actor_id) values ('tickets', gen_random_uuid(), '{}', 'delete', '22222222-2222-4222-8222-222222222222')$$,
  '42501', null, 'customer A cannot forge an audit row');
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select throws_ok(
  $$insert into public.audit_logs (table_name, record_id, record_key, action) values ('tickets', gen_random_uuid(), '{}', 'create')$$,
  '42501', null, 'admin A cannot forge an audit row');
select throws_ok($$update public.audit_logs set actor_id = null$$, '42501', null, 'admin A cannot rewrite audit rows');
select throws_ok($$delete from public.audit_logs$$, '42501', null, 'admin A cannot delete audit rows');
-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select throws_ok(
  $$insert into public.audit_logs (table_name, record_id, record_key, action) values ('tickets', gen_random_uuid(), '{}', 'create')$$,
  '42501', null, 'service_role cannot forge an audit row either');
-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.audit_logs$$, '42501', null, 'anon cannot read the audit log');

reset role;
select * from finish();
rollback;
