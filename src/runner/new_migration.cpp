#include "runner/new_migration.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>

#include "core/discovery.hpp"
#include "core/error.hpp"
#include "core/scaffold.hpp"

namespace fs = std::filesystem;

namespace runner {

Outcome cmd_new(const core::Config& config, const std::string& name, const std::string& template_name,
                const std::string& table_arg) {
  core::check_new_name(name, "migration name");
  std::string table = table_arg.empty() ? (name.starts_with("create_") ? name.substr(7) : name) : table_arg;
  core::check_new_name(table, "table name");
  core::check_new_name(template_name, "template name");
  fs::path template_path = config.templates_dir() / (template_name + ".sql");
  std::error_code ec;
  if (!fs::exists(template_path, ec)) {
    std::vector<std::string> known;
    for (const auto& entry : fs::directory_iterator(config.templates_dir(), ec))
      if (entry.path().extension() == ".sql") known.push_back(entry.path().stem().string());
    std::sort(known.begin(), known.end());
    throw core::UsageError(fmt::format("{}: no such template", template_path.generic_string()),
                           known.empty() ? "set templates_dir" : fmt::format("templates: {}", fmt::join(known, ", ")));
  }
  std::string text = core::read_file(template_path);
  fs::path dir = config.migrations_dir();
  fs::create_directories(dir, ec);
  std::string version = core::version_at(std::chrono::system_clock::now());
  // Versions must stay unique even for two files made within one second.
  auto taken = [&](const std::string& v) {
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().filename().string().starts_with(v + "_")) return true;
    return false;
  };
  while (taken(version)) version = core::next_version(version);
  fs::path path = dir / fmt::format("{}_{}.sql", version, name);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw core::Failure(fmt::format("{}: cannot create: {}", path.generic_string(), std::strerror(errno)));
  std::string content = core::render_template(text, version, name, table);
  bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  close(fd);
  if (!ok) throw core::Failure(fmt::format("{}: write failed", path.generic_string()));
  Outcome out;
  out.report.set("command", "new").set("version", version).set("name", name).set("path", path.generic_string());
  out.report.set("template", template_name);
  return out;
}

}  // namespace runner
