-- migrate:up
alter table public.orders add constraint orders_coupon_fk foreign key (coupon_id) references public.coupons (id) not valid;
alter table public.orders add constraint orders_qty_positive check (quantity > 0) not valid;

-- migrate:down
alter table public.orders drop constraint if exists orders_qty_positive;
