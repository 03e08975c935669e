-- audit_logs partitions: created by the migration, used by the trigger, extended by
-- private.create_audit_log_partitions(), which also moves rows out of the default partition.
begin;
set search_path = public, tap, extensions;
select plan(14);

grant usage on schema tap to anon, authenticated, service_role;

select is(
  (select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_logs'::regclass
      and c.relname in (select 'audit_logs_' || to_char(date_trunc('month', now() at time zone 'UTC') + make_interval(months => m), '"y"YYYY"m"MM')
                          from generate_series(0, 3) m)),
  4, 'the partitions of the current month and the next three exist');
select ok(
  exists (select 1 from pg_partitioned_table p join pg_class d on d.oid = p.partdefid
           where p.partrelid = 'public.audit_logs'::regclass and d.relname = 'audit_logs_default'),
  'the default partition exists');
select is(
  (select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
    where i.inhparent = 'public.audit_logs'::regclass and n.nspname <> 'private'),
  0, 'partitions live in the non-exposed schema private');

-- A write lands in the current month's partition.
insert into public.organizations (id, name) values ('0a000000-0000-4000-8000-00000000000a', 'Acme');
select is(
  (select tableoid::regclass::text from public.audit_logs where record_id = '0a000000-0000-4000-8000-00000000000a'),
  'private.audit_logs_' || to_char(now() at time zone 'UTC', '"y"YYYY"m"MM'),
  'an audit row lands in the current month''s partition');

-- A row beyond the last partition lands in the default one, and moves when its month is created.
insert into public.audit_logs (id, table_name, record_id, record_key, action, created_at) values
  ('e0000000-0000-4000-8000-000000000001', 'tickets', gen_random_uuid(), '{}', 'create',
   date_trunc('month', now()) + interval '5 months 3 days');
select is(
  (select tableoid::regclass::text from public.audit_logs where id = 'e0000000-0000-4000-8000-000000000001'),
  'private.audit_logs_default', 'a row past the last partition goes to the default partition');
select results_eq(
  $$select private.create_audit_log_partitions(6)$$,
  $$select 'audit_logs_' || to_char(date_trunc('month', now() at time zone 'UTC') + make_interval(months => m), '"y"YYYY"m"MM')
      from generate_series(4, 6) m$$,
  'create_audit_log_partitions(6) creates the three missing months');
select is(
  (select tableoid::regclass::text from public.audit_logs where id = 'e0000000-0000-4000-8000-000000000001'),
  'private.audit_logs_' || to_char(date_trunc('month', now() at time zone 'UTC') + interval '5 months', '"y"YYYY"m"MM'),
  'the row moved from the default partition into its month');
select is((select count(*)::int from private.audit_logs_default), 0, 'the default partition is empty again');
select is_empty($$select private.create_audit_log_partitions(6)$$, 'a second call creates nothing');
select ok(
  (select bool_and(c.relrowsecurity and c.reloptions @> array['autovacuum_vacuum_scale_factor=0.05']
                   and not has_table_privilege('authenticated', c.oid, 'select'))
     from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_logs'::regclass),
  'every partition has RLS on, tuned autovacuum and no privilege for authenticated');
select ok(
  (select count(*) = 3 from pg_indexes where schemaname = 'private'
    and tablename = 'audit_logs_' || to_char(date_trunc('month', now() at time zone 'UTC') + interval '5 months', '"y"YYYY"m"MM')
    and indexdef !~ 'UNIQUE') ,
  'a moved-into partition has the partitioned indexes of audit_logs');
select throws_ok($$select private.create_audit_log_partitions(-1)$$, '22023', null, 'a negative horizon is refused');

-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
select throws_ok($$select private.create_audit_log_partitions(1)$$, '42501', null, 'API users cannot create partitions');
-- as service role
reset role;
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select lives_ok($$select private.create_audit_log_partitions(1)$$, 'service_role can run the partition maintenance');

reset role;
select * from finish();
rollback;
