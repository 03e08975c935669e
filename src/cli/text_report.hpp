// Human-readable renderings of command reports (--format text); the JSON form is the report itself.
#pragma once

#include "core/json.hpp"

namespace cli {

// `status`: one line per version, then the counts.
void print_status(const core::Json& report);
// `validate`: each problem with its file, then the verdict.
void print_validate(const core::Json& report);
// `config show`: every value with its origin.
void print_config(const core::Json& report);
// `dev ...`: the embedded database's state, or its URL.
void print_dev(const core::Json& report);
// `new`: the file created.
void print_new(const core::Json& report);

}  // namespace cli
