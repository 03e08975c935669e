-- migrate:up
-- public.shipments was created by 20260201000300 of this chain: still new (chain-aware case).
create index if not exists shipments_carrier_idx on public.shipments (carrier);
alter table public.shipments add constraint shipments_weight_positive check (weight_g > 0);
alter table public.shipments drop column if exists tracking_id;

-- migrate:down
drop index if exists public.shipments_carrier_idx;
