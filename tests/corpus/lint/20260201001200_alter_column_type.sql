-- migrate:up
alter table public.accounts alter column handle type text;
alter table public.orders alter column total_cents type bigint;

-- migrate:down
alter table public.orders alter column total_cents type integer;
