-- A schema of N extra tables (default 2,000) shaped like the AutoCRM ones: each with a foreign
-- key, RLS, a policy per command, an updated_at trigger, an audit trigger and two indexes.
-- Run on a database with the AutoCRM migrations applied:  psql -v n=2000 -f bench/check-scale.sql
\if :{?n}
\else
\set n 2000
\endif
select set_config('bench.n', :'n', false);
do $$
declare
  i int;
  n int := current_setting('bench.n')::int;
begin
  for i in 1..n loop
    execute format($f$
      create table public.bench_%1$s (
        id uuid primary key default gen_random_uuid(),
        owner_id uuid not null references public.profiles (id),
        name text not null,
        updated_at timestamptz not null default now());
      create index idx_bench_%1$s_owner on public.bench_%1$s (owner_id);
      create index idx_bench_%1$s_name on public.bench_%1$s (name);
      alter table public.bench_%1$s enable row level security;
      create policy r on public.bench_%1$s for select to authenticated using (owner_id = (select auth.uid()));
      create policy i on public.bench_%1$s for insert to authenticated with check (owner_id = (select auth.uid()));
      create policy u on public.bench_%1$s for update to authenticated using (owner_id = (select auth.uid()));
      create policy d on public.bench_%1$s for delete to authenticated using (owner_id = (select auth.uid()));
      create trigger handle_updated_at before update on public.bench_%1$s
        for each row execute function extensions.moddatetime(updated_at);
      create trigger audit_bench_%1$s_changes after insert or update or delete on public.bench_%1$s
        for each row execute function public.audit_trigger_func();
    $f$, i);
    if i % 200 = 0 then commit; end if;  -- keep the lock table small
  end loop;
end $$;
