-- migrate:up
select 1
-- migrate:up
select 2;
-- migrate:dwon
