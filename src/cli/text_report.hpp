// Human-readable renderings of command reports (--format text); the JSON form is the report itself.
#pragma once

#include "runner/commands.hpp"

namespace cli {

// Prints the text form of a command's report on stdout (progress lines were printed as it ran).
void print_text_report(const runner::Outcome& out);

}  // namespace cli
