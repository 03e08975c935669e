-- migrate:up
-- {{name}} ({{version}}): write the change here. Each section runs in one transaction
-- together with its ledger row; put `transaction:false` on a marker line for statements
-- that cannot run in a transaction (CREATE INDEX CONCURRENTLY), one migration per such change.


-- migrate:down
-- Revert exactly what the up section did, in reverse order. If it cannot be reverted,
-- replace this section with the single line `-- migrate:down irreversible`.

