-- migrate:up
alter table public.accounts rename column handle to username;
alter table public.coupons rename to discounts;

-- migrate:down
alter table public.discounts rename to coupons;
