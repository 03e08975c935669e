-- migrate:up
create table gizmos (
  id bigint generated always as identity primary key,
  label text not null default 'café; menu'
);
create function gizmo_count() returns bigint language sql as $$
  select count(*) from gizmos
$$;

-- migrate:down
drop function gizmo_count();
drop table gizmos;
