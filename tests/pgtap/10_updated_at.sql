-- handle_updated_at (moddatetime) on every table with updated_at. now() is fixed inside a
-- transaction, so each row is first given an old updated_at, then updated.
begin;
set search_path = public, tap, extensions;
select plan(9);

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

insert into public.kb_categories (id, name) values ('f0000000-0000-4000-8000-000000000001', 'Accounts');
insert into public.kb_articles (id, title, content) values ('a0000000-0000-4000-8000-000000000001', 'A', 'B');
insert into public.response_templates (id, title, content, team_id) values ('b0000000-0000-4000-8000-000000000001', 'T', 'C', '0e000000-0000-4000-8000-0000000000e1');

-- moddatetime overwrites any value given in an update, so triggers are off while the old date is set.
set local session_replication_role = replica;
update public.organizations set updated_at = '2000-01-01' where id = '0a000000-0000-4000-8000-00000000000a';
update public.profiles set updated_at = '2000-01-01' where id = '11111111-1111-4111-8111-111111111111';
update public.teams set updated_at = '2000-01-01' where id = '0e000000-0000-4000-8000-0000000000e1';
update public.tickets set updated_at = '2000-01-01' where id = 'c0000000-0000-4000-8000-000000000001';
update public.messages set updated_at = '2000-01-01' where id = 'd0000000-0000-4000-8000-000000000001';
update public.kb_categories set updated_at = '2000-01-01' where id = 'f0000000-0000-4000-8000-000000000001';
update public.kb_articles set updated_at = '2000-01-01' where id = 'a0000000-0000-4000-8000-000000000001';
update public.response_templates set updated_at = '2000-01-01' where id = 'b0000000-0000-4000-8000-000000000001';
set local session_replication_role = origin;

select is((select updated_at from public.tickets where id = 'c0000000-0000-4000-8000-000000000001'), '2000-01-01'::timestamptz,
  'the old updated_at was set');
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
update public.organizations set name = 'Acme Inc' where id = '0a000000-0000-4000-8000-00000000000a';
update public.profiles set full_name = 'A.' where id = '11111111-1111-4111-8111-111111111111';
update public.teams set description = 'fire brigade' where id = '0e000000-0000-4000-8000-0000000000e1';
update public.tickets set priority = 'high' where id = 'c0000000-0000-4000-8000-000000000001';
update public.messages set content = 'edited' where id = 'd0000000-0000-4000-8000-000000000001';
update public.kb_categories set description = 'accounts' where id = 'f0000000-0000-4000-8000-000000000001';
update public.kb_articles set content = 'C' where id = 'a0000000-0000-4000-8000-000000000001';
update public.response_templates set content = 'D' where id = 'b0000000-0000-4000-8000-000000000001';
-- as superuser
reset role;
set local request.jwt.claims = '';
select ok((select updated_at > '2000-01-02' from public.organizations where id = '0a000000-0000-4000-8000-00000000000a'), 'organizations.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.profiles where id = '11111111-1111-4111-8111-111111111111'), 'profiles.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.teams where id = '0e000000-0000-4000-8000-0000000000e1'), 'teams.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.tickets where id = 'c0000000-0000-4000-8000-000000000001'), 'tickets.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.messages where id = 'd0000000-0000-4000-8000-000000000001'), 'messages.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.kb_categories where id = 'f0000000-0000-4000-8000-000000000001'), 'kb_categories.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.kb_articles where id = 'a0000000-0000-4000-8000-000000000001'), 'kb_articles.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.response_templates where id = 'b0000000-0000-4000-8000-000000000001'), 'response_templates.updated_at moves on update');

reset role;
select * from finish();
rollback;
