-- migrate:up transaction:flase
select 1;
-- migrate:down
select 1;
