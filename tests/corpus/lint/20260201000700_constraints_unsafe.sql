-- migrate:up
alter table public.orders add constraint orders_account_fk foreign key (account_id) references public.accounts (id);
alter table public.orders add constraint orders_total_nonneg check (total_cents >= 0);

-- migrate:down
alter table public.orders drop constraint if exists orders_total_nonneg;
