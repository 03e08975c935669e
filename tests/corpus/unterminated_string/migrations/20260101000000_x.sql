-- migrate:up
create table t (name text);
insert into t values ('it''s);
-- migrate:down
drop table t;
