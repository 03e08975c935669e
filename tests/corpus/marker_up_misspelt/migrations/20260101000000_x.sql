-- migrate:upp
select 1;
-- migrate:down
select 1;
