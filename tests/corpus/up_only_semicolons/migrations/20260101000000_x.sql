-- migrate:up
;
;;
-- migrate:down
select 1;
