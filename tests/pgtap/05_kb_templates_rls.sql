-- Row level security of the knowledge base and of response templates, and full-text search.
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

insert into public.kb_categories (id, name) values ('f0000000-0000-4000-8000-000000000001', 'Accounts');
insert into public.kb_articles (id, title, content, category_id, author_id, published_at) values
  ('a0000000-0000-4000-8000-000000000001', 'How to reset your password', 'Open the settings page and choose reset password.',
   'f0000000-0000-4000-8000-000000000001', '55555555-5555-4555-8555-555555555555', now() - interval '1 day'),
  ('a0000000-0000-4000-8000-000000000002', 'Password rotation (draft)', 'Internal notes about password rotation.',
   'f0000000-0000-4000-8000-000000000001', '44444444-4444-4444-8444-444444444444', null),
  ('a0000000-0000-4000-8000-000000000003', 'Password manager launch', 'Scheduled announcement about passwords.',
   'f0000000-0000-4000-8000-000000000001', '55555555-5555-4555-8555-555555555555', now() + interval '1 day');
insert into public.response_templates (id, title, content, team_id, author_id) values
  ('b0000000-0000-4000-8000-000000000001', 'TX greeting', 'Hello from team X', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333'),
  ('b0000000-0000-4000-8000-000000000002', 'TY greeting', 'Hello from team Y', '0e000000-0000-4000-8000-0000000000e2', '44444444-4444-4444-8444-444444444444'),
  ('b0000000-0000-4000-8000-000000000003', 'PX sign-off', 'Cheers, X', null, '33333333-3333-4333-8333-333333333333'),
  ('b0000000-0000-4000-8000-000000000004', 'PY sign-off', 'Regards, Y', null, '44444444-4444-4444-8444-444444444444'),
  ('b0000000-0000-4000-8000-000000000005', 'TZ greeting', 'Hello from Globex', '0e000000-0000-4000-8000-0000000000e3', '66666666-6666-4666-8666-666666666666');

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select count(*)::int from public.kb_categories$$, array[1], 'customer A browses the categories');
select results_eq($$select id from public.kb_articles$$, array['a0000000-0000-4000-8000-000000000001'::uuid],
  'customer A sees only the published article (no draft, no scheduled one)');
select results_eq($$select id from public.search_kb_articles('password')$$, array['a0000000-0000-4000-8000-000000000001'::uuid],
  'customer A''s search finds only published articles');
select throws_ok(
  $$insert into public.kb_articles (title, content, author_id) values ('my tip', 'x', '11111111-1111-4111-8111-111111111111')$$,
  '42501', null, 'customer A cannot write an article');
select throws_ok($$insert into public.kb_categories (name) values ('Mine')$$, '42501', null, 'customer A cannot create a category');
select results_eq(
  $$with u as (update public.kb_articles set title = 'defaced' returning 1) select count(*)::int from u$$,
  array[0], 'customer A cannot update articles');
select results_eq(
  $$with d as (delete from public.kb_categories returning 1) select count(*)::int from d$$,
  array[0], 'customer A cannot delete categories');
select results_eq($$select count(*)::int from public.response_templates$$, array[0], 'customer A sees no template');
select throws_ok(
  $$insert into public.response_templates (title, content, author_id) values ('t', 'c', '11111111-1111-4111-8111-111111111111')$$,
  '42501', null, 'customer A cannot create a template');

-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select results_eq($$select count(*)::int from public.kb_articles$$, array[3], 'agent X sees drafts and scheduled articles too');
select results_eq($$select id from public.search_kb_articles('password rotation')$$,
  array['a0000000-0000-4000-8000-000000000002'::uuid], 'agent X''s search finds the draft, best match first');
select lives_ok(
  $$insert into public.kb_articles (id, title, content, author_id) values ('a0000000-0000-4000-8000-0000000000a1', 'Printer fires', 'Unplug it.', '33333333-3333-4333-8333-333333333333')$$,
  'agent X writes an article as themselves');
select throws_ok(
  $$insert into public.kb_articles (title, content, author_id) values ('ghost', 'x', '55555555-5555-4555-8555-555555555555')$$,
  '42501', null, 'agent X cannot write an article in admin A''s name');
select results_eq(
  $$with u as (update public.kb_articles set published_at = now() where id = 'a0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[1], 'agent X publishes a draft');
select lives_ok($$insert into public.kb_categories (name) values ('Hardware')$$, 'agent X creates a category');
select results_eq(
  $$with d as (delete from public.kb_articles where id = 'a0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from d$$,
  array[0], 'agent X cannot delete another author''s article');
select results_eq(
  $$with d as (delete from public.kb_articles where id = 'a0000000-0000-4000-8000-0000000000a1' returning 1) select count(*)::int from d$$,
  array[1], 'agent X deletes their own article');
select results_eq(
  $$with d as (delete from public.kb_categories returning 1) select count(*)::int from d$$,
  array[0], 'agent X cannot delete categories');
select results_eq($$select id from public.response_templates order by id$$,
  array['b0000000-0000-4000-8000-000000000001'::uuid, 'b0000000-0000-4000-8000-000000000003'::uuid],
  'agent X sees team X templates and their personal one');
select lives_ok(
  $$insert into public.response_templates (title, content, team_id, author_id) values ('TX bye', 'Bye', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333')$$,
  'agent X creates a team X template');
select throws_ok(
  $$insert into public.response_templates (title, content, team_id, author_id) values ('TY spoof', 'x', '0e000000-0000-4000-8000-0000000000e2', '33333333-3333-4333-8333-333333333333')$$,
  '42501', null, 'agent X cannot create a template for team Y');
select results_eq(
  $$with u as (update public.response_templates set content = 'Hi from X' where id = 'b0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[1], 'agent X edits a team X template');
select results_eq(
  $$with u as (update public.response_templates set content = 'x' where id = 'b0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[0], 'agent X cannot edit a team Y template');
select throws_ok(
  $$update public.response_templates set team_id = '0e000000-0000-4000-8000-0000000000e2' where id = 'b0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'agent X cannot move a template to team Y');

-- as agent y
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq($$select id from public.response_templates order by id$$,
  array['b0000000-0000-4000-8000-000000000002'::uuid, 'b0000000-0000-4000-8000-000000000004'::uuid],
  'agent Y sees team Y templates and their personal one');
select results_eq(
  $$with d as (delete from public.response_templates where id = 'b0000000-0000-4000-8000-000000000003' returning 1) select count(*)::int from d$$,
  array[0], 'agent Y cannot delete agent X''s personal template');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq($$select count(*)::int from public.response_templates$$, array[3],
  'admin A sees the team templates of organization A, not the agents'' personal ones');
select results_eq(
  $$with u as (update public.response_templates set content = 'Hello from team Y!' where id = 'b0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from u$$,
  array[1], 'admin A edits any team template of organization A');
select results_eq(
  $$with d as (delete from public.kb_articles where id = 'a0000000-0000-4000-8000-000000000002' returning 1) select count(*)::int from d$$,
  array[1], 'admin A deletes any article');
select results_eq(
  $$with u as (update public.response_templates set content = 'x' where id = 'b0000000-0000-4000-8000-000000000005' returning 1) select count(*)::int from u$$,
  array[0], 'admin A cannot edit organization B''s templates');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq($$select id from public.response_templates$$, array['b0000000-0000-4000-8000-000000000005'::uuid],
  'admin B sees only organization B''s team templates');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select * from public.kb_articles$$, '42501', null, 'anon cannot read articles');
select throws_ok($$select * from public.kb_categories$$, '42501', null, 'anon cannot read categories');
select throws_ok($$select * from public.response_templates$$, '42501', null, 'anon cannot read templates');
select throws_ok($$select * from public.search_kb_articles('password')$$, '42501', null, 'anon cannot search');

reset role;
select * from finish();
rollback;
