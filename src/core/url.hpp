// Percent-encoding of URL parts, and quoting of values for libpq's key=value conninfo.
#pragma once

#include <string>
#include <string_view>

namespace core {

// Encodes every byte of s that is not an ASCII letter, digit or one of keep as %XX.
std::string percent_encode(std::string_view s, std::string_view keep);

// Decodes %XX escapes of a URL component.
std::string percent_decode(std::string_view s);

// True when s is a postgres:// or postgresql:// URL.
bool is_postgres_url(std::string_view s);

// A value quoted for a key=value conninfo string: 'it''s' with \ and ' escaped.
std::string quote_conninfo_value(std::string_view v);

}  // namespace core
