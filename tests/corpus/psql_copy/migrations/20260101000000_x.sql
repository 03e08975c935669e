-- migrate:up
create table t (id int);
\copy t from 'seed.csv' csv
-- migrate:down
drop table t;
