-- migrate:up
-- CONCURRENTLY cannot run in the transaction the tool opens for this section.
create index concurrently accounts_email_idx on public.accounts (email);

-- migrate:down
drop index if exists public.accounts_email_idx;
