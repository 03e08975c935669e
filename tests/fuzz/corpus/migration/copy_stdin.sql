-- migrate:up
copy t from stdin;
-- migrate:down
select 1;
