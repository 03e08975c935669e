// Keeps passwords out of every output: URL masking and a process-wide redaction list.
#pragma once

#include <string>
#include <string_view>

namespace core {

// Returns a connection URL or key=value conninfo with its password replaced by "****".
std::string mask_password(std::string_view conninfo);

// Extracts the password of a URL or conninfo string; empty when there is none.
std::string password_of(std::string_view conninfo);

// Remembers a secret so that redact() masks it wherever it appears (ignores short or empty strings).
void register_secret(const std::string& secret);

// Replaces every registered secret in text with "****"; used on everything the program prints.
std::string redact(std::string_view text);

}  // namespace core

