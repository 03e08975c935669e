// Runs helper programs (initdb, pg_ctl, psql), optionally as another system user.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace local {

// A system user to run a program as (when the tool itself runs as root).
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::string name;
};

// What a finished program returned.
struct ProcessResult {
  int exit_code = -1;   // 128+signal when killed by a signal
  std::string output;   // stdout and stderr, interleaved
};

// Runs argv[0] (looked up in PATH unless it has a '/'), waits, and returns its exit code and output.
// With run_as, the child switches to that user first. stdin is /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as = std::nullopt);

// Replaces the current process with argv (for `dev psql`); returns only on failure, with errno set.
void exec_process(const std::vector<std::string>& argv);

// The "postgres" system user, or nothing when there is none.
std::optional<RunAs> postgres_user();

}  // namespace local
