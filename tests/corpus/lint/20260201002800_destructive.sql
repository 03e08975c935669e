-- migrate:up
-- Statements that break clients or delete more than they name.
alter table public.accounts alter column email drop not null;
truncate public.old_sessions cascade;
drop database legacy_reports;
truncate public.old_sessions;

-- migrate:down
alter table public.accounts alter column email set not null;
