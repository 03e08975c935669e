-- migrate:up
alter table public.orders add column if not exists note text;
commit;
create table if not exists private.staging (id bigint);
begin;
savepoint before_copy;
release savepoint before_copy;

-- migrate:down
select 1;
