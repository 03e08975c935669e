-- migrate:up
drop index if exists public.accounts_legacy_idx;

-- migrate:down
create index if not exists accounts_legacy_idx on public.accounts (legacy_ref);
