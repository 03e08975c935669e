-- Functions for common operations: assign_ticket, change_ticket_status (with resolved_at and
-- closed_at), knowledge base search, and the vector search where pgvector exists.
begin;
set search_path = public, tap, extensions;
select plan(29);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- Unassigned tickets: T5 (customer B, organization A) and T6 (customer C, organization B).
insert into public.tickets (id, title, customer_id) values
  ('c0000000-0000-4000-8000-000000000005', 'T5 unassigned', '22222222-2222-4222-8222-222222222222'),
  ('c0000000-0000-4000-8000-000000000006', 'T6 unassigned', '77777777-7777-4777-8777-777777777777');

-- assign_ticket
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select results_eq(
  $$select assigned_agent_id, assigned_team_id, status::text from public.assign_ticket('c0000000-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1')$$,
  $$values ('33333333-3333-4333-8333-333333333333'::uuid, '0e000000-0000-4000-8000-0000000000e1'::uuid, 'open')$$,
  'admin A assigns T1 to agent X in team X; a new ticket becomes open');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000001', '44444444-4444-4444-8444-444444444444', '0e000000-0000-4000-8000-0000000000e1')$$,
  '23514', 'agent 44444444-4444-4444-8444-444444444444 is not a member of team 0e000000-0000-4000-8000-0000000000e1',
  'assigning to an agent who is not in the team is refused');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', null)$$,
  '23514', null, 'assigning to a customer is refused');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000001', null, '0e000000-0000-4000-8000-0000000000e3')$$,
  '23514', null, 'assigning to a team of another organization is refused');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000004', '55555555-5555-4555-8555-555555555555', null)$$,
  '42501', null, 'admin A cannot assign a ticket of organization B');

-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000002', '33333333-3333-4333-8333-333333333333', null)$$,
  '42501', null, 'agent X cannot take a ticket they do not work');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1')$$,
  '42501', null, 'agent X cannot (re)assign a ticket to themselves');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000003', null, null)$$,
  '42501', null, 'agent X cannot drop a ticket back to unassigned');
select lives_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000003', '44444444-4444-4444-8444-444444444444', '0e000000-0000-4000-8000-0000000000e2')$$,
  'agent X hands T3 off to agent Y in team Y');
select results_eq($$select count(*)::int from public.tickets where id = 'c0000000-0000-4000-8000-000000000003'$$, array[0],
  'after the hand-off agent X no longer sees T3');

-- as agent y
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq($$select assigned_agent_id from public.tickets where id = 'c0000000-0000-4000-8000-000000000003'$$,
  array['44444444-4444-4444-8444-444444444444'::uuid], 'agent Y now works T3');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000005', '33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1')$$,
  '42501', null, 'agent Y cannot route an unassigned ticket they do not work');
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000006', null, '0e000000-0000-4000-8000-0000000000e3')$$,
  '42501', null, 'agent Y cannot route an unassigned ticket of organization B');
-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000001', '44444444-4444-4444-8444-444444444444', null)$$,
  '42501', null, 'customer A cannot assign tickets');
-- as anon
reset role;
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok(
  $$select public.assign_ticket('c0000000-0000-4000-8000-000000000001', null, null)$$,
  '42501', null, 'anon cannot call assign_ticket');

-- change_ticket_status: resolved_at / closed_at follow the status.
-- as agent y
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select results_eq(
  $$select status::text, resolved_at is not null, closed_at is not null from public.change_ticket_status('c0000000-0000-4000-8000-000000000003', 'resolved')$$,
  $$values ('resolved', true, false)$$, 'resolving sets resolved_at only');
select results_eq(
  $$select status::text, resolved_at is not null, closed_at is not null from public.change_ticket_status('c0000000-0000-4000-8000-000000000003', 'closed')$$,
  $$values ('closed', true, true)$$, 'closing keeps resolved_at and sets closed_at');
-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq(
  $$select status::text, resolved_at, closed_at from public.change_ticket_status('c0000000-0000-4000-8000-000000000003', 'open')$$,
  $$values ('open', null::timestamptz, null::timestamptz)$$, 'customer A reopens their closed ticket: both timestamps cleared');
select throws_ok(
  $$select public.change_ticket_status('c0000000-0000-4000-8000-000000000003', 'resolved')$$,
  '42501', null, 'customer A cannot resolve their own ticket');
select results_eq(
  $$select status::text, resolved_at is not null, closed_at is not null from public.change_ticket_status('c0000000-0000-4000-8000-000000000001', 'closed')$$,
  $$values ('closed', true, true)$$, 'customer A closes their ticket');
select throws_ok(
  $$select public.change_ticket_status('c0000000-0000-4000-8000-000000000002', 'closed')$$,
  '42501', null, 'customer A cannot change the status of customer B''s ticket');
select throws_ok(
  $$update public.tickets set resolved_at = now() - interval '1 year' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'an API user cannot backdate resolved_at: only the status sets it (no column privilege)');
-- as agent y
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}';
select throws_ok(
  $$select public.change_ticket_status('c0000000-0000-4000-8000-000000000001', 'open')$$,
  '42501', null, 'agent Y cannot change the status of a ticket outside their teams');

-- as superuser
reset role;
set local request.jwt.claims = '';
select results_eq(
  $$insert into public.tickets (title, customer_id, status) values ('imported', '11111111-1111-4111-8111-111111111111', 'resolved') returning resolved_at is not null, closed_at is null$$,
  $$values (true, true)$$, 'even a privileged import gets a consistent resolved_at');
select results_eq(
  $$insert into public.tickets (title, status, resolved_at, closed_at) values ('stale', 'open', now(), now()) returning resolved_at is null and closed_at is null$$,
  array[true], 'an open ticket never keeps resolved_at or closed_at');
select throws_ok(
  $$alter table public.tickets disable trigger guard_ticket_write; insert into public.tickets (title, status) values ('bad', 'resolved')$$,
  '23514', null, 'without the trigger, the check constraints still refuse an inconsistent row');

-- Knowledge base search (full text) and vector search (defect 19).
insert into public.kb_articles (id, title, content, author_id, published_at) values
  ('a0000000-0000-4000-8000-000000000001', 'Reset your password', 'Choose reset password in the settings.', '55555555-5555-4555-8555-555555555555', now() - interval '1 hour'),
  ('a0000000-0000-4000-8000-000000000002', 'Billing questions', 'Invoices are sent monthly; a password is not needed.', '55555555-5555-4555-8555-555555555555', now() - interval '1 hour');
-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq($$select id from public.search_kb_articles('reset password')$$,
  array['a0000000-0000-4000-8000-000000000001'::uuid], 'search_kb_articles finds the matching article');
select results_eq($$select id from public.search_kb_articles('password', 5)$$,
  array['a0000000-0000-4000-8000-000000000001'::uuid, 'a0000000-0000-4000-8000-000000000002'::uuid],
  'a word in the title ranks above a word in the body');
-- as superuser
reset role;
set local request.jwt.claims = '';
select ok(
  case when exists (select 1 from pg_extension where extname = 'vector')
       then to_regprocedure('public.match_kb_articles(extensions.vector,integer,double precision)') is not null
            or exists (select 1 from pg_proc where proname = 'match_kb_articles')
       else (select count(*) = 4 from private.skipped_features
              where feature in ('extension vector', 'column public.kb_articles.embedding',
                                'index public.idx_kb_articles_embedding', 'function public.match_kb_articles'))
            and not exists (select 1 from pg_proc where proname = 'match_kb_articles')
  end,
  'match_kb_articles exists where pgvector does; elsewhere its skip is recorded');

reset role;
select * from finish();
rollback;
