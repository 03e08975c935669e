-- migrate:up
-- Statements inside a DO block run like any other: the index build locks accounts against writes.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_class where relname = 'accounts_created_idx') then
    create index accounts_created_idx on public.accounts (created_at);
  end if;
  execute 'alter table public.accounts add column referral_code text not null';
end
$$;

-- migrate:down
drop index if exists public.accounts_created_idx;
alter table public.accounts drop column if exists referral_code;
