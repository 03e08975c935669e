-- migrate:up
alter table widgets add column color text;
create function widget_count() returns bigint language plpgsql as $$
begin
  -- a ';' inside a body is not a statement end
  return (select count(*) from widgets);
end;
$$;

-- migrate:down
drop function widget_count();
alter table widgets drop column color;
