-- migrate:up transaction:false
create index concurrently i on t (a);
-- migrate:down transaction:false
drop index concurrently i;
