select 0;
-- migrate:up transaction:flase
select 1;
-- migrate:down
