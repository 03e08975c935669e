-- migrate:up
-- The safe form's first step: a NOT VALID check (validated and turned into SET NOT NULL later).
alter table public.orders add constraint orders_status_not_null check (status is not null) not valid;

-- migrate:down
alter table public.orders drop constraint if exists orders_status_not_null;
