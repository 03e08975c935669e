// Text helpers shared by the parsers: normalization, UTF-8 validation, offsets to lines.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace core {

// Removes a leading UTF-8 BOM and turns CRLF and lone CR line endings into LF.
std::string normalize_text(std::string_view raw);
// The same, in place (the text only shrinks).
void normalize_text_in_place(std::string& text);

// Where the first invalid UTF-8 sequence starts, if any.
struct Utf8Problem {
  int line;           // 1-based line
  int column;         // 1-based byte column
  unsigned char byte; // the offending byte
};
// Returns the first invalid UTF-8 sequence of text, or nothing when text is valid UTF-8.
std::optional<Utf8Problem> find_invalid_utf8(std::string_view text);

// 1-based line number of byte offset within text.
int line_of_offset(std::string_view text, std::size_t offset);

// Byte offset of the 1-based character (code point) position pos within UTF-8 text; clamps to size.
std::size_t byte_offset_of_char(std::string_view text, int pos);

// The whole line (without its newline) holding byte offset, and the offset's column in it.
std::pair<std::string_view, std::size_t> line_around(std::string_view text, std::size_t offset);

// Lowercase hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

// True when text has nothing but whitespace and "--" comment lines.
bool is_blank_sql(std::string_view text);

// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view s);

// Escapes text for a GitHub Actions workflow command (::error ...::message): %, CR and LF; with
// property (file=, title=), also ':' and ','.
std::string github_escape(std::string_view s, bool property = false);

}  // namespace core

namespace core {

// Quotes a PostgreSQL identifier for SQL text: "a""b" (always quoted, so any name is safe).
std::string quote_identifier(std::string_view name);

// A count rounded to a whole number with thousands separators: 1234567 -> "1,234,567".
std::string group_thousands(double value);

}  // namespace core
