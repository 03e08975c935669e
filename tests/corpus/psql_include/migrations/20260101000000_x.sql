-- migrate:up
create table t (id int);
\i seed.sql
-- migrate:down
drop table t;
