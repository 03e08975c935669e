#include "core/error.hpp"

#include <fmt/format.h>

#include <csignal>

namespace core {

UsageError combine_errors(const std::vector<UsageError>& problems, const std::string& what) {
  if (problems.size() == 1) return problems.front();
  std::string message = fmt::format("{} {}:", problems.size(), what);
  for (const auto& p : problems) {
    message += fmt::format("\n{}", p.what());
    if (!p.hint().empty()) message += fmt::format("\n  hint: {}", p.hint());
  }
  return UsageError(message);
}

Interrupted::Interrupted(int signal, const std::string& message, std::string hint)
    : Error(signal == SIGTERM ? ExitCode::sigterm : ExitCode::sigint, message, std::move(hint)) {}

}  // namespace core
