-- migrate:up transaction:false
-- AutoCRM schema, step 21: the index for step 22's single-look-up ticket visibility (issue 14,
-- requirement 7: the customer hot path at 1.39x over the owner on a quiet machine, target 1.3x).
--
-- One GIN index over the three columns that make a ticket visible to staff (assigned agent,
-- assigned team, organization), so that step 22's policy can ask "does any of them belong to the
-- caller" with one array overlap: `array[assigned_agent_id, assigned_team_id, organization_id] &&
-- keys`. Built CONCURRENTLY, alone in a migration outside a transaction: on a deployment with its
-- tickets, a plain CREATE INDEX would block every ticket write for the whole build (lint's
-- create-index-not-concurrently, which lint_required turns into a refusal in production). If the
-- build fails half way, PostgreSQL leaves an INVALID index; the tool records the migration as failed
-- and `status` shows the index: drop it (`drop index concurrently public.idx_tickets_visibility_keys`)
-- and run `up` again (`if not exists` would otherwise keep the invalid one).
create index concurrently if not exists idx_tickets_visibility_keys on public.tickets
  using gin ((array[assigned_agent_id, assigned_team_id, organization_id]));

-- migrate:down transaction:false
drop index concurrently if exists public.idx_tickets_visibility_keys;
