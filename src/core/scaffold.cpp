#include "core/scaffold.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/error.hpp"

namespace core {

std::string version_at(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string next_version(const std::string& version) {
  std::tm tm{};
  tm.tm_year = std::stoi(version.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(version.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(version.substr(6, 2));
  tm.tm_hour = std::stoi(version.substr(8, 2));
  tm.tm_min = std::stoi(version.substr(10, 2));
  tm.tm_sec = std::stoi(version.substr(12, 2)) + 1;
  return version_at(std::chrono::system_clock::from_time_t(timegm(&tm)));
}

std::string render_template(const std::string& text, const std::string& version, const std::string& name,
                            const std::string& table) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("{{", pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    auto close = text.find("}}", open);
    if (close == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    std::string key = text.substr(open + 2, close - open - 2);
    if (key == "version") out += version;
    else if (key == "name") out += name;
    else if (key == "table") out += table;
    else out += text.substr(open, close + 2 - open);
    pos = close + 2;
  }
  return out;
}

void check_new_name(const std::string& name, const char* what) {
  bool ok = !name.empty() && name.size() <= 63 && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw UsageError(fmt::format("bad {} '{}': use lowercase letters, digits and '_', starting with a letter", what,
                                 name));
}

}  // namespace core
