-- migrate:up
-- Existing tables (created by an earlier chain, not here): plain index builds lock writes.
create index if not exists accounts_email_idx on public.accounts (email);
create unique index if not exists accounts_handle_key on public.accounts (handle);
create index if not exists orders_placed_at_idx on orders (placed_at) where cancelled_at is null;

-- migrate:down
drop index if exists public.accounts_email_idx;
