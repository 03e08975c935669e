-- migrate:up
vacuum full public.orders;
cluster public.orders using orders_pkey;

-- migrate:down
select 1;
