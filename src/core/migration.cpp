#include "core/migration.hpp"

#include <fmt/format.h>


#include "core/error.hpp"
#include "core/text.hpp"

namespace core {

namespace {

bool is_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// A "-- migrate:..." marker line: its kind and the options after it.
struct Marker {
  std::string kind;
  std::vector<std::string> options;
};

// Recognizes a marker: a line starting with "--", optional spaces, then "migrate:".
std::optional<Marker> parse_marker(std::string_view line) {
  auto t = trim(line);
  if (!t.starts_with("--")) return std::nullopt;
  t.remove_prefix(2);
  t = trim(t);
  if (!t.starts_with("migrate:")) return std::nullopt;
  t.remove_prefix(8);
  Marker m;
  std::size_t pos = 0;
  bool first = true;
  while (pos < t.size()) {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == '\t')) ++pos;
    if (pos >= t.size()) break;
    auto end = t.find_first_of(" \t", pos);
    std::string word(t.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (first) m.kind = word;
    else m.options.push_back(word);
    first = false;
    pos = end == std::string_view::npos ? t.size() : end;
  }
  return m;
}

}  // namespace

MigrationName parse_migration_name(const std::string& file_name, const std::string& display) {
  const char* expected = "expected YYYYMMDDHHMMSS_descriptive_name.sql (14 digits, '_', lowercase letters, digits, '_')";
  if (!file_name.ends_with(".sql"))
    throw UsageError(fmt::format("{}: not a migration file name: {}", display, expected));
  std::string stem = file_name.substr(0, file_name.size() - 4);
  auto underscore = stem.find('_');
  if (underscore != 14 || !is_digits(std::string_view(stem).substr(0, 14)))
    throw UsageError(fmt::format("{}: bad migration file name: {}", display, expected),
                     "rename the file, e.g. with a version from `autocrm-migrate new NAME`");
  std::string name = stem.substr(15);
  bool ok = !name.empty();
  for (char c : name) ok = ok && is_name_char(c);
  if (!ok)
    throw UsageError(fmt::format("{}: bad migration file name: the name part '{}' must be lowercase letters, "
                                 "digits and '_'",
                                 display, name));
  int month = std::stoi(stem.substr(4, 2)), day = std::stoi(stem.substr(6, 2));
  int hour = std::stoi(stem.substr(8, 2)), minute = std::stoi(stem.substr(10, 2)), second = std::stoi(stem.substr(12, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    throw UsageError(fmt::format("{}: bad migration version {}: not a valid UTC timestamp YYYYMMDDHHMMSS", display,
                                 stem.substr(0, 14)));
  return {stem.substr(0, 14), name};
}

namespace {

// Rejects what no migration may be, before anything else looks at the text: invalid UTF-8 and NUL bytes.
void check_text(std::string_view raw_content, const std::string& display) {
  if (auto bad = find_invalid_utf8(raw_content.starts_with("\xEF\xBB\xBF") ? raw_content.substr(3) : raw_content))
    throw UsageError(fmt::format("{}:{}: invalid UTF-8 (byte 0x{:02x} at column {})", display, bad->line,
                                 bad->byte, bad->column),
                     "save the file as UTF-8");
  // A NUL byte is valid UTF-8 but no SQL: the parser (a C string) would stop there and silently drop
  // everything after it, and the server refuses it in query text.
  if (auto nul = raw_content.find('\0'); nul != std::string_view::npos) {
    auto before = raw_content.substr(0, nul);
    auto line_start = before.rfind('\n');
    std::size_t column = nul - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    throw UsageError(fmt::format("{}:{}: NUL byte (0x00) at column {}: a migration file is text", display,
                                 line_of_offset(raw_content, nul), column),
                     "remove the byte, or save the file as UTF-8 text");
  }
}

// The section a marker opens, after checking its kind, order and options.
Section& open_section(Migration& m, const Marker& marker, int line_no, const std::string& display) {
  Section* target = nullptr;
  if (marker.kind == "up") target = &m.up;
  else if (marker.kind == "down") target = &m.down;
  else
    throw UsageError(fmt::format("{}:{}: unknown marker '-- migrate:{}'", display, line_no, marker.kind),
                     "the markers are '-- migrate:up' and '-- migrate:down'");
  if (target->present)
    throw UsageError(fmt::format("{}:{}: repeated '-- migrate:{}' (first at line {})", display, line_no, marker.kind,
                                 target->marker_line),
                     "a file holds one up and one down section");
  if (target == &m.down && !m.up.present)
    throw UsageError(fmt::format("{}:{}: '-- migrate:down' before '-- migrate:up'", display, line_no),
                     "put the up section first");
  for (const auto& opt : marker.options) {
    if (opt == "transaction:false") target->transaction = false;
    else if (opt == "transaction:true") target->transaction = true;
    else if (opt == "irreversible" && target == &m.down) target->irreversible = true;
    else
      throw UsageError(fmt::format("{}:{}: unknown option '{}' on '-- migrate:{}'", display, line_no, opt, marker.kind),
                       target == &m.down ? "options: transaction:false, irreversible" : "options: transaction:false");
  }
  target->present = true;
  target->marker_line = line_no;
  target->body_line = line_no + 1;
  return *target;
}

// Rejects missing, empty and contradictory sections; last_line is the file's last line.
void check_sections(const Migration& m, int last_line, const std::string& display) {
  if (!m.up.present)
    throw UsageError(fmt::format("{}:1: no '-- migrate:up' section", display),
                     "a migration file starts with '-- migrate:up', then its SQL");
  if (is_blank_sql(m.up.body))
    throw UsageError(fmt::format("{}:{}: empty up section", display, m.up.marker_line),
                     "write the SQL to apply after '-- migrate:up'");
  if (!m.down.present)
    throw UsageError(fmt::format("{}:{}: no '-- migrate:down' section", display, last_line == 0 ? 1 : last_line),
                     "add '-- migrate:down' with the SQL that reverts the up section, or "
                     "'-- migrate:down irreversible' if it cannot be reverted");
  if (m.down.irreversible && !is_blank_sql(m.down.body))
    throw UsageError(fmt::format("{}:{}: an irreversible down section must be empty", display, m.down.marker_line),
                     "remove the SQL or the 'irreversible' option");
  if (!m.down.irreversible && is_blank_sql(m.down.body))
    throw UsageError(fmt::format("{}:{}: empty down section", display, m.down.marker_line),
                     "write the SQL that reverts the up section, or mark it '-- migrate:down irreversible'");
}

}  // namespace

Migration parse_migration(std::string_view raw_content, const std::string& file_name, const std::filesystem::path& path) {
  return parse_migration(std::string(raw_content), file_name, path);
}

Migration parse_migration(std::string&& raw_content, const std::string& file_name, const std::filesystem::path& path) {
  const std::string display = path.generic_string();
  auto parsed_name = parse_migration_name(file_name, display);
  check_text(raw_content, display);
  normalize_text_in_place(raw_content);
  auto shared = std::make_shared<const std::string>(std::move(raw_content));
  const std::string& content = *shared;

  Migration m;
  m.version = parsed_name.version;
  m.name = parsed_name.name;
  m.path = path;
  m.checksum = sha256_hex(content);
  m.content = shared;

  Section* current = nullptr;
  int line_no = 0;
  std::size_t pos = 0;
  std::size_t body_start = 0;
  auto close_section = [&](std::size_t end) {
    if (current) current->body = std::string_view(content).substr(body_start, end - body_start);
  };
  while (pos < content.size()) {
    ++line_no;
    auto nl = content.find('\n', pos);
    std::size_t line_end = nl == std::string::npos ? content.size() : nl;
    std::string_view line(content.data() + pos, line_end - pos);
    std::size_t next = nl == std::string::npos ? content.size() : nl + 1;
    if (auto marker = parse_marker(line)) {
      Section& target = open_section(m, *marker, line_no, display);
      close_section(pos);
      current = &target;
      body_start = next;
    } else if (!current && !trim(line).empty() && !trim(line).starts_with("--")) {
      throw UsageError(fmt::format("{}:{}: SQL before '-- migrate:up'", display, line_no),
                       "start the file with a '-- migrate:up' line");
    }
    pos = next;
  }
  close_section(content.size());
  check_sections(m, line_no, display);
  return m;
}

StatementList section_statements(const Migration& m, const Section& s) {
  auto statements = split_statements(m.content, s.body, m.display_path(), s.body_line);
  if (statements.empty() && !s.irreversible)
    throw UsageError(fmt::format("{}:{}: the section has no SQL statement", m.display_path(), s.marker_line));
  return statements;
}

}  // namespace core
