-- migrate:up
insert into t values ('unterminated);
-- migrate:down
select $$ never closed;
