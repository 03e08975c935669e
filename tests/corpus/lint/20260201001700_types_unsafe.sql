-- migrate:up
create table if not exists public.invoices (
  id serial primary key,
  account_id integer not null,
  number varchar(32) not null,
  currency char(3) not null,
  line_count int not null,
  issued_at timestamp not null,
  payload json
);
alter table public.invoices enable row level security;
alter table public.accounts add column if not exists country_code varchar(2);

-- migrate:down
drop table if exists public.invoices;
