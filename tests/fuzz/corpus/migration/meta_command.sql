-- migrate:up
\i other.sql
\set x 1
-- migrate:down
select 1;
