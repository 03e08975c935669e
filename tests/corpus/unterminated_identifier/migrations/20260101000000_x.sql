-- migrate:up
create table "t (id int);
-- migrate:down
select 1;
