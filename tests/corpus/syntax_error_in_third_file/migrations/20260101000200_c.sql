-- migrate:up
select 1;

select (1;
-- migrate:down
select 1;
