-- migrate:up irreversible
select 1;
-- migrate:down
select 1;
