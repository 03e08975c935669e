// The schemas other parties manage: Supabase's own (and common extension schemas). check and
// drift leave objects in them to their owners.
#pragma once

#include <string>
#include <vector>

namespace catalog {

// The schemas Supabase manages (auth, storage, realtime, extensions, graphql, ...).
const std::vector<std::string>& managed_schemas();

}  // namespace catalog
