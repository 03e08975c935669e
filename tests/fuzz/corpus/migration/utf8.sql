-- migrate:up
select 'été', 1/0 as "€";
-- migrate:down
select 1;
