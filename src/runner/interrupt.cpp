#include "runner/interrupt.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "core/error.hpp"

namespace runner {

namespace {

std::atomic<int> g_signal{0};
std::atomic<db::MigrationSession*> g_session{nullptr};
struct sigaction g_old_int, g_old_term;

extern "C" void on_signal(int sig) {
  if (g_signal.exchange(sig) != 0) _exit(128 + sig);  // the second signal: at once
  if (db::MigrationSession* s = g_session.load()) s->cancel_running();
  const char msg[] = "\nautocrm-migrate: interrupted: cancelling the running statement and rolling back "
                     "(press again to exit at once)\n";
  [[maybe_unused]] auto n = write(2, msg, sizeof msg - 1);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a wait in poll() returns, the command notices
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  g_session.store(nullptr);
}

void cancel_target(db::MigrationSession* session) { g_session.store(session); }

int interrupted_by() { return g_signal.load(); }

void throw_if_interrupted(const std::string& what) {
  int sig = interrupted_by();
  if (!sig) return;
  throw core::Interrupted(sig, std::string("interrupted by ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + " " + what,
                          "run `autocrm-migrate status` to see what is applied; `up` goes on from there");
}

void interruptible_sleep(long long ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!interrupted_by() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace runner
