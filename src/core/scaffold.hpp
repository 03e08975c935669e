// New migration files from templates: names, versions and placeholder substitution.
#pragma once

#include <chrono>
#include <string>

namespace core {

// The version for a file created at time t: UTC as YYYYMMDDHHMMSS.
std::string version_at(std::chrono::system_clock::time_point t);

// The version one second after version (used when a version is already taken).
std::string next_version(const std::string& version);

// Replaces {{version}}, {{name}} and {{table}} in a template's text.
std::string render_template(const std::string& text, const std::string& version, const std::string& name,
                            const std::string& table);

// Checks a NAME given to `new`: lowercase letters, digits and '_'; throws UsageError otherwise.
void check_new_name(const std::string& name, const char* what);

}  // namespace core
