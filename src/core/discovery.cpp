#include "core/discovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace core {

std::string read_file(const fs::path& path) {
  std::error_code dir_ec;
  if (fs::is_directory(path, dir_ec))
    throw UsageError(fmt::format("{}: cannot read: it is a folder, not a file", path.generic_string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("{}: cannot read: {}", path.generic_string(), std::strerror(errno)));
  std::string data;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size > 0) {
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
  }
  if (!in && !in.eof()) throw UsageError(fmt::format("{}: cannot read", path.generic_string()));
  return data;
}

namespace {

// The *.sql files directly in dir (any case of the extension), sorted, named relative to the
// current folder when inside it, as the user would type them.
std::vector<fs::path> list_sql_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    // A symlink loop or a folder that cannot be entered is not "not found": say what it is.
    if (ec && ec != std::errc::no_such_file_or_directory)
      throw UsageError(fmt::format("{}: cannot open the migrations folder: {}", dir.generic_string(), ec.message()));
    throw UsageError(fmt::format("{}: migrations folder not found", dir.generic_string()),
                     "create it, or set migrations_dir in autocrm-migrate.toml or --migrations-dir");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with(".")) continue;
    // "x.SQL" or "x.Sql" is a migration someone meant to run: not ignored silently, but reported.
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower.ends_with(".sql")) continue;
    files.push_back(entry.path());
  }
  if (ec) throw UsageError(fmt::format("{}: cannot list: {}", dir.generic_string(), ec.message()));
  std::sort(files.begin(), files.end());
  fs::path cwd = fs::current_path(ec);
  for (auto& f : files) {
    auto rel = f.lexically_relative(cwd);
    if (!rel.empty() && *rel.begin() != "..") f = rel;
  }
  return files;
}

// What a *.sql entry is when it is not a regular file, or nothing: a FIFO would block the read,
// a device or socket is not a file; each is reported, never skipped silently.
std::optional<std::string> special_kind(const fs::file_status& status) {
  switch (status.type()) {
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block: return "a block device";
    case fs::file_type::character: return "a character device";
    default: return std::nullopt;
  }
}

// Where a symlink in dir points when that is outside dir, else "".
std::string link_outside(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return {};
  fs::path target = fs::canonical(path, ec), folder = fs::canonical(dir, ec);
  if (ec) return {};
  auto rel = target.lexically_relative(folder);
  return rel.empty() || *rel.begin() == ".." ? target.generic_string() : std::string();
}

}  // namespace

Discovered discover(const fs::path& dir, NameRules rules) {
  std::vector<fs::path> files = list_sql_files(dir);
  Discovered found;
  std::vector<Migration>& out = found.files;
  std::vector<UsageError> problems;
  std::map<std::string, std::string> seen;  // version -> file
  for (const auto& path : files) {
    try {
      std::error_code st;
      auto status = fs::status(path, st);
      if (st) throw UsageError(fmt::format("{}: cannot read: {}", path.generic_string(), st.message()));
      if (auto kind = special_kind(status))
        throw UsageError(fmt::format("{}: cannot read: it is {}, not a file", path.generic_string(), *kind),
                         "remove it from the migrations folder, or replace it with the migration file");
      if (!fs::is_regular_file(status)) continue;  // a folder named *.sql: not a migration
      if (!path.filename().string().ends_with(".sql"))
        throw UsageError(fmt::format("{}: bad migration file name: the extension must be '.sql' in lowercase",
                                     path.generic_string()),
                         "rename the file");
      const std::string file_name = path.filename().string();
      if ((file_name[0] < '0' || file_name[0] > '9') && rules == NameRules::compatible) {
        found.skipped.push_back(fmt::format("{}: ignored: not a migration file name (it must start with the version's "
                                            "digits, e.g. 20260101000000_name.sql), as dbmate and the Supabase CLI "
                                            "ignore it",
                                            path.generic_string()));
        continue;
      }
      auto m = parse_migration(read_file(path), file_name, path, rules);
      m.link_target = link_outside(path, dir);
      if (auto it = seen.find(m.version); it != seen.end()) {
        throw UsageError(fmt::format("{}: duplicate version {} (also {})", m.display_path(), m.version, it->second),
                         "give one of them a new version");
      }
      seen.emplace(m.version, m.display_path());
      out.push_back(std::move(m));
    } catch (const UsageError& e) {
      problems.push_back(e);
    }
  }
  if (!problems.empty()) throw combine_errors(problems, "migration files are invalid");
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (const auto& m : out) found.warnings.insert(found.warnings.end(), m.warnings.begin(), m.warnings.end());
  // Versions compare as text (as the other tools compare them): 9_x sorts after 10_x.
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].version.size() != out[0].version.size()) {
      found.warnings.push_back(fmt::format("{} and {}: versions of different lengths ({} and {} digits) sort as text, "
                                           "not as numbers: pad them to one width",
                                           out[0].display_path(), out[i].display_path(), out[0].version.size(),
                                           out[i].version.size()));
      break;
    }
  return found;
}

std::vector<Migration> discover_migrations(const fs::path& dir, NameRules rules) {
  return discover(dir, rules).files;
}

}  // namespace core
