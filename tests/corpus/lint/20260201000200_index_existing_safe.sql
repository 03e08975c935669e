-- migrate:up transaction:false
-- The safe form: concurrently, outside a transaction.
create index concurrently if not exists accounts_created_at_idx on public.accounts (created_at);

-- migrate:down transaction:false
drop index concurrently if exists public.accounts_created_at_idx;
