// Before the first `up` of a database without a ledger: objects that the pending migrations create
// (CREATE TABLE / CREATE SCHEMA without IF NOT EXISTS) must not be there already, or the database
// was migrated before (its ledger dropped, or another tool's) and applying everything would be wrong.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/plan.hpp"
#include "core/sql_split.hpp"
#include "runner/session.hpp"

namespace runner {

// Throws core::Failure naming what exists already, which migration creates it, and what to do.
void refuse_unrecorded_objects(WriteSession& s, const std::vector<const core::PlanEntry*>& chosen,
                               const std::map<std::string, core::StatementList>& statements);

}  // namespace runner
