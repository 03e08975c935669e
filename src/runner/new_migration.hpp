// `new NAME`: writes a timestamped migration file from a template.
#pragma once

#include <string>

#include "core/config.hpp"
#include "runner/commands.hpp"

namespace runner {

// Creates migrations_dir/VERSION_NAME.sql from templates_dir/TEMPLATE.sql (plain, table...);
// table fills {{table}} (default: NAME without a leading "create_"). No database is touched.
Outcome cmd_new(const core::Config& config, const std::string& name, const std::string& template_name,
                const std::string& table);

}  // namespace runner
