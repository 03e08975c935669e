-- migrate:up
-- A table created in this file, then indexed, constrained and altered: it is empty, nothing locks.
create table if not exists public.shipments (id bigint generated always as identity primary key, order_ref bigint not null, carrier text, sent_at timestamptz);
alter table public.shipments enable row level security;
create index if not exists shipments_order_ref_idx on public.shipments (order_ref);
alter table public.shipments add constraint shipments_order_ref_fk foreign key (order_ref) references public.orders (id);
alter table public.shipments add column if not exists tracking_id uuid default gen_random_uuid();
alter table public.shipments add column if not exists weight_g bigint not null;
alter table public.shipments alter column carrier set not null;
alter table public.shipments alter column carrier type varchar;
alter table public.shipments rename column sent_at to shipped_at;
drop index if exists public.shipments_order_ref_idx;

-- migrate:down
drop table if exists public.shipments;
