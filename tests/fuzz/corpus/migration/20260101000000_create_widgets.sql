-- migrate:up
create table widgets (
  id bigint generated always as identity primary key,
  name text not null
);
insert into widgets (name) values ('first; with a semicolon');

-- migrate:down
drop table widgets;
