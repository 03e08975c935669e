-- migrate:up
create table if not exists public.receipts (
  id bigint generated always as identity primary key,
  account_id bigint not null,
  number text not null check (char_length(number) <= 32),
  issued_at timestamptz not null,
  payload jsonb
);
alter table public.receipts enable row level security;

-- migrate:down
drop table if exists public.receipts;
