-- migrate:up
select 1;
-- migrate:down irreversible
drop table t;
