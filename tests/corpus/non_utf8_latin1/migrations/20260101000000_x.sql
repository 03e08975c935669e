-- migrate:up
create table t (id int);
insert into t values (1); -- café
-- migrate:down
drop table t;
