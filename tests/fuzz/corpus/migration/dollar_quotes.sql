-- migrate:up
create function f() returns int language plpgsql as $body$
begin
  -- migrate:down inside? no: a comment
  return 1;
end
$body$;
/* nested /* comment */ still */
select $$a;b$$, E'\n', U&'\0041';
-- migrate:down
drop function f();
