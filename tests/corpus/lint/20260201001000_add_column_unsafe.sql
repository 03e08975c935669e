-- migrate:up
alter table public.accounts add column if not exists api_token uuid default gen_random_uuid();
alter table public.accounts add column if not exists seen_at timestamptz default clock_timestamp();
alter table public.accounts add column if not exists tier text not null;

-- migrate:down
alter table public.accounts drop column if exists tier;
