-- Structure of the AutoCRM schema: objects of the plan, and the classes of mistake listed in
-- docs/schema.md, "Defects fixed" (numbers in the descriptions).
begin;
set search_path = public, tap, extensions;
select plan(67);

grant usage on schema tap to anon, authenticated, service_role;

-- The plan's tables, plus organizations (defect 4).
select has_table('public', 'organizations', 'table organizations exists');
select has_table('public', 'profiles', 'table profiles exists');
select has_table('public', 'teams', 'table teams exists');
select has_table('public', 'team_members', 'table team_members exists');
select has_table('public', 'tickets', 'table tickets exists');
select has_table('public', 'messages', 'table messages exists');
select has_table('public', 'kb_categories', 'table kb_categories exists');
select has_table('public', 'kb_articles', 'table kb_articles exists');
select has_table('public', 'response_templates', 'table response_templates exists');
select has_table('public', 'audit_logs', 'table audit_logs exists');
select has_column('public', 'profiles', 'organization_id', 'profiles.organization_id exists (defect 14)');
select has_column('public', 'teams', 'organization_id', 'teams.organization_id exists');
select has_column('public', 'tickets', 'organization_id', 'tickets.organization_id exists');

select enum_has_labels('public', 'user_role', array['customer', 'agent', 'admin'], 'user_role labels');
select enum_has_labels('public', 'ticket_status', array['new', 'open', 'pending', 'resolved', 'closed'], 'ticket_status labels');
select enum_has_labels('public', 'ticket_priority', array['low', 'medium', 'high', 'urgent'], 'ticket_priority labels');
select enum_has_labels('public', 'message_type', array['customer', 'agent', 'system', 'ai'], 'message_type labels');
select enum_has_labels('public', 'audit_action', array['create', 'update', 'delete'], 'audit_action labels');

-- defect 5: no extension in public; moddatetime and pgcrypto in schema extensions.
select is(
  (select count(*)::int from pg_extension e join pg_namespace n on n.oid = e.extnamespace where n.nspname = 'public'),
  0, 'no extension lives in schema public (defect 5)');
select is(
  (select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'moddatetime'),
  'extensions', 'moddatetime is in schema extensions (defects 1, 5)');
select hasnt_extension('uuid-ossp', 'uuid-ossp is not needed: gen_random_uuid() is built in (defect 2)');

-- defect 3: roles and auth helpers.
select ok(
  (select count(*) = 3 from pg_roles where rolname in ('anon', 'authenticated', 'service_role')),
  'roles anon, authenticated and service_role exist (defect 3)');
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'), 'service_role bypasses RLS as on Supabase');
select has_function('auth', 'uid', 'auth.uid() exists');
select has_function('auth', 'role', 'auth.role() exists');
select has_function('auth', 'jwt', 'auth.jwt() exists');
set local request.jwt.claims = '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated","email":"a@b.c"}';
select is(auth.uid(), '11111111-1111-4111-8111-111111111111'::uuid, 'auth.uid() reads request.jwt.claims');
select is(auth.role(), 'authenticated', 'auth.role() reads request.jwt.claims');
select is(auth.jwt() ->> 'email', 'a@b.c', 'auth.jwt() returns the claims');
set local request.jwt.claims = '';
set local request.jwt.claim.sub = '22222222-2222-4222-8222-222222222222';
select is(auth.uid(), '22222222-2222-4222-8222-222222222222'::uuid, 'auth.uid() reads the legacy request.jwt.claim.sub');
set local request.jwt.claim.sub = '';
select is(auth.uid(), null, 'auth.uid() is null without claims');

-- defect 12: RLS on every table of public, and each command has a policy where the product
-- allows it (organizations: select/update; audit_logs: select only; the rest: all four).
select is(
  (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity),
  0, 'row level security is enabled on every table in public (defect 12)');
select results_eq(
  $$select tablename::text collate "default", array_agg(distinct cmd::text collate "default" order by cmd::text collate "default")
      from pg_policies where schemaname = 'public' group by tablename order by tablename$$,
  $$values ('audit_logs', array['SELECT']),
           ('kb_articles', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('kb_categories', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('messages', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('organizations', array['SELECT', 'UPDATE']),
           ('profiles', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('response_templates', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('team_members', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('teams', array['DELETE', 'INSERT', 'SELECT', 'UPDATE']),
           ('tickets', array['DELETE', 'INSERT', 'SELECT', 'UPDATE'])$$,
  'every table has policies for the commands the product allows (defect 12)');
select is(
  (select count(*)::int from pg_policies where schemaname = 'public' and roles <> '{authenticated}'),
  0, 'every policy applies to authenticated only: anon gets nothing');
select is(
  (select count(*)::int from pg_policies
    where schemaname = 'public'
      and regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), 'SELECT auth\.uid\(\)', '', 'g') ~ 'auth\.uid\(\)'),
  0, 'auth.uid() is always wrapped as (select auth.uid()) in policies (defect 16)');
select is(
  (select count(*)::int from pg_policies
    where schemaname = 'public'
      and (coalesce(qual, '') || coalesce(with_check, '')) ~ ('FROM (public\.)?' || tablename || '\M')),
  0, 'no policy selects from its own table (defect 9)');

-- defect 11: every security definer function has a fixed search_path.
select is(
  (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prosecdef and n.nspname in ('public', 'private', 'analytics', 'auth')
      and not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%')),
  0, 'every security definer function sets search_path (defect 11)');
select ok(
  not has_function_privilege('anon', 'private.is_admin()', 'execute')
  and not has_function_privilege('anon', 'public.refresh_analytics_views()', 'execute')
  and not has_function_privilege('authenticated', 'private.create_audit_log_partitions(integer)', 'execute'),
  'helper and maintenance functions are not executable by anon (nor partitions by authenticated)');

-- defect 1: handle_updated_at (moddatetime) on every table with updated_at.
select is(
  (select count(*)::int from information_schema.columns
    where table_schema = 'public' and column_name = 'updated_at'),
  8, 'eight tables carry updated_at');
select is(
  (select count(*)::int from information_schema.columns col
    where col.table_schema = 'public' and col.column_name = 'updated_at'
      and not exists (
        select 1 from pg_trigger t
         where t.tgrelid = format('public.%I', col.table_name)::regclass
           and t.tgname = 'handle_updated_at'
           and t.tgfoid = 'extensions.moddatetime'::regproc)),
  0, 'every table with updated_at has trigger handle_updated_at calling moddatetime (defect 1)');

-- Audit triggers on every audited table (all tables of public but audit_logs): inserts and deletes
-- per statement with their transition table, updates per row (tgtype bits: 1 row, 4 insert,
-- 8 delete, 16 update).
select is(
  (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and (select count(*) from pg_trigger t
            where t.tgrelid = c.oid and t.tgfoid = 'public.audit_trigger_func'::regproc and t.tgenabled <> 'D'
              and ((t.tgname = format('audit_%s_inserts', c.relname) and t.tgtype = 4 and t.tgnewtable is not null)
                   or (t.tgname = format('audit_%s_changes', c.relname) and t.tgtype = 1 | 16)
                   or (t.tgname = format('audit_%s_deletes', c.relname) and t.tgtype = 8 and t.tgoldtable is not null))) <> 3),
  0, 'every table of public has its audit_<table>_inserts, _changes and _deletes triggers');
select ok((select relkind = 'p' from pg_class where oid = 'public.audit_logs'::regclass), 'audit_logs is partitioned (defect 18)');
select col_is_pk('public', 'audit_logs', array['id', 'created_at'], 'audit_logs primary key is (id, created_at)');
select ok(
  not has_table_privilege('authenticated', 'public.audit_logs', 'insert')
  and not has_table_privilege('authenticated', 'public.audit_logs', 'update')
  and not has_table_privilege('authenticated', 'public.audit_logs', 'delete')
  and not has_table_privilege('anon', 'public.audit_logs', 'insert')
  and not has_table_privilege('service_role', 'public.audit_logs', 'insert'),
  'no API role can write audit_logs');

-- The plan's index file, by name.
select has_index('public', 'profiles', 'idx_profiles_role', 'idx_profiles_role');
select has_index('public', 'profiles', 'idx_profiles_organization_id', 'idx_profiles_organization_id');
select has_index('public', 'organizations', 'idx_organizations_domain', 'idx_organizations_domain');
select has_index('public', 'teams', 'idx_teams_organization_id', 'idx_teams_organization_id');
select has_index('public', 'team_members', 'idx_team_members_user_id', 'idx_team_members_user_id');
select has_index('public', 'tickets', 'idx_tickets_customer_id', 'idx_tickets_customer_id');
select has_index('public', 'tickets', 'idx_tickets_assigned_agent_id', 'idx_tickets_assigned_agent_id');
select has_index('public', 'tickets', 'idx_tickets_assigned_team_id', 'idx_tickets_assigned_team_id');
select has_index('public', 'tickets', 'idx_tickets_organization_id', 'idx_tickets_organization_id');
select has_index('public', 'tickets', 'idx_tickets_status', 'idx_tickets_status');
select has_index('public', 'tickets', 'idx_tickets_priority', 'idx_tickets_priority');
select has_index('public', 'tickets', 'idx_tickets_tags_gin', 'idx_tickets_tags_gin');
select has_index('public', 'messages', 'idx_messages_ticket_id', 'idx_messages_ticket_id');
select has_index('public', 'messages', 'idx_messages_created_at', 'idx_messages_created_at');
select has_index('public', 'audit_logs', 'idx_audit_logs_table_record', 'audit_logs (table_name, record_id) is indexed (defect 17)');

-- defect 17: every foreign key column (first column) leads some index.
select is(
  (select count(*)::int from pg_constraint fk join pg_namespace n on n.oid = fk.connamespace
    where fk.contype = 'f' and n.nspname = 'public'
      and not exists (select 1 from pg_index i
                       where i.indrelid = fk.conrelid and i.indkey[0] = fk.conkey[1])),
  0, 'every foreign key is indexed (defect 17)');

-- Vector parts (defect 19): present where pgvector is, otherwise recorded as skipped.
select ok(
  case when exists (select 1 from pg_extension where extname = 'vector')
       then exists (select 1 from information_schema.columns
                     where table_schema = 'public' and table_name = 'kb_articles' and column_name = 'embedding')
            and to_regclass('public.idx_kb_articles_embedding') is not null
       else exists (select 1 from private.skipped_features where feature = 'column public.kb_articles.embedding')
            and exists (select 1 from private.skipped_features where feature = 'function public.match_kb_articles')
  end,
  'vector search is installed, or its skip is recorded in private.skipped_features (defect 19)');

-- defects 10 and 15: analytics views outside public, unique index without WHERE, no API access.
select is((select count(*)::int from pg_matviews where schemaname = 'public'), 0, 'no materialized view in public (defect 15)');
select is(
  (select count(distinct c.relname)::int from pg_index i join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'analytics' and c.relkind = 'm' and i.indisunique and i.indpred is null),
  2, 'both analytics views have a unique index without WHERE (defect 10)');
select ok(
  not has_schema_privilege('anon', 'analytics', 'usage')
  and not has_schema_privilege('authenticated', 'analytics', 'usage')
  and not has_table_privilege('authenticated', 'analytics.ticket_metrics', 'select'),
  'API roles cannot reach schema analytics (defect 15)');
select is(
  (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('v', 'm')),
  0, 'no view in public that could bypass RLS');

-- defect 18: vacuum settings on the hot tables.
select ok(
  (select reloptions @> array['autovacuum_vacuum_scale_factor=0.05'] from pg_class where oid = 'public.tickets'::regclass)
  and (select reloptions @> array['autovacuum_vacuum_scale_factor=0.05'] from pg_class where oid = 'public.messages'::regclass),
  'tickets and messages have tuned autovacuum settings');
select ok(
  (select bool_and(coalesce(c.reloptions @> array['autovacuum_vacuum_scale_factor=0.05'], false))
     from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_logs'::regclass),
  'every audit_logs partition has tuned autovacuum settings');

reset role;
select * from finish();
rollback;
