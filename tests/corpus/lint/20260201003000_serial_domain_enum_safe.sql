-- migrate:up
create table public.coupon_runs (
  id bigint generated always as identity primary key,
  region_id bigint not null,
  discount integer check (discount between 0 and 100)
);
alter table public.coupon_runs enable row level security;
create domain public.short_code as text;
alter domain public.short_code add constraint short_code_length check (char_length(value) <= 12) not valid;
alter type public.order_status add value 'returned' after 'delivered';

-- migrate:down
drop table public.coupon_runs;
drop domain public.short_code;
