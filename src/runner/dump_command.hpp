// `dump`: a deterministic schema file of the database (pg_dump --schema-only without its noise,
// the applied migrations appended), written, or compared with the committed one (--check).
#pragma once

#include <string>

#include "core/config.hpp"
#include "db/ledger.hpp"
#include "runner/commands.hpp"
#include "runner/reporter.hpp"

namespace runner {

// The schema of conninfo's database as the schema file holds it: pg_dump --schema-only --no-owner
// (privileges kept), Supabase's schemas and the ledger's left out, no version header, a fixed
// \restrict key, then the versions the ledger records as applied. Identical bytes for identical
// schemas. Throws core::Failure when pg_dump fails (with its message).
std::string schema_dump(const core::Config& config, const std::string& conninfo, db::Ledger& ledger);

// `dump`: writes schema_file (or path, when given); with check, writes nothing and exits 3 with a
// unified diff when the file differs from the database.
Outcome cmd_dump(const core::Config& config, Reporter& reporter, bool check, const std::string& path);

// After up, down or redo changed the database: rewrites schema_file when the configuration sets
// it. A failure is a warning on the reporter: the migrations themselves succeeded.
void refresh_schema_file(const core::Config& config, Reporter& reporter, const std::string& conninfo,
                         db::Ledger& ledger);

}  // namespace runner
