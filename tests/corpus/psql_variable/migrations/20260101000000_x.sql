-- migrate:up
create role :app_user;
-- migrate:down
select 1;
