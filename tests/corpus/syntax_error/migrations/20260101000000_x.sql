-- migrate:up
create table t (id int);
create tabel u (id int);
-- migrate:down
drop table t;
