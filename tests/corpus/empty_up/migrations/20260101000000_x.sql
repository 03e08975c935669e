-- migrate:up
-- nothing yet

-- migrate:down
select 1;
