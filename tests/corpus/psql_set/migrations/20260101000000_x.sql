-- migrate:up
\set ON_ERROR_STOP on
create table t (id int);
-- migrate:down
drop table t;
