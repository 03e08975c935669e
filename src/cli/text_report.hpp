// Human-readable renderings of command reports (--format text); the JSON form is the report itself.
#pragma once

#include <string>

#include "runner/commands.hpp"

namespace cli {

// Prints the text form of a command's report on stdout (progress lines were printed as it ran).
void print_text_report(const runner::Outcome& out);

// Prints a check report in the chosen format (text, json, junit, github); text is coloured on a
// terminal unless NO_COLOR is set.
void print_check_report(const runner::Outcome& out, const std::string& format);

}  // namespace cli
