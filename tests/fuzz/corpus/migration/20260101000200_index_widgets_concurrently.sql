-- migrate:up transaction:false
create index concurrently widgets_name_idx on widgets (name);

-- migrate:down transaction:false
drop index concurrently widgets_name_idx;
