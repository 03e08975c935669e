-- migrate:up
select 1;

-- migrate:dwon
select 1;
