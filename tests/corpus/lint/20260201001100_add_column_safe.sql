-- migrate:up
alter table public.accounts add column if not exists locale text default 'en';
alter table public.accounts add column if not exists joined_at timestamptz default now();
alter table public.accounts add column if not exists plan text not null default 'free';
alter table public.accounts add column if not exists nickname text;
alter table public.accounts add column if not exists seq bigint generated always as identity;

-- migrate:down
alter table public.accounts drop column if exists nickname;
