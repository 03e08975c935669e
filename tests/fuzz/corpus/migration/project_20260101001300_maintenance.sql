-- migrate:up
-- AutoCRM schema, step 13: vacuum settings and scheduled maintenance (defect 18: the plan asked for
-- vacuum/analyze settings and maintenance tasks and named none).
--
-- * tickets and messages are hot, frequently updated tables: autovacuum and autoanalyze run after
--   5% / 2% of rows changed instead of the default 20% / 10%. (audit_logs partitions get their
--   settings when private.create_audit_log_partitions() creates them: a partitioned parent has no
--   storage to configure.)
-- * Where pg_cron is installed (schema cron exists, as on Supabase once enabled), two jobs are
--   scheduled: refresh the analytics views every 15 minutes and create audit partitions daily.
--   Elsewhere a NOTICE says so and private.skipped_features records it; the routine to run by
--   hand or from another scheduler is in docs/schema.md.

alter table public.tickets set (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
alter table public.messages set (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);

do $$
begin
  if exists (select 1 from pg_catalog.pg_namespace where nspname = 'cron') then
    perform cron.schedule('autocrm-refresh-analytics', '*/15 * * * *',
                          'select public.refresh_analytics_views()');
    perform cron.schedule('autocrm-audit-partitions', '15 0 * * *',
                          'select private.create_audit_log_partitions(3)');
  else
    insert into private.skipped_features (feature, reason) values
      ('pg_cron maintenance jobs', 'schema cron (pg_cron) not found: run public.refresh_analytics_views() and private.create_audit_log_partitions(3) from another scheduler');
    raise notice 'pg_cron is not installed: maintenance jobs autocrm-refresh-analytics and autocrm-audit-partitions were not scheduled (see docs/schema.md)';
  end if;
end
$$;

-- migrate:down

do $$
begin
  if exists (select 1 from pg_catalog.pg_namespace where nspname = 'cron') then
    perform cron.unschedule(j.jobname)
       from cron.job j
      where j.jobname in ('autocrm-refresh-analytics', 'autocrm-audit-partitions');
  end if;
  delete from private.skipped_features where feature = 'pg_cron maintenance jobs';
end
$$;

alter table public.messages reset (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
alter table public.tickets reset (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
