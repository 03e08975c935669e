// The command line: parses arguments, runs a command, prints its report, picks the exit code.
#pragma once

namespace cli {

// Runs autocrm-migrate with argv; returns the process exit code (see core::ExitCode).
int run(int argc, char** argv);

}  // namespace cli
