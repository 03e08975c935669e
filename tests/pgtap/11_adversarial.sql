-- Adversarial RLS suite (issue 5, item 9): a signed-in customer (customer A) tries every table and
-- function to read or change what is not theirs (analytics views, search functions, security
-- definer functions with crafted arguments, updates moving a row out of reach, inserts claiming
-- another user's id); anon tries everything. Every attempt must be refused.
--
-- Data-driven: the attempts are rows of tap.adv_attempts, generated from pg_tables and pg_proc
-- (so a new table or function is attacked automatically) plus hand-crafted ones. Each attempt is
-- one assertion; plan() is the number of attempts, and the suite reports it with diag() at the end.
-- tap.adv_try() runs an attempt (a statement returning a row count) as the current role:
--   'refused: 42501'   permission denied / RLS violation / function refusal
--   'refused: 0 rows'  the statement ran but reached nothing (only accepted when not strict)
--   anything else      the attempt got through (or failed for another reason): the test fails
begin;
set search_path = public, tap, extensions;
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

-- Knowledge base rows a customer must never reach: a draft and a scheduled article.
insert into public.kb_articles (id, title, content, author_id, published_at) values
  ('f0000000-0000-4000-8000-0000000000f1', 'zebracorn draft', 'zebracorn secret draft', '33333333-3333-4333-8333-333333333333', null),
  ('f0000000-0000-4000-8000-0000000000f2', 'zebracorn scheduled', 'zebracorn future article', '33333333-3333-4333-8333-333333333333', now() + interval '30 days');
-- So that every table has rows to attack: a category and a team template of team X.
insert into public.kb_categories (id, name, organization_id) values ('f1000000-0000-4000-8000-0000000000f1', 'Hardware', '0a000000-0000-4000-8000-00000000000a');
insert into public.response_templates (id, title, content, team_id, author_id) values
  ('f2000000-0000-4000-8000-0000000000f1', 'Greeting', 'Hello', '0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333');

create function tap.adv_try(p_sql text, p_strict boolean) returns text
language plpgsql as $$
declare
  n bigint;
begin
  execute p_sql into n;
  if n = 0 and not p_strict then
    return 'refused: 0 rows';
  end if;
  return 'ALLOWED: ' || coalesce(n::text, 'null') || ' row(s)';
exception when others then
  if sqlstate = '42501' then
    return 'refused: 42501';
  end if;
  return 'error ' || sqlstate || ': ' || sqlerrm;
end
$$;

create table tap.adv_attempts (
  n serial primary key,
  actor text not null,        -- 'customer A' or 'anon'
  strict boolean not null,    -- true: only 42501 counts as refused
  sql text not null,          -- returns one count
  descr text not null
);
grant select on tap.adv_attempts to anon, authenticated;

-- What customer A may not read (select_pred) and may not write (write_pred), per public table;
-- a table missing from this list gets the strictest rule (nothing at all).
create temp table adv_scope (tbl text primary key, select_pred text, write_pred text);
insert into adv_scope values
  ('organizations', $$id <> '0a000000-0000-4000-8000-00000000000a'$$, 'true'),
  ('profiles', $$id <> '11111111-1111-4111-8111-111111111111'$$, $$id <> '11111111-1111-4111-8111-111111111111'$$),
  ('tickets', $$customer_id <> '11111111-1111-4111-8111-111111111111'$$, $$customer_id <> '11111111-1111-4111-8111-111111111111'$$),
  ('messages', $$ticket_id not in ('c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000003')$$,
               $$sender_id <> '11111111-1111-4111-8111-111111111111'$$),
  ('kb_articles', 'published_at is null or published_at > now()', 'true'),
  ('kb_categories', 'false', 'true'); -- every signed-in user reads categories; writing none

-- customer A, every public table: read, update and delete what is not theirs.
create temp view adv_tables as
select t.tablename as tbl,
       coalesce(s.select_pred, 'true') as select_pred,
       coalesce(s.write_pred, 'true') as write_pred,
       (select quote_ident(a.attname) from pg_attribute a
         where a.attrelid = format('public.%I', t.tablename)::regclass and a.attnum > 0
           and not a.attisdropped and a.attgenerated = '' order by a.attnum limit 1) as col
  from pg_tables t left join adv_scope s on s.tbl = t.tablename
 where t.schemaname = 'public';

insert into tap.adv_attempts (actor, strict, sql, descr)
select 'customer A', false, format('select count(*) from public.%I where %s', tbl, select_pred),
       format('customer A reads others'' rows of %s', tbl)
  from adv_tables where select_pred <> 'false'
union all
select 'customer A', false,
       format('with x as (update public.%I set %s = %s where %s returning 1) select count(*) from x', tbl, col, col, write_pred),
       format('customer A updates others'' rows of %s', tbl)
  from adv_tables
union all
select 'customer A', false,
       format('with x as (delete from public.%I where %s returning 1) select count(*) from x', tbl, write_pred),
       format('customer A deletes others'' rows of %s', tbl)
  from adv_tables
order by 4;

-- customer A: analytics and private tables/views directly.
insert into tap.adv_attempts (actor, strict, sql, descr)
select 'customer A', false, format('select count(*) from %I.%I', n.nspname, c.relname),
       format('customer A reads %s.%s directly', n.nspname, c.relname)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname in ('analytics', 'private') and c.relkind in ('r', 'v', 'm', 'p')
 order by n.nspname, c.relname;

-- customer A: inserts claiming another user's id or reaching another user's rows.
insert into tap.adv_attempts (actor, strict, sql, descr) values
  ('customer A', true, $$with x as (insert into public.tickets (title, customer_id) values ('forged', '22222222-2222-4222-8222-222222222222') returning 1) select count(*) from x$$,
   'customer A opens a ticket as customer B'),
  ('customer A', true, $$with x as (insert into public.tickets (title, customer_id) values ('forged', '77777777-7777-4777-8777-777777777777') returning 1) select count(*) from x$$,
   'customer A opens a ticket as customer C of organization B'),
  ('customer A', true, $$with x as (insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'customer', 'forged') returning 1) select count(*) from x$$,
   'customer A posts a message as customer B on their own ticket'),
  ('customer A', true, $$with x as (insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'customer', 'intrude') returning 1) select count(*) from x$$,
   'customer A posts a message on customer B''s ticket'),
  ('customer A', true, $$with x as (insert into public.messages (ticket_id, sender_id, message_type, content) values ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'agent', 'fake agent') returning 1) select count(*) from x$$,
   'customer A posts an agent message'),
  ('customer A', true, $$with x as (insert into public.profiles (id, role, full_name, organization_id) values ('22222222-2222-4222-8222-222222222222', 'customer', 'B again', '0a000000-0000-4000-8000-00000000000a') returning 1) select count(*) from x$$,
   'customer A creates a profile with customer B''s id'),
  ('customer A', true, $$with x as (insert into public.profiles (id, role, full_name, organization_id) values ('a0000000-0000-4000-8000-0000000000a9', 'admin', 'ghost', '0b000000-0000-4000-8000-00000000000b') returning 1) select count(*) from x$$,
   'customer A creates an admin profile for someone else in organization B'),
  ('customer A', true, $$with x as (insert into public.audit_logs (table_name, record_id, record_key, action, actor_id, organization_id) values ('tickets', 'c0000000-0000-4000-8000-000000000002', '{"id": "c0000000-0000-4000-8000-000000000002"}', 'delete', '22222222-2222-4222-8222-222222222222', '0a000000-0000-4000-8000-00000000000a') returning 1) select count(*) from x$$,
   'customer A forges an audit_logs row'),
  ('customer A', true, $$with x as (insert into public.organizations (name) values ('Evil') returning 1) select count(*) from x$$,
   'customer A creates an organization'),
  ('customer A', true, $$with x as (insert into public.teams (organization_id, name) values ('0a000000-0000-4000-8000-00000000000a', 'mine') returning 1) select count(*) from x$$,
   'customer A creates a team'),
  ('customer A', true, $$with x as (insert into public.team_members (team_id, user_id) values ('0e000000-0000-4000-8000-0000000000e1', '11111111-1111-4111-8111-111111111111') returning 1) select count(*) from x$$,
   'customer A joins team X'),
  ('customer A', true, $$with x as (insert into public.kb_articles (title, content, author_id, published_at) values ('spam', 'spam', '33333333-3333-4333-8333-333333333333', now()) returning 1) select count(*) from x$$,
   'customer A publishes an article as agent X'),
  ('customer A', true, $$with x as (insert into public.kb_categories (name) values ('spam') returning 1) select count(*) from x$$,
   'customer A creates a knowledge base category'),
  ('customer A', true, $$with x as (insert into public.response_templates (title, content, author_id) values ('spam', 'spam', '33333333-3333-4333-8333-333333333333') returning 1) select count(*) from x$$,
   'customer A creates a response template as agent X'),
-- updates that move an own row out of reach, or escalate.
  ('customer A', true, $$with x as (update public.tickets set customer_id = '22222222-2222-4222-8222-222222222222' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A hands their ticket T1 to customer B'),
  ('customer A', true, $$with x as (update public.tickets set organization_id = '0b000000-0000-4000-8000-00000000000b' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A moves their ticket T1 to organization B'),
  ('customer A', true, $$with x as (update public.tickets set assigned_agent_id = '33333333-3333-4333-8333-333333333333' where id = 'c0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A assigns their ticket T1 to agent X'),
  ('customer A', true, $$with x as (update public.messages set ticket_id = 'c0000000-0000-4000-8000-000000000002' where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A moves their message M1 onto customer B''s ticket'),
  ('customer A', true, $$with x as (update public.messages set sender_id = '22222222-2222-4222-8222-222222222222' where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A attributes their message M1 to customer B'),
  ('customer A', true, $$with x as (update public.messages set message_type = 'agent' where id = 'd0000000-0000-4000-8000-000000000001' returning 1) select count(*) from x$$,
   'customer A turns their message M1 into an agent message'),
  ('customer A', true, $$with x as (update public.profiles set organization_id = '0b000000-0000-4000-8000-00000000000b' where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*) from x$$,
   'customer A moves their profile to organization B'),
  ('customer A', true, $$with x as (update public.profiles set role = 'admin' where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*) from x$$,
   'customer A makes themselves admin'),
  ('customer A', true, $$with x as (update public.profiles set id = '22222222-2222-4222-8222-222222222222' where id = '11111111-1111-4111-8111-111111111111' returning 1) select count(*) from x$$,
   'customer A takes customer B''s id'),
-- security definer / search functions with crafted arguments.
  ('customer A', true, $$select count(*) from public.assign_ticket('c0000000-0000-4000-8000-000000000004', '66666666-6666-4666-8666-666666666666', null)$$,
   'customer A assigns T4 of organization B'),
  ('customer A', true, $$select count(*) from public.assign_ticket('c0000000-0000-4000-8000-000000000002', '33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1')$$,
   'customer A assigns customer B''s ticket T2'),
  ('customer A', true, $$select count(*) from public.assign_ticket('c0000000-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', '0e000000-0000-4000-8000-0000000000e1')$$,
   'customer A assigns their own ticket T1'),
  ('customer A', true, $$select count(*) from public.change_ticket_status('c0000000-0000-4000-8000-000000000002', 'closed')$$,
   'customer A closes customer B''s ticket T2'),
  ('customer A', true, $$select count(*) from public.change_ticket_status('c0000000-0000-4000-8000-000000000004', 'closed')$$,
   'customer A closes T4 of organization B'),
  ('customer A', true, $$select count(*) from public.change_ticket_status('c0000000-0000-4000-8000-000000000001', 'resolved')$$,
   'customer A resolves their own ticket T1'),
  ('customer A', false, $$select count(*) from public.search_kb_articles('zebracorn', 100)$$,
   'customer A finds draft or scheduled articles through search_kb_articles'),
  ('customer A', false, $$select count(*) from public.search_kb_articles('zebracorn | secret | future | draft', 100000)$$,
   'customer A finds drafts through search_kb_articles with a crafted query and limit'),
  ('customer A', true, $$select count(*) from public.get_ticket_metrics(now() - interval '10 years', now() + interval '10 years')$$,
   'customer A reads get_ticket_metrics'),
  ('customer A', true, $$select count(*) from public.get_agent_performance(now() - interval '10 years', now() + interval '10 years')$$,
   'customer A reads get_agent_performance'),
  ('customer A', true, $$select count(*) from (select public.refresh_analytics_views()) s$$,
   'customer A refreshes the analytics views');

-- customer A and anon: every function of public (not from an extension) called with null arguments.
create temp view adv_functions as
select p.oid::regprocedure::text as sig,
       format('select count(*) from (select (%s.%s(%s))::text as r) s where r is not null',
              quote_ident(n.nspname), quote_ident(p.proname),
              coalesce((select string_agg('null::' || format_type(t, null), ', ' order by i)
                          from unnest(p.proargtypes::oid[]) with ordinality u(t, i)), '')) as sql,
       n.nspname
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname in ('public', 'private', 'analytics') and p.prokind = 'f'
   and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e');

insert into tap.adv_attempts (actor, strict, sql, descr)
select 'customer A', false, sql, format('customer A calls %s with null arguments', sig)
  from adv_functions where nspname = 'public' order by sig;

-- anon: every table, view and materialized view of public, private and analytics, every command;
-- every function. Strict: only permission denied counts.
insert into tap.adv_attempts (actor, strict, sql, descr)
select 'anon', true, q.sql, q.descr
  from (select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname in ('public', 'private', 'analytics') and c.relkind in ('r', 'v', 'm', 'p')) r
  cross join lateral (values
    (1, format('select count(*) from %I.%I', r.nspname, r.relname), format('anon reads %s.%s', r.nspname, r.relname)),
    (2, format('with x as (insert into %I.%I default values returning 1) select count(*) from x', r.nspname, r.relname), format('anon inserts into %s.%s', r.nspname, r.relname)),
    (3, format('with x as (update %I.%I set %s = %s returning 1) select count(*) from x', r.nspname, r.relname,
               (select quote_ident(a.attname) from pg_attribute a where a.attrelid = format('%I.%I', r.nspname, r.relname)::regclass
                   and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum limit 1),
               (select quote_ident(a.attname) from pg_attribute a where a.attrelid = format('%I.%I', r.nspname, r.relname)::regclass
                   and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum limit 1)),
     format('anon updates %s.%s', r.nspname, r.relname)),
    (4, format('with x as (delete from %I.%I returning 1) select count(*) from x', r.nspname, r.relname), format('anon deletes from %s.%s', r.nspname, r.relname))
  ) as q(k, sql, descr)
 where r.relkind <> 'm' or q.k = 1
 order by r.nspname, r.relname, q.k;

insert into tap.adv_attempts (actor, strict, sql, descr)
select 'anon', true, sql, format('anon calls %s', sig) from adv_functions order by nspname, sig;

-- Controls (not attempts): as the superuser, every "not theirs" predicate of the customer's
-- read/update/delete attempts matches rows, so a 0-row answer means refused, not nothing there.
create temp table adv_controls (n serial, sql text, descr text);
insert into adv_controls (sql, descr)
select format('select count(*) from public.%I where %s', tbl, pred), format('control: %s has rows customer A must not %s', tbl, what)
  from adv_tables cross join lateral (values ('read', select_pred), ('write', write_pred)) v(what, pred)
 where pred <> 'false'
 order by tbl, what;
insert into adv_controls (sql, descr) values
  ($$select count(*) from public.search_kb_articles('zebracorn', 100)$$, 'control: search_kb_articles finds the draft and the scheduled article for the superuser');

select plan((select count(*)::int from tap.adv_attempts) + (select count(*)::int from adv_controls));

select cmp_ok(tap.adv_try(c.sql, true), '~', '^ALLOWED: [1-9]', c.descr) from adv_controls c order by c.n;

-- as customer A
reset role;
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select ok(x.r like 'refused%', a.descr || ' -> ' || x.r)
  from tap.adv_attempts a cross join lateral (select tap.adv_try(a.sql, a.strict) as r) x
 where a.actor = 'customer A' order by a.n;

-- as anon
reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select ok(x.r like 'refused%', a.descr || ' -> ' || x.r)
  from tap.adv_attempts a cross join lateral (select tap.adv_try(a.sql, a.strict) as r) x
 where a.actor = 'anon' order by a.n;

reset role;
select diag(format('adversarial attempts: %s (customer A: %s, anon: %s), %s',
                   count(*), count(*) filter (where actor = 'customer A'), count(*) filter (where actor = 'anon'),
                   case when num_failed() = 0 then 'all refused' else num_failed() || ' NOT refused' end))
  from tap.adv_attempts;

select * from finish();
rollback;
