-- migrate:up
select 1;
/* to do
-- migrate:down
select 1;
