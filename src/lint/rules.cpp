#include "lint/rules.hpp"

namespace lint {

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all = {
      {"create-index-not-concurrently", Level::error, "CREATE INDEX without CONCURRENTLY on a table that already exists",
       "CREATE INDEX CONCURRENTLY, alone in a migration with `-- migrate:up transaction:false`",
       "squawk:require-concurrent-index-creation eugene:E6"},
      {"drop-index-not-concurrently", Level::warning, "DROP INDEX without CONCURRENTLY on an existing table",
       "DROP INDEX CONCURRENTLY, alone in a migration with `-- migrate:up transaction:false`",
       "squawk:require-concurrent-index-deletion"},
      {"reindex-not-concurrently", Level::error, "REINDEX without CONCURRENTLY of an existing table or index (or a schema)",
       "REINDEX ... CONCURRENTLY, alone in a migration with `-- migrate:up transaction:false`",
       "squawk:require-concurrent-reindex"},
      {"detach-partition-not-concurrently", Level::error,
       "ALTER TABLE ... DETACH PARTITION without CONCURRENTLY on an existing partitioned table",
       "DETACH PARTITION ... CONCURRENTLY, alone in a migration with `-- migrate:up transaction:false`",
       "squawk:require-concurrent-partition-detach"},
      {"cannot-run-in-transaction", Level::error,
       "a statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM...) in a transactional "
       "section or a DO block",
       "move it alone into a migration with `-- migrate:up transaction:false` (never inside a DO block)",
       "squawk:ban-concurrent-index-creation-in-transaction"},
      {"constraint-not-valid-missing", Level::error,
       "ADD CONSTRAINT (foreign key or check) without NOT VALID on an existing table",
       "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes a weaker lock)",
       "squawk:adding-foreign-key-constraint squawk:constraint-missing-not-valid eugene:E1"},
      {"add-column-volatile-default", Level::error,
       "ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp()...) on an existing table",
       "add the column without a default (or a constant one), set the default, then backfill in batches",
       "squawk:adding-field-with-default"},
      {"add-column-required", Level::error, "ADD COLUMN ... NOT NULL without a default on an existing table",
       "add the column nullable (or NOT NULL with a constant default), backfill it, then SET NOT NULL safely",
       "squawk:adding-required-field"},
      {"add-unique-constraint", Level::error,
       "ADD UNIQUE or PRIMARY KEY (a constraint, or on an added column such as a serial primary key) on an existing "
       "table",
       "CREATE UNIQUE INDEX CONCURRENTLY first (transaction:false), then ADD CONSTRAINT ... UNIQUE/PRIMARY KEY USING "
       "INDEX",
       "squawk:disallowed-unique-constraint squawk:adding-serial-primary-key-field"},
      {"multiple-alter-table", Level::warning, "several ALTER TABLE statements on the same existing table in one migration",
       "one ALTER TABLE with its actions separated by commas: the lock is taken, and the table scanned, once",
       ""},
      {"alter-column-type", Level::error, "ALTER COLUMN ... TYPE on an existing table",
       "add a column of the new type, backfill it in batches, switch readers and writers, drop the old column",
       "squawk:changing-column-type eugene:E5"},
      {"set-not-null", Level::warning, "ALTER COLUMN ... SET NOT NULL on an existing table",
       "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan) and drop "
       "the check",
       "squawk:adding-not-nullable-field eugene:E2"},
      {"drop-not-null", Level::warning, "ALTER COLUMN ... DROP NOT NULL on an existing table",
       "make every client and view handle nulls in the column first (release before), then drop the constraint",
       "squawk:ban-drop-not-null"},
      {"rename-column", Level::warning, "RENAME COLUMN on an existing table",
       "add the new column, write both, move readers, then drop the old one in a later release",
       "squawk:renaming-column"},
      {"rename-table", Level::warning, "RENAME TABLE (ALTER TABLE ... RENAME TO) on an existing table",
       "create the new table (or a view with the old name) and move clients before dropping the old name",
       "squawk:renaming-table"},
      {"drop-column", Level::warning, "DROP COLUMN on an existing table",
       "stop every client using the column first (release before), then drop it", "squawk:ban-drop-column"},
      {"drop-table", Level::warning, "DROP TABLE of an existing table",
       "stop every client using the table first (release before), then drop it", "squawk:ban-drop-table"},
      {"drop-database", Level::error, "DROP DATABASE in a migration",
       "drop databases by hand, outside migrations (a migration changes the schema of the one it runs in)",
       "squawk:ban-drop-database"},
      {"truncate-cascade", Level::error, "TRUNCATE ... CASCADE",
       "TRUNCATE the tables you mean by name (or DELETE), without CASCADE", "squawk:ban-truncate-cascade"},
      {"prefer-text", Level::warning, "varchar(n) column", "text, with a CHECK (char_length(col) <= n) if a limit matters",
       "squawk:prefer-text-field"},
      {"ban-char", Level::warning, "char(n) column (blank-padded)", "text (or varchar without a length)",
       "squawk:ban-char-field"},
      {"prefer-bigint", Level::warning, "int, integer or serial id column (id or *_id)",
       "bigint (bigint generated always as identity for keys)",
       "squawk:prefer-bigint-over-int squawk:prefer-bigint-over-smallint"},
      {"prefer-identity", Level::warning, "serial, bigserial or smallserial column",
       "bigint generated always as identity (by default as identity where clients must set it)",
       "squawk:prefer-identity"},
      {"prefer-timestamptz", Level::warning, "timestamp without time zone column", "timestamptz",
       "squawk:prefer-timestamp-tz squawk:prefer-timestamptz"},
      {"prefer-jsonb", Level::warning, "json column", "jsonb", "eugene:E3"},
      {"domain-check-constraint", Level::warning,
       "CREATE DOMAIN with a CHECK constraint, or ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID",
       "a CHECK constraint on the table's column (added NOT VALID, then validated)",
       "squawk:ban-create-domain-with-constraint squawk:ban-alter-domain-with-add-constraint"},
      {"enum-value-unordered", Level::warning, "ALTER TYPE ... ADD VALUE without BEFORE or AFTER",
       "say where the value goes: ADD VALUE 'x' BEFORE 'y' (or AFTER), even when last is meant",
       "squawk:require-enum-value-ordering"},
      {"vacuum-full", Level::error, "VACUUM FULL in a migration",
       "plain VACUUM (or pg_repack / pg_squeeze outside migrations)", "squawk:prefer-repack"},
      {"cluster", Level::error, "CLUSTER in a migration", "pg_repack --order-by outside migrations, or leave it out",
       "squawk:prefer-repack"},
      {"rls-not-enabled", Level::error,
       "CREATE TABLE in public (or unqualified) without ALTER TABLE ... ENABLE ROW LEVEL SECURITY in the same file",
       "ALTER TABLE ... ENABLE ROW LEVEL SECURITY (and its policies) in the same migration",
       "splinter:rls_disabled_in_public"},
      {"security-definer-search-path", Level::error,
       "SECURITY DEFINER function without SET search_path (and none set later in the chain)",
       "add `SET search_path = ''` (or pg_catalog, public) to the function and qualify the names it uses",
       "splinter:function_search_path_mutable"},
      {"grant-to-anon", Level::warning, "GRANT to anon (the unauthenticated API role)",
       "grant to authenticated, or keep the grant and cover the table with RLS policies for anon", ""},
      {"extension-in-public", Level::warning, "CREATE EXTENSION without a schema, or in public",
       "CREATE EXTENSION ... WITH SCHEMA extensions", "splinter:extension_in_public"},
      {"transaction-nesting", Level::error, "BEGIN, COMMIT, ROLLBACK or SAVEPOINT inside a transactional section",
       "remove it: the tool runs each section in one transaction (or use `-- migrate:up transaction:false`)",
       "squawk:transaction-nesting squawk:ban-uncommitted-transaction"},
      {"lock-timeout-missing", Level::warning,
       "a statement that locks an existing table, with lock_timeout = 0 in the configuration and no SET lock_timeout "
       "before it in the section",
       "set lock_timeout in the configuration (the tool then sets it for every migration), or SET lock_timeout "
       "at the top of the section",
       "squawk:require-lock-timeout squawk:require-timeout-settings"},
      {"statement-timeout-missing", Level::info,
       "a statement that locks an existing table, with statement_timeout = 0 in the configuration and no SET "
       "statement_timeout before it in the section",
       "set statement_timeout in the configuration (as [env.production] does), or SET statement_timeout at the top "
       "of the section",
       "squawk:require-statement-timeout squawk:require-timeout-settings"},
      {"identifier-too-long", Level::error, "an identifier longer than 63 bytes",
       "a name of at most 63 bytes (PostgreSQL truncates longer ones)", "squawk:identifier-too-long"},
      {"ignore-invalid", Level::error, "an autocrm-migrate:ignore comment without a reason or with an unknown rule",
       "-- autocrm-migrate:ignore RULE[, RULE] why it is safe here", ""},
      {"ignore-unused", Level::info, "an ignore comment that matches no finding",
       "remove the comment (the statement no longer needs it)", "squawk:unused-ignore"},
  };
  return all;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : rules())
    if (id == r.id) return &r;
  return nullptr;
}

std::vector<std::string> equivalents_of(const Rule& rule) {
  std::vector<std::string> out;
  std::string_view all = rule.equivalents;
  while (!all.empty()) {
    auto space = all.find(' ');
    out.emplace_back(all.substr(0, space));
    if (space == std::string_view::npos) break;
    all.remove_prefix(space + 1);
  }
  return out;
}

std::vector<std::string> rules_for_squawk(std::string_view squawk_name) {
  std::vector<std::string> out;
  const std::string wanted = "squawk:" + std::string(squawk_name);
  for (const auto& r : rules())
    for (const auto& e : equivalents_of(r))
      if (e == wanted) out.emplace_back(r.id);
  return out;
}

}  // namespace lint
