-- Server-owned columns, message provenance, exact API privileges and TRUNCATE (migration
-- 20260101001800, docs/access-matrix.md). Every refused attempt is followed by a check that the
-- row is unchanged. tests/pgtap/run applies the migrations with Supabase's default privileges in
-- force (alter default privileges in schema public grant all on tables/functions/sequences to
-- anon, authenticated, service_role), so an exact privilege list here holds in spite of them.
begin;
set search_path = public, tap, extensions;
select plan(39);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- Remember the rows' server-owned values before anybody tries to change them.
create temporary table before_attempts on commit drop as
  select 'ticket' as kind, id, created_at, updated_at, organization_id, null::uuid as ticket_id, null::uuid as sender_id,
         null::public.message_type as message_type, null::text as content
    from public.tickets
  union all
  select 'message', id, created_at, updated_at, null, ticket_id, sender_id, message_type, content from public.messages;
grant select on before_attempts to authenticated, service_role;

-- as customer a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select throws_ok(
  $$update public.tickets set created_at = now() - interval '10 days' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot rewrite created_at of their own ticket');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content, created_at) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'backdated', now() - interval '1 year')$$,
  '42501', null, 'customer A cannot backdate a new message');
select throws_ok(
  $$update public.messages set created_at = now() - interval '1 year' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot backdate their message');
select throws_ok(
  $$insert into public.tickets (id, title, customer_id) values ('c0000000-0000-4000-8000-0000000000f9', 'my own id', '11111111-1111-4111-8111-111111111111')$$,
  '42501', null, 'customer A cannot choose a ticket''s id');
select throws_ok(
  $$insert into public.tickets (title, customer_id, organization_id) values ('elsewhere', '11111111-1111-4111-8111-111111111111', '0b000000-0000-4000-8000-00000000000b')$$,
  '42501', null, 'customer A cannot name a ticket''s organization');
select throws_ok(
  $$update public.tickets set updated_at = '2000-01-01' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot set updated_at');
select throws_ok(
  $$update public.messages set message_type = 'system' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'customer A cannot turn their message into a system message');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'ai', 'I am the AI')$$,
  '42501', null, 'customer A cannot write an ai message');
select lives_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'server stamps this')$$,
  'customer A posts a message without naming server-owned columns');
select results_eq(
  $$select created_at = now(), updated_at = now() from public.messages where content = 'server stamps this'$$,
  $$values (true, true)$$, 'the server set created_at and updated_at (the transaction''s time)');

-- as agent x: resolving a ticket while setting created_at would fake a 30-second resolution.
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}';
select throws_ok(
  $$update public.tickets set status = 'resolved', created_at = now() - interval '30 seconds' where id = 'c0000000-0000-4000-8000-000000000003'$$,
  '42501', null, 'agent X cannot set created_at while resolving a ticket');
select throws_ok(
  $$update public.tickets set status = 'resolved', resolved_at = now() - interval '10 days' where id = 'c0000000-0000-4000-8000-000000000003'$$,
  '42501', null, 'agent X cannot set resolved_at');
select results_eq($$select status::text from public.tickets where id = 'c0000000-0000-4000-8000-000000000003'$$,
  array['new'], 'the ticket was not resolved by the refused statements');
select throws_ok(
  $$insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', 'system', 'SLA breached')$$,
  '42501', null, 'agent X cannot write a system message');
select lives_ok(
  $$update public.tickets set status = 'resolved' where id = 'c0000000-0000-4000-8000-000000000003'$$,
  'agent X resolves the ticket the normal way');
select results_eq(
  $$select t.created_at = b.created_at, t.resolved_at = now() from public.tickets t join before_attempts b on b.id = t.id where t.id = 'c0000000-0000-4000-8000-000000000003'$$,
  $$values (true, true)$$, 'created_at is the original and resolved_at is the server''s');

-- as admin a: moderation may redact content, never provenance.
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select throws_ok(
  $$update public.messages set message_type = 'system' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'admin A cannot turn a customer''s message into a system message');
select throws_ok(
  $$update public.messages set sender_id = '55555555-5555-4555-8555-555555555555' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'admin A cannot change a message''s sender');
select throws_ok(
  $$update public.messages set ticket_id = 'c0000000-0000-4000-8000-000000000002' where id = 'd0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'admin A cannot move a message to another ticket');
select throws_ok(
  $$update public.tickets set organization_id = '0b000000-0000-4000-8000-00000000000b' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'admin A cannot move a ticket to another organization');
select throws_ok(
  $$insert into public.teams (name, organization_id) values ('planted', '0b000000-0000-4000-8000-00000000000b')$$,
  '42501', null, 'admin A cannot create a team in another organization');
select results_eq(
  $$with u as (update public.messages set content = '[redacted]' where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*)::int from u$$,
  array[1], 'admin A redacts the content of a message');
select results_eq(
  $$select old_data ->> 'content', new_data ->> 'content' from public.audit_logs where table_name = 'messages' and record_id = 'd0000000-0000-4000-8000-000000000001' and action = 'update'$$,
  $$values ('M1 it is still burning', '[redacted]')$$, 'the audit log keeps the text before the redaction');

-- TRUNCATE bypasses RLS and fires no row trigger: nobody but the owner holds it.
select throws_ok($$truncate public.messages$$, '42501', null, 'admin A cannot truncate messages');
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select throws_ok($$truncate public.messages, public.tickets cascade$$, '42501', null, 'customer A cannot truncate messages and tickets');
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select throws_ok($$truncate public.audit_logs$$, '42501', null, 'service_role cannot truncate the audit log');
select throws_ok($$truncate public.tickets cascade$$, '42501', null, 'service_role cannot truncate tickets');

-- as service role: the backend may change provenance (system messages, imports).
select lives_ok(
  $$update public.messages set message_type = 'system' where id = 'd0000000-0000-4000-8000-000000000002'$$,
  'service_role may reclassify a message');

-- as superuser: the rows the attempts aimed at.
reset role;
set local request.jwt.claims = '';
select results_eq(
  $$select count(*)::int from public.messages m join before_attempts b on b.id = m.id
     where m.id in ('d0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000003')
       and m.created_at = b.created_at and m.ticket_id = b.ticket_id and m.sender_id = b.sender_id and m.message_type = b.message_type$$,
  array[2], 'M1 and M3 keep their ticket, sender, type and created_at');
select results_eq(
  $$select count(*)::int from public.tickets t join before_attempts b on b.id = t.id
     where t.id::text like 'c0000000-0000-4000-8000-00000000000_'
       and t.created_at = b.created_at and t.organization_id is not distinct from b.organization_id$$,
  array[4], 'T1-T4 keep their created_at and organization');
select is_empty($$select 1 from public.tickets where title in ('my own id', 'elsewhere') union all select 1 from public.teams where name = 'planted'$$,
  'no refused insert left a row');
select results_eq($$select count(*)::int from public.messages where ticket_id::text like 'c0000000-0000-4000-8000-00000000000_'$$,
  array[5], 'no truncate removed a message (M1-M4 + the one posted)');

-- Exact privileges of authenticated on every AutoCRM table and column (the access matrix), with
-- Supabase's default privileges in force. kb_articles.embedding exists only with pgvector.
select results_eq(
  $$select p from (
    select (c.relname::text collate "default") || ' ' || a.privilege_type
      from pg_class c, aclexplode(c.relacl) a
     where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace)
       and a.grantee = 'authenticated'::regrole
    union all
    select (c.relname::text collate "default") || ' ' || x.privilege_type || ' (' || string_agg((att.attname::text collate "default"), ',' order by att.attnum) || ')'
      from pg_class c join pg_attribute att on att.attrelid = c.oid and att.attname <> 'embedding', aclexplode(att.attacl) x
     where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace)
       and x.grantee = 'authenticated'::regrole
     group by c.relname, x.privilege_type) s(p)
     order by p collate "C"$$,
  array[
    'audit_logs SELECT',
    'kb_articles DELETE', 'kb_articles INSERT (title,content,category_id,author_id,metadata,tags,published_at)',
    'kb_articles SELECT', 'kb_articles UPDATE (title,content,category_id,metadata,tags,published_at)',
    'kb_categories DELETE', 'kb_categories INSERT (name,description,parent_id,metadata)',
    'kb_categories SELECT', 'kb_categories UPDATE (name,description,parent_id,metadata)',
    'messages DELETE', 'messages INSERT (ticket_id,sender_id,message_type,content,metadata)',
    'messages SELECT', 'messages UPDATE (content,metadata)',
    'organizations SELECT', 'organizations UPDATE (name,domain,metadata)',
    'profiles DELETE', 'profiles INSERT (id,role,full_name,avatar_url,organization_id,metadata)',
    'profiles SELECT', 'profiles UPDATE (role,full_name,avatar_url,metadata)',
    'response_templates DELETE', 'response_templates INSERT (title,content,team_id,author_id,tags,metadata)',
    'response_templates SELECT', 'response_templates UPDATE (title,content,team_id,tags,metadata)',
    'team_members DELETE', 'team_members INSERT (team_id,user_id,role)',
    'team_members SELECT', 'team_members UPDATE (team_id,user_id,role)',
    'teams DELETE', 'teams INSERT (name,description,metadata)',
    'teams SELECT', 'teams UPDATE (name,description,metadata)',
    'tickets DELETE', 'tickets INSERT (title,description,status,priority,customer_id,assigned_agent_id,assigned_team_id,metadata,tags)',
    'tickets SELECT', 'tickets UPDATE (title,description,status,priority,assigned_agent_id,assigned_team_id,metadata,tags)',
    'visible_agent_performance SELECT', 'visible_ticket_metrics SELECT'],
  'authenticated holds exactly the access matrix''s table and column privileges');
select results_eq(
  $$select (p.oid::regprocedure::text collate "default") as f from pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace)
       and p.proname <> 'match_kb_articles' and has_function_privilege('authenticated', p.oid, 'execute')
     order by p.oid::regprocedure::text collate "C"$$,
  array[
    'assign_ticket(uuid,uuid,uuid)', 'change_ticket_status(uuid,ticket_status)',
    'get_agent_performance(timestamp with time zone,timestamp with time zone,uuid)',
    'get_ticket_metrics(timestamp with time zone,timestamp with time zone,uuid)',
    'private.analytics_denied()', 'private.analytics_organization_allowed(uuid)',
    'private.check_ticket_assignment(uuid,uuid,uuid)', 'private.current_admin_org_id()', 'private.current_org_id()',
    'private.current_org_team_ids()', 'private.current_staff_id()', 'private.current_staff_team_ids()',
    'private.current_ticket_keys()', 'private.current_user_role()', 'private.current_user_team_ids()', 'private.is_admin()', 'private.is_org_staff(uuid)',
    'private.is_service_caller()', 'private.is_staff()', 'private.is_team_member(uuid,uuid)',
    'refresh_analytics_views()', 'search_kb_articles(text,integer)'],
  'authenticated may execute exactly the API functions and the helpers its policies call');
select is_empty(
  $$select c.oid::regclass::text || ' ' || r.rolname from pg_class c
      cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace, 'autocrm_migrate'::regnamespace)
       and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
       and has_table_privilege(r.rolname, c.oid, 'truncate, trigger, references')$$,
  'no API role holds TRUNCATE, TRIGGER or REFERENCES on any relation');
select is_empty(
  $$select c.oid::regclass::text from pg_class c
     where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace, 'autocrm_migrate'::regnamespace)
       and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and (has_table_privilege('anon', c.oid, 'select, insert, update, delete')
            or has_any_column_privilege('anon', c.oid, 'select, insert, update'))
    union all
    select c.oid::regclass::text from pg_class c
     where c.relkind = 'S' and c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace)
       and (has_sequence_privilege('anon', c.oid, 'usage, select, update')
            or has_sequence_privilege('authenticated', c.oid, 'usage, select, update'))
    union all
    select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace, 'analytics'::regnamespace)
       and has_function_privilege('anon', p.oid, 'execute')$$,
  'anon holds nothing: no table, column, sequence or function privilege');
select is_empty(
  $$select c.relname || ' ' || r.rolname from pg_class c
      cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     where c.relnamespace = 'autocrm_migrate'::regnamespace and c.relkind = 'r'
       and has_table_privilege(r.rolname, c.oid, 'select, insert, update, delete, truncate')$$,
  'the tool''s ledger and meta table are out of every API role''s reach');
select results_eq(
  $$select (c.relname::text collate "default") || ' ' || string_agg(a.privilege_type, ',' order by a.privilege_type) as p
      from pg_class c, aclexplode(c.relacl) a
     where c.relnamespace = 'public'::regnamespace and a.grantee = 'service_role'::regrole
     group by c.relname order by c.relname::text collate "C"$$,
  array['audit_logs SELECT', 'kb_articles DELETE,INSERT,SELECT,UPDATE', 'kb_categories DELETE,INSERT,SELECT,UPDATE',
        'messages DELETE,INSERT,SELECT,UPDATE', 'organizations DELETE,INSERT,SELECT,UPDATE', 'profiles DELETE,INSERT,SELECT,UPDATE',
        'response_templates DELETE,INSERT,SELECT,UPDATE', 'team_members DELETE,INSERT,SELECT,UPDATE', 'teams DELETE,INSERT,SELECT,UPDATE',
        'tickets DELETE,INSERT,SELECT,UPDATE'],
  'service_role reads and writes every table but the audit log, and holds nothing more');
select ok(
  exists (select 1 from pg_default_acl d where d.defaclnamespace = 'public'::regnamespace and d.defaclobjtype = 'r'
           and exists (select 1 from aclexplode(d.defaclacl) x where x.grantee = 'anon'::regrole and x.privilege_type = 'TRUNCATE')),
  'the premise holds: this database has Supabase''s default privileges for new tables of schema public');

reset role;
select * from finish();
rollback;
