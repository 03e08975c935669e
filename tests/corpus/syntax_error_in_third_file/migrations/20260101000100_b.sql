-- migrate:up
create table u (id int);
-- migrate:down
drop table u;
