-- migrate:up
create extension if not exists pg_trgm;
create table if not exists public.notes (id bigint generated always as identity primary key, body text);
grant select on public.orders to anon;
create or replace function public.order_count() returns bigint language sql security definer as $$ select count(*) from public.orders $$;

-- migrate:down
drop function if exists public.order_count();
