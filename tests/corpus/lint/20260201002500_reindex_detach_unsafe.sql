-- migrate:up
-- Rebuilds and a detach on existing tables, each under a lock that blocks the application.
reindex table public.orders;
reindex index public.orders_created_at_idx;
alter table public.events detach partition public.events_2025;

-- migrate:down
alter table public.events attach partition public.events_2025 for values from ('2025-01-01') to ('2026-01-01');
