-- migrate:up
create table t (id int);
create function f() returns int language plpgsql as $$
begin
  return 1;
end;
-- migrate:down
drop function f();
