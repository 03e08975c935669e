-- migrate:up
begin;
alter table public.orders add column if not exists memo text;
commit;

-- migrate:down
select 1;
