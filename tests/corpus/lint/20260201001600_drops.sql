-- migrate:up
alter table public.accounts drop column if exists legacy_ref;
drop table if exists public.old_sessions;

-- migrate:down
select 1;
