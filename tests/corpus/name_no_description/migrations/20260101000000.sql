-- migrate:up
create table t (id int);
-- migrate:down
drop table t;
