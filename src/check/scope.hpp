// What `check` looks at: user schemas only. Supabase's own schemas and the tool's ledger schema are
// their owners' business, except the policies users write on storage.objects.
#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.hpp"

namespace check {

// The snapshot without objects in managed schemas or in extra_schemas (the ledger's), keeping the
// policies on storage.objects.
catalog::Snapshot without_managed(catalog::Snapshot snapshot, const std::vector<std::string>& extra_schemas);

}  // namespace check
