-- Row level security of the knowledge base and of response templates, and full-text search.
begin;
set search_path = public, tap, extensions;
select plan(35);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

insert into public.kb_categories (id, name, organization_id) values ('f0000000-0000-4000-8000-000000000001', 'Accounts', '0a000000-0000-4000-8000-00000000000a');
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
  $$insert into public.kb_articles (title, content, author_id) values ('Printer fires', 'Unplug it.', '33333333-3333-4333-8333-333333333333')$$,
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
  $$with d as (delete from public.kb_articles where title = 'Printer fires' returning 1) select count(*)::int from d$$,
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
