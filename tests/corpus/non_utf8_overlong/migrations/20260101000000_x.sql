-- migrate:up
select 'À¯';
-- migrate:down
select 1;
