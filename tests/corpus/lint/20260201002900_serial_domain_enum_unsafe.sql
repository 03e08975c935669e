-- migrate:up
create table public.coupon_batches (
  id serial primary key,
  region_id smallint not null
);
alter table public.coupon_batches enable row level security;
create domain public.percentage as integer check (value between 0 and 100);
alter domain public.percentage add constraint percentage_not_null check (value is not null);
alter type public.order_status add value 'on_hold';

-- migrate:down
drop table public.coupon_batches;
drop domain public.percentage;
