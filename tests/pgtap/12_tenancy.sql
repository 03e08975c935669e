-- Tenancy (migration 20260101001700, docs/access-matrix.md "Tenancy"): every role of one
-- organization is sealed off from the other's knowledge base, templates and analytics, and a row
-- can only reference rows of its own organization. Each refused attempt is followed by a check
-- that the row is unchanged. tests/pgtap/run applies the migrations with Supabase's default
-- privileges in force.
begin;
set search_path = public, tap, extensions;
select plan(42);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- Organization B gets an agent of its own (agent Z, team Z) next to admin B and customer C.
insert into auth.users (id, email) values ('99999999-9999-4999-8999-999999999999', 'agent.z@globex.test');
insert into public.profiles (id, role, full_name, organization_id) values
  ('99999999-9999-4999-8999-999999999999', 'agent', 'Agent Z', '0b000000-0000-4000-8000-00000000000b');
insert into public.team_members (team_id, user_id) values
  ('0e000000-0000-4000-8000-0000000000e3', '99999999-9999-4999-8999-999999999999');

-- Each organization's knowledge base (written as the superuser; organization_id is derived from
-- the category or the author when left out).
insert into public.kb_categories (id, name, organization_id) values
  ('f0000000-0000-4000-8000-0000000000a0', 'Acme products', '0a000000-0000-4000-8000-00000000000a'),
  ('f0000000-0000-4000-8000-0000000000b0', 'Globex products', '0b000000-0000-4000-8000-00000000000b');
insert into public.kb_articles (id, title, content, category_id, author_id, published_at) values
  ('a0000000-0000-4000-8000-0000000000a0', 'Acme anvil manual', 'tenancyword anvil', 'f0000000-0000-4000-8000-0000000000a0', '55555555-5555-4555-8555-555555555555', now() - interval '1 day'),
  ('a0000000-0000-4000-8000-0000000000b0', 'Globex launch manual', 'tenancyword launch', 'f0000000-0000-4000-8000-0000000000b0', '66666666-6666-4666-8666-666666666666', now() - interval '1 day'),
  ('a0000000-0000-4000-8000-0000000000b1', 'Globex secret draft', 'tenancyword draft', null, '66666666-6666-4666-8666-666666666666', null);
insert into public.response_templates (id, title, content, team_id, author_id) values
  ('b0000000-0000-4000-8000-0000000000a0', 'Acme hello', 'Hello from Acme', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333'),
  ('b0000000-0000-4000-8000-0000000000b0', 'Globex hello', 'Hello from Globex', '0e000000-0000-4000-8000-0000000000e3', '66666666-6666-4666-8666-666666666666');

select results_eq(
  $$select organization_id from public.kb_articles where id = 'a0000000-0000-4000-8000-0000000000b1'$$,
  array['0b000000-0000-4000-8000-00000000000b'::uuid],
  'a privileged writer leaving organization_id out gets the author''s organization');
select results_eq(
  $$select organization_id from public.response_templates where id = 'b0000000-0000-4000-8000-0000000000b0'$$,
  array['0b000000-0000-4000-8000-00000000000b'::uuid],
  'a template without organization_id gets its team''s organization');

-- Historical tickets of 2026-02-01 in both organizations, for the analytics.
insert into public.tickets (title, customer_id, assigned_team_id, assigned_agent_id, status, created_at, resolved_at) values
  ('acme hist', '11111111-1111-4111-8111-111111111111', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333', 'resolved', '2026-02-01 08:00+00', '2026-02-01 09:00+00'),
  ('globex hist 1', '77777777-7777-4777-8777-777777777777', '0e000000-0000-4000-8000-0000000000e3', '99999999-9999-4999-8999-999999999999', 'resolved', '2026-02-01 08:00+00', '2026-02-01 18:00+00'),
  ('globex hist 2', '77777777-7777-4777-8777-777777777777', '0e000000-0000-4000-8000-0000000000e3', '99999999-9999-4999-8999-999999999999', 'open', '2026-02-01 10:00+00', null);
refresh materialized view analytics.ticket_metrics;
refresh materialized view analytics.agent_performance;

-- as customer c (organization B)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"77777777-7777-4777-8777-777777777777","role":"authenticated"}';
select results_eq($$select title from public.kb_articles order by title$$, array['Globex launch manual'],
  'customer C reads only organization B''s published articles');
select results_eq($$select name from public.kb_categories order by name$$, array['Globex products'],
  'customer C browses only organization B''s categories');
select results_eq($$select title from public.search_kb_articles('tenancyword')$$, array['Globex launch manual'],
  'customer C''s search finds only organization B''s published articles');

-- as customer a (organization A)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select title from public.search_kb_articles('tenancyword')$$, array['Acme anvil manual'],
  'customer A''s search finds only organization A''s published article');
select is_empty($$select 1 from public.kb_articles where organization_id = '0b000000-0000-4000-8000-00000000000b'$$,
  'customer A reads nothing of organization B''s knowledge base, even asking for it by organization');

-- as agent z (organization B)
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"99999999-9999-4999-8999-999999999999","role":"authenticated"}';
select results_eq($$select title from public.kb_articles order by title$$,
  array['Globex launch manual', 'Globex secret draft'], 'agent Z reads organization B''s articles, drafts included, and none of A''s');
select results_eq($$select title from public.response_templates order by title$$, array['Globex hello'],
  'agent Z reads organization B''s team templates only');
select results_eq(
  $$with u as (update public.kb_articles set title = 'defaced' where id = 'a0000000-0000-4000-8000-0000000000a0' returning 1) select count(*)::int from u$$,
  array[0], 'agent Z cannot update organization A''s article');
select lives_ok(
  $$insert into public.kb_articles (title, content, author_id) values ('Globex tip', 'x', '99999999-9999-4999-8999-999999999999')$$,
  'agent Z writes an article without naming an organization');
select throws_ok(
  $$insert into public.kb_articles (title, content, author_id, category_id) values ('planted', 'x', '99999999-9999-4999-8999-999999999999', 'f0000000-0000-4000-8000-0000000000a0')$$,
  '23503', null, 'agent Z cannot file an article under organization A''s category (the key includes the organization)');
select throws_ok(
  $$insert into public.response_templates (title, content, team_id, author_id) values ('planted', 'x', '0e000000-0000-4000-8000-0000000000e1', '99999999-9999-4999-8999-999999999999')$$,
  '42501', null, 'agent Z cannot create a template for organization A''s team');
select results_eq(
  $$select title, organization_id from public.kb_articles where title = 'Globex tip'$$,
  $$values ('Globex tip', '0b000000-0000-4000-8000-00000000000b'::uuid)$$,
  'the new article belongs to agent Z''s organization, and no planted row exists');
select is_empty($$select 1 from public.kb_articles where title = 'planted'$$, 'no planted article');
select results_eq(
  $$select day, total_tickets, resolved_tickets, avg_resolution_time, organization_id from public.get_ticket_metrics('2026-02-01', '2026-02-02')$$,
  $$values ('2026-02-01 00:00+00'::timestamptz, 2::bigint, 1::bigint, 36000::numeric, '0b000000-0000-4000-8000-00000000000b'::uuid)$$,
  'agent Z reads organization B''s daily totals only');
select throws_ok(
  $$select * from public.get_ticket_metrics('2026-02-01', '2026-02-02', '0a000000-0000-4000-8000-00000000000a')$$,
  '42501', null, 'agent Z cannot ask for organization A''s daily totals');
select results_eq(
  $$select assigned_agent_id, total_tickets from public.get_agent_performance('2026-02-01', '2026-02-02')$$,
  $$values ('99999999-9999-4999-8999-999999999999'::uuid, 2::bigint)$$,
  'agent Z reads organization B''s agent figures only');
select throws_ok(
  $$select * from public.get_agent_performance(null, null, '0a000000-0000-4000-8000-00000000000a')$$,
  '42501', null, 'agent Z cannot ask for organization A''s agent figures');

-- as admin b
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}';
select results_eq(
  $$with d as (delete from public.kb_articles where id = 'a0000000-0000-4000-8000-0000000000a0' returning 1) select count(*)::int from d$$,
  array[0], 'admin B cannot delete organization A''s article');
select results_eq(
  $$with d as (delete from public.kb_categories where id = 'f0000000-0000-4000-8000-0000000000a0' returning 1) select count(*)::int from d$$,
  array[0], 'admin B cannot delete organization A''s category');
select results_eq(
  $$with u as (update public.response_templates set content = 'defaced' where id = 'b0000000-0000-4000-8000-0000000000a0' returning 1) select count(*)::int from u$$,
  array[0], 'admin B cannot update organization A''s template');
select throws_ok(
  $$update public.kb_articles set organization_id = '0a000000-0000-4000-8000-00000000000a' where id = 'a0000000-0000-4000-8000-0000000000b0'$$,
  '42501', null, 'admin B cannot move an article to organization A');
select results_eq($$select distinct organization_id from public.get_ticket_metrics()$$,
  array['0b000000-0000-4000-8000-00000000000b'::uuid], 'every day of admin B''s ticket metrics is organization B''s');

-- The views the analytics functions read since migration 20260101002300, read directly.
select results_eq($$select distinct organization_id from private.visible_ticket_metrics$$,
  array['0b000000-0000-4000-8000-00000000000b'::uuid], 'admin B reading the ticket metrics view directly sees organization B only');
select results_eq($$select distinct organization_id from private.visible_agent_performance$$,
  array['0b000000-0000-4000-8000-00000000000b'::uuid], 'admin B reading the agent performance view directly sees organization B only');
select throws_ok($$select 1 from analytics.ticket_metrics$$, '42501', null,
  'admin B cannot read the materialized view itself');
set local request.jwt.claims = '{"sub":"77777777-7777-4777-8777-777777777777","role":"authenticated"}';
select throws_ok($$select * from private.visible_ticket_metrics$$, '42501',
  'analytics are available to agents and admins only', 'customer C reading the view directly gets 42501');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq(
  $$select total_tickets, avg_resolution_time from public.get_ticket_metrics('2026-02-01', '2026-02-02')$$,
  $$values (1::bigint, 3600::numeric)$$, 'admin A reads organization A''s daily totals only');
select results_eq($$select title from public.response_templates where title like '%hello' order by title$$, array['Acme hello'],
  'admin A reads organization A''s team templates and none of B''s');

-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok($$select count(*) from public.kb_articles$$, '42501', null, 'anon reads no knowledge base');
select throws_ok($$select * from public.get_ticket_metrics()$$, '42501', null, 'anon reads no analytics');
select throws_ok($$select * from private.visible_ticket_metrics$$, '42501', null, 'anon cannot read the analytics view');

-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select results_eq(
  $$select organization_id, total_tickets from public.get_ticket_metrics('2026-02-01', '2026-02-02')
     where organization_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b') order by organization_id$$,
  $$values ('0a000000-0000-4000-8000-00000000000a'::uuid, 1::bigint), ('0b000000-0000-4000-8000-00000000000b'::uuid, 2::bigint)$$,
  'service_role reads every organization''s totals, one row per organization');
select results_eq(
  $$select organization_id, total_tickets from public.get_ticket_metrics('2026-02-01', '2026-02-02', '0a000000-0000-4000-8000-00000000000a')$$,
  $$values ('0a000000-0000-4000-8000-00000000000a'::uuid, 1::bigint)$$,
  'service_role asks for one organization');
select results_eq(
  $$select count(*)::int from public.get_agent_performance('2026-02-01', '2026-02-02')
     where organization_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')$$,
  array[2], 'service_role reads every organization''s agent figures (both fixture organizations)');
select throws_ok(
  $$insert into public.response_templates (title, content, team_id, organization_id) values ('crossed', 'x', '0e000000-0000-4000-8000-0000000000e1', '0b000000-0000-4000-8000-00000000000b')$$,
  '23503', null, 'even service_role cannot give organization B a template of organization A''s team');
select throws_ok(
  $$update public.kb_categories set parent_id = 'f0000000-0000-4000-8000-0000000000a0' where id = 'f0000000-0000-4000-8000-0000000000b0'$$,
  '23503', null, 'even service_role cannot hang organization B''s category under organization A''s');
select results_eq($$select parent_id from public.kb_categories where id = 'f0000000-0000-4000-8000-0000000000b0'$$,
  array[null::uuid], 'organization B''s category is unchanged');

-- as superuser: the rows the attempts aimed at are unchanged.
reset role;
set local request.jwt.claims = '';
select results_eq(
  $$select title, organization_id from public.kb_articles where id in ('a0000000-0000-4000-8000-0000000000a0', 'a0000000-0000-4000-8000-0000000000b0') order by title$$,
  $$values ('Acme anvil manual', '0a000000-0000-4000-8000-00000000000a'::uuid), ('Globex launch manual', '0b000000-0000-4000-8000-00000000000b'::uuid)$$,
  'organization A''s article is intact and B''s article stayed in B');
select results_eq($$select content from public.response_templates where id = 'b0000000-0000-4000-8000-0000000000a0'$$,
  array['Hello from Acme'], 'organization A''s template is intact');
select results_eq($$select count(*)::int from public.kb_categories where id = 'f0000000-0000-4000-8000-0000000000a0'$$,
  array[1], 'organization A''s category still exists');

reset role;
select * from finish();
rollback;
