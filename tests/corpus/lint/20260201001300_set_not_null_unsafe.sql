-- migrate:up
alter table public.orders alter column placed_at set not null;

-- migrate:down
alter table public.orders alter column placed_at drop not null;
