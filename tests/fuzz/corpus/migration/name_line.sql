20260101000000_name_in_first_line.sql
-- migrate:up
select 1;
-- migrate:down
select 1;
