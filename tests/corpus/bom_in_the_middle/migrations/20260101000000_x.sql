-- migrate:up
select 1;
﻿create table t (id int);
-- migrate:down
select 1;
