-- migrate:up
do $body$ begin perform 1; end $$;
-- migrate:down
select 1;
