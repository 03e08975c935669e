-- migrate:up
create table if not exists private.audit_entries_for_every_single_change_made_by_any_user_since_the_start (id bigint);

-- migrate:down
select 1;
