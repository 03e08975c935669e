-- migrate:up transaction:false
drop index concurrently if exists public.accounts_old_idx;

-- migrate:down transaction:false
create index concurrently if not exists accounts_old_idx on public.accounts (old_ref);
