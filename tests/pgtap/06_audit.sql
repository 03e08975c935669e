-- The audit trigger on every audited table (insert, update, delete; action, record id/key,
-- old/new data, actor, organization) and who can read or write audit_logs.
begin;
set search_path = public, tap, extensions;
select plan(28);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

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
-- (API callers name neither id nor organization_id: the server sets both; tap.* remembers the ids.)
with i as (insert into public.teams (name) values ('Team Q') returning id)
select set_config('tap.team_q', id::text, true) from i;
update public.teams set name = 'Team Q2' where id = current_setting('tap.team_q')::uuid;
delete from public.teams where id = current_setting('tap.team_q')::uuid;
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
with i as (insert into public.tickets (title, customer_id) values ('audited', '11111111-1111-4111-8111-111111111111') returning id)
select set_config('tap.ticket', id::text, true) from i;
update public.tickets set title = 'audited twice' where id = current_setting('tap.ticket')::uuid;
with i as (insert into public.messages (ticket_id, sender_id, message_type, content)
            values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'first') returning id)
select set_config('tap.message', id::text, true) from i;
update public.messages set content = 'second' where id = current_setting('tap.message')::uuid;
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
delete from public.messages where id = current_setting('tap.message')::uuid;
delete from public.tickets where id = current_setting('tap.ticket')::uuid;

-- knowledge base and templates: agent X writes; admin A deletes the category
-- as agent x
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
with i as (insert into public.kb_categories (name) values ('Audited') returning id)
select set_config('tap.category', id::text, true) from i;
update public.kb_categories set description = 'changed' where id = current_setting('tap.category')::uuid;
with i as (insert into public.kb_articles (title, content, author_id) values ('Audited article', 'body', '33333333-3333-4333-8333-333333333333') returning id)
select set_config('tap.article', id::text, true) from i;
update public.kb_articles set content = 'new body' where id = current_setting('tap.article')::uuid;
delete from public.kb_articles where id = current_setting('tap.article')::uuid;
with i as (insert into public.response_templates (title, content, team_id, author_id)
            values ('Audited template', 'hi', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333') returning id)
select set_config('tap.template', id::text, true) from i;
update public.response_templates set content = 'hello' where id = current_setting('tap.template')::uuid;
delete from public.response_templates where id = current_setting('tap.template')::uuid;
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
delete from public.kb_categories where id = current_setting('tap.category')::uuid;
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
     where table_name = 'teams' and record_id = current_setting('tap.team_q')::uuid order by audit_logs.action$$,
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
     where table_name = 'tickets' and record_id = current_setting('tap.ticket')::uuid order by audit_logs.action$$,
  $$values ('create', false, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('update', true, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'tickets: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'messages' and record_id = current_setting('tap.message')::uuid order by audit_logs.action$$,
  $$values ('create', false, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('update', true, true, '11111111-1111-4111-8111-111111111111'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'messages: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'kb_categories' and record_id = current_setting('tap.category')::uuid order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '55555555-5555-4555-8555-555555555555'::uuid)$$,
  'kb_categories: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'kb_articles' and record_id = current_setting('tap.article')::uuid order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '33333333-3333-4333-8333-333333333333'::uuid)$$,
  'kb_articles: audited');
select results_eq(
  $$select action::text, old_data is not null, new_data is not null, actor_id from public.audit_logs
     where table_name = 'response_templates' and record_id = current_setting('tap.template')::uuid order by audit_logs.action$$,
  $$values ('create', false, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('update', true, true, '33333333-3333-4333-8333-333333333333'::uuid),
           ('delete', true, false, '33333333-3333-4333-8333-333333333333'::uuid)$$,
  'response_templates: audited');
select results_eq(
  $$select old_data ->> 'name', new_data ->> 'name' from public.audit_logs
     where table_name = 'teams' and record_id = current_setting('tap.team_q')::uuid and action = 'update'$$,
  $$values ('Team Q'::text, 'Team Q2'::text)$$,
  'an update carries the old and the new row');
select is(
  (select old_data ->> 'content' from public.audit_logs
    where table_name = 'messages' and record_id = current_setting('tap.message')::uuid and action = 'delete'),
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

-- Statements that change many rows (statement-level insert and delete triggers).
-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
insert into public.tickets (id, title, customer_id) values
  ('c0000000-0000-4000-8000-0000000000b1', 'bulk 1', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-0000000000b2', 'bulk 2', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-0000000000b3', 'bulk 3', '11111111-1111-4111-8111-111111111111');
insert into public.messages (id, ticket_id, sender_id, message_type, content) values
  ('d0000000-0000-4000-8000-0000000000b1', 'c0000000-0000-4000-8000-0000000000b1', '11111111-1111-4111-8111-111111111111', 'customer', 'one'),
  ('d0000000-0000-4000-8000-0000000000b2', 'c0000000-0000-4000-8000-0000000000b1', '11111111-1111-4111-8111-111111111111', 'customer', 'two');
delete from public.tickets where id in ('c0000000-0000-4000-8000-0000000000b1', 'c0000000-0000-4000-8000-0000000000b2',
                                        'c0000000-0000-4000-8000-0000000000b3');
reset role;
select results_eq(
  $$select record_id, action::text, new_data ->> 'title', old_data ->> 'title', record_key, organization_id, actor_id
      from public.audit_logs where table_name = 'tickets' and record_id::text like 'c0000000-0000-4000-8000-0000000000b_'
     order by action, record_id$$,
  $$values ('c0000000-0000-4000-8000-0000000000b1'::uuid, 'create', 'bulk 1', null::text, '{"id": "c0000000-0000-4000-8000-0000000000b1"}'::jsonb, '0a000000-0000-4000-8000-00000000000a'::uuid, null::uuid),
           ('c0000000-0000-4000-8000-0000000000b2'::uuid, 'create', 'bulk 2', null, '{"id": "c0000000-0000-4000-8000-0000000000b2"}', '0a000000-0000-4000-8000-00000000000a', null),
           ('c0000000-0000-4000-8000-0000000000b3'::uuid, 'create', 'bulk 3', null, '{"id": "c0000000-0000-4000-8000-0000000000b3"}', '0a000000-0000-4000-8000-00000000000a', null),
           ('c0000000-0000-4000-8000-0000000000b1'::uuid, 'delete', null, 'bulk 1', '{"id": "c0000000-0000-4000-8000-0000000000b1"}', '0a000000-0000-4000-8000-00000000000a', null),
           ('c0000000-0000-4000-8000-0000000000b2'::uuid, 'delete', null, 'bulk 2', '{"id": "c0000000-0000-4000-8000-0000000000b2"}', '0a000000-0000-4000-8000-00000000000a', null),
           ('c0000000-0000-4000-8000-0000000000b3'::uuid, 'delete', null, 'bulk 3', '{"id": "c0000000-0000-4000-8000-0000000000b3"}', '0a000000-0000-4000-8000-00000000000a', null)$$,
  'a three-row insert and a three-row delete write one audit row per ticket');
select results_eq(
  $$select record_id, action::text, organization_id from public.audit_logs
     where table_name = 'messages' and record_id::text like 'd0000000-0000-4000-8000-0000000000b_' order by action, record_id$$,
  $$values ('d0000000-0000-4000-8000-0000000000b1'::uuid, 'create', '0a000000-0000-4000-8000-00000000000a'::uuid),
           ('d0000000-0000-4000-8000-0000000000b2'::uuid, 'create', '0a000000-0000-4000-8000-00000000000a'::uuid),
           ('d0000000-0000-4000-8000-0000000000b1'::uuid, 'delete', null),
           ('d0000000-0000-4000-8000-0000000000b2'::uuid, 'delete', null)$$,
  'messages: organization from their ticket; the cascade of a ticket delete is audited too (ticket gone, no actor: no organization)');
select is(
  (select count(*)::int from public.audit_logs
    where substr(id::text, 15, 1) <> '7'
       or abs(('x' || lpad(replace(substr(id::text, 1, 13), '-', ''), 16, '0'))::bit(64)::bigint
              - extract(epoch from created_at) * 1000) > 60000),
  0, 'audit ids are time-ordered: UUID version 7 carrying the Unix milliseconds of their creation');

-- A table audited with a key argument it lacks, and one audited without arguments (primary key from the catalog).
create table public.audit_probe (id uuid primary key, note text);
create trigger audit_probe_inserts after insert on public.audit_probe referencing new table as audit_rows
  for each statement execute function public.audit_trigger_func('nope');
select throws_ok(
  $$insert into public.audit_probe values (gen_random_uuid(), 'x')$$,
  'P0001', 'audit_trigger_func: table public.audit_probe has no column nope (trigger argument or primary key)',
  'a key argument naming no column is a clear error');
-- (Columns named a and b: a regression test, the rows are read as audit_rows.*, never by an alias a column could shadow.)
create table public.audit_probe_pair (a uuid, b text, primary key (a, b));
create trigger audit_probe_pair_deletes after delete on public.audit_probe_pair referencing old table as audit_rows
  for each statement execute function public.audit_trigger_func();
insert into public.audit_probe_pair values ('0f000000-0000-4000-8000-0000000000f1', 'k');
delete from public.audit_probe_pair;
select results_eq(
  $$select record_key, record_id from public.audit_logs where table_name = 'audit_probe_pair'$$,
  $$values ('{"a": "0f000000-0000-4000-8000-0000000000f1", "b": "k"}'::jsonb,
            md5('audit_probe_pair:{"a": "0f000000-0000-4000-8000-0000000000f1", "b": "k"}')::uuid)$$,
  'without arguments the primary key columns come from the catalog');

reset role;
select * from finish();
rollback;
