-- migrate:up
-- A later migration validates what 20260201000800 added NOT VALID (SHARE UPDATE EXCLUSIVE only).
alter table public.orders validate constraint orders_coupon_fk;
alter table public.orders validate constraint orders_qty_positive;

-- migrate:down
select 1;
