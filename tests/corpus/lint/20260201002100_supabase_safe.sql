-- migrate:up
create extension if not exists pg_trgm with schema extensions;
create table if not exists public.memos (id bigint generated always as identity primary key, body text);
alter table public.memos enable row level security;
grant select on public.memos to authenticated;
create or replace function public.memo_count() returns bigint language sql security definer set search_path = '' as $$ select count(*) from public.memos $$;

-- migrate:down
drop function if exists public.memo_count();
