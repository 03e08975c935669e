-- migrate:up transaction:false
-- The same, concurrently, outside a transaction.
reindex index concurrently public.orders_created_at_idx;
alter table public.events detach partition public.events_2024 concurrently;

-- migrate:down
alter table public.events attach partition public.events_2024 for values from ('2024-01-01') to ('2025-01-01');
