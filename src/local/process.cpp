#include "local/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace local {

namespace {

std::vector<char*> c_args(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return {-1, "pipe failed"};
  auto args = c_args(argv);
  pid_t pid = fork();
  if (pid < 0) return {-1, "fork failed"};
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    if (run_as) {
      if (initgroups(run_as->name.c_str(), run_as->gid) != 0 || setgid(run_as->gid) != 0 ||
          setuid(run_as->uid) != 0) {
        const char msg[] = "cannot switch to the postgres user\n";
        [[maybe_unused]] auto n = write(2, msg, sizeof msg - 1);
        _exit(126);
      }
    }
    execvp(args[0], args.data());
    const char msg[] = "cannot run program\n";
    [[maybe_unused]] auto n = write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  close(pipefd[1]);
  ProcessResult result;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) result.output.append(buffer, static_cast<std::size_t>(n));
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

void exec_process(const std::vector<std::string>& argv) {
  auto args = c_args(argv);
  execvp(args[0], args.data());
}

std::optional<RunAs> postgres_user() {
  passwd* pw = getpwnam("postgres");
  if (!pw) return std::nullopt;
  return RunAs{pw->pw_uid, pw->pw_gid, "postgres"};
}

}  // namespace local
