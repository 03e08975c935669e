// SIGINT and SIGTERM during a writing command: the first cancels the statement running on the
// server (PQcancel) and marks the run interrupted, so that the command rolls back, releases its
// lock and says what happened; a second exits at once.
#pragma once

#include <string>

#include "db/migration_session.hpp"

namespace runner {

// Installs the handlers for its lifetime (restoring the previous ones after).
class InterruptGuard {
public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The session whose running statement a signal cancels (nullptr: none).
void cancel_target(db::MigrationSession* session);

// The signal that interrupted the run (SIGINT, SIGTERM), or 0.
int interrupted_by();

// Throws core::Interrupted when a signal came: "interrupted by SIGINT <what>", e.g. "while applying
// x (up): its transaction was rolled back, nothing of it was applied".
void throw_if_interrupted(const std::string& what);

// Sleeps up to ms milliseconds, waking early when a signal comes.
void interruptible_sleep(long long ms);

}  // namespace runner
