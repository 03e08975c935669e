#include "core/migration.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/error.hpp"
#include "core/text.hpp"

namespace core {

namespace {

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

namespace {

// How a name differs from `new`'s strict form (YYYYMMDDHHMMSS_lowercase_name), one phrase per difference.
std::vector<std::string> strict_form_problems(const std::string& version, const std::string& name, bool underscore) {
  std::vector<std::string> out;
  if (version.size() != 14) {
    out.push_back(fmt::format("the version {} is not 14 digits (YYYYMMDDHHMMSS)", version));
  } else {
    int month = std::stoi(version.substr(4, 2)), day = std::stoi(version.substr(6, 2));
    int hour = std::stoi(version.substr(8, 2)), minute = std::stoi(version.substr(10, 2));
    int second = std::stoi(version.substr(12, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
      out.push_back(fmt::format("bad migration version {}: not a valid UTC timestamp YYYYMMDDHHMMSS", version));
  }
  if (!underscore || name.empty()) {
    out.push_back("no '_' and descriptive name after the version");
  } else {
    bool ok = true;
    for (char c : name) ok = ok && is_name_char(c);
    if (!ok) out.push_back(fmt::format("the name part '{}' must be lowercase letters, digits and '_'", name));
  }
  return out;
}

}  // namespace

MigrationName parse_migration_name(const std::string& file_name, const std::string& display, NameRules rules) {
  const char* expected = "expected YYYYMMDDHHMMSS_descriptive_name.sql (14 digits, '_', lowercase letters, digits, '_')";
  if (!file_name.ends_with(".sql"))
    throw UsageError(fmt::format("{}: not a migration file name: {}", display, expected));
  std::string stem = file_name.substr(0, file_name.size() - 4);
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
  if (digits == 0)
    throw UsageError(fmt::format("{}: bad migration file name: {}", display, expected),
                     "rename the file, e.g. with a version from `autocrm-migrate new NAME`");
  MigrationName out;
  out.version = stem.substr(0, digits);
  bool underscore = digits < stem.size() && stem[digits] == '_';
  out.name = stem.substr(underscore ? digits + 1 : digits);
  auto problems = strict_form_problems(out.version, out.name, underscore);
  if (rules == NameRules::strict && !problems.empty()) {
    bool only_version = problems.size() == 1 && problems[0].starts_with("bad migration version");
    if (only_version) throw UsageError(fmt::format("{}: {}", display, problems[0]));
    if (problems[0].starts_with("the name part"))
      throw UsageError(fmt::format("{}: bad migration file name: {}", display, problems[0]));
    throw UsageError(fmt::format("{}: bad migration file name: {} ({})", display, expected, problems[0]),
                     "rename the file, e.g. with a version from `autocrm-migrate new NAME`");
  }
  for (auto& p : problems)
    out.warnings.push_back(fmt::format("{}: not in the strict form YYYYMMDDHHMMSS_lowercase_name.sql: {}", display, p));
  return out;
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

// Rejects contradictory sections and notes the accepted-but-odd ones (dbmate's meanings: an empty
// section runs nothing; a file without a down section cannot be reverted by `down`).
void check_sections(Migration& m, int last_line, const std::string& display) {
  if (m.up_only) {
    if (is_blank_sql(m.up.body))
      m.warnings.push_back(fmt::format("{}:1: empty migration: applying it records its version and runs nothing",
                                       display));
    return;
  }
  if (!m.up.present)
    throw UsageError(fmt::format("{}:1: no '-- migrate:up' section", display),
                     "a migration file starts with '-- migrate:up', then its SQL");
  if (is_blank_sql(m.up.body))
    m.warnings.push_back(fmt::format("{}:{}: empty up section: applying it records its version and runs nothing",
                                     display, m.up.marker_line));
  if (!m.down.present)
    m.warnings.push_back(fmt::format("{}:{}: no '-- migrate:down' section: `down` will refuse to revert it", display,
                                     last_line == 0 ? 1 : last_line));
  if (m.down.irreversible && !is_blank_sql(m.down.body))
    throw UsageError(fmt::format("{}:{}: an irreversible down section must be empty", display, m.down.marker_line),
                     "remove the SQL or the 'irreversible' option");
  if (m.down.present && !m.down.irreversible && is_blank_sql(m.down.body))
    m.warnings.push_back(fmt::format("{}:{}: empty down section: `down` reverts nothing and removes its ledger row",
                                     display, m.down.marker_line));
}

// True when a line comment at line looks like a marker someone mistyped ("-- Migrate:Up",
// "-- migrate up"): in a file without real markers it would make the down SQL part of the up.
bool looks_like_marker(std::string_view line) {
  auto t = trim(line);
  if (!t.starts_with("--")) return false;
  std::string rest;
  for (char c : t.substr(2))
    if (c != ' ' && c != '\t' && c != ':' && c != '_' && c != '-')
      rest += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view kind : {"migrateup", "migratedown"}) {
    if (!rest.starts_with(kind)) continue;
    std::string_view options = std::string_view(rest).substr(kind.size());
    if (options.empty() || options.starts_with("transaction") || options.starts_with("irreversible")) return true;
  }
  return false;
}

// A line that may be a marker: where it starts and ends, its number, and the marker if it is spelled as one.
struct MarkerLine {
  std::size_t start = 0, next = 0;
  int line = 0;
  std::optional<Marker> marker;
};

// The marker-looking lines of content, in order.
std::vector<MarkerLine> marker_lines(std::string_view content, int& last_line) {
  std::vector<MarkerLine> out;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    ++line_no;
    auto nl = content.find('\n', pos);
    std::size_t line_end = nl == std::string_view::npos ? content.size() : nl;
    std::size_t next = nl == std::string_view::npos ? content.size() : nl + 1;
    std::string_view line = content.substr(pos, line_end - pos);
    auto marker = parse_marker(line);
    if (marker || looks_like_marker(line)) out.push_back({pos, next, line_no, marker});
    pos = next;
  }
  last_line = line_no;
  return out;
}

// True when offset `at` of text is outside every string, quoted identifier, dollar-quoted body and
// block comment that starts at or after `from` (PostgreSQL's scanner decides: it reports such a
// token as unterminated when the text is cut inside it). from must be where the scanner starts
// fresh: the file's start or the line after a marker. The text is cut with a NUL for the scan
// and restored: no copy of a big file.
bool outside_tokens(std::string& text, std::size_t from, std::size_t at) {
  char saved = text[at];
  text[at] = '\0';
  PgQuerySplitResult r = pg_query_split_with_scanner(text.c_str() + from);
  text[at] = saved;
  bool inside = r.error && r.error->message && std::string_view(r.error->message).starts_with("unterminated");
  pg_query_free_split_result(r);
  return !inside;
}

}  // namespace

Migration parse_migration(std::string_view raw_content, const std::string& file_name, const std::filesystem::path& path,
                          NameRules rules) {
  return parse_migration(std::string(raw_content), file_name, path, rules);
}

Migration parse_migration(std::string&& raw_content, const std::string& file_name, const std::filesystem::path& path,
                          NameRules rules) {
  const std::string display = path.generic_string();
  auto parsed_name = parse_migration_name(file_name, display, rules);
  check_text(raw_content, display);
  normalize_text_in_place(raw_content);

  // Markers are line comments as PostgreSQL's scanner sees them: a marker-looking line inside a
  // dollar-quoted body, a string or a block comment is SQL, not a marker.
  int last_line = 0;
  std::vector<MarkerLine> markers;
  std::optional<MarkerLine> mistyped;  // the first marker-looking line that is not one
  std::size_t fresh = 0;               // where the scanner starts in its initial state
  for (auto& candidate : marker_lines(raw_content, last_line)) {
    if (!outside_tokens(raw_content, fresh, candidate.start)) continue;
    fresh = candidate.next;  // after a line comment outside every token, the scanner starts fresh
    if (candidate.marker) markers.push_back(candidate);
    else if (!mistyped) mistyped = candidate;
  }
  auto shared = std::make_shared<const std::string>(std::move(raw_content));
  const std::string& content = *shared;
  Migration m;
  m.version = parsed_name.version;
  m.name = parsed_name.name;
  m.path = path;
  m.checksum = sha256_hex(content);
  m.content = shared;
  m.warnings = std::move(parsed_name.warnings);

  if (markers.empty() && !mistyped) {  // the Supabase CLI's format: the whole file is the up section
    m.up_only = true;
    m.up.present = true;
    m.up.body_line = 1;
    m.up.body = std::string_view(content);
    check_sections(m, last_line, display);
    return m;
  }
  // A mistyped marker would silently make the down SQL part of the up: never accepted.
  if (mistyped)
    throw UsageError(fmt::format("{}:{}: '{}' looks like a marker but is not one", display, mistyped->line,
                                 trim(std::string_view(content).substr(mistyped->start, mistyped->next - mistyped->start))),
                     "markers are written exactly '-- migrate:up' and '-- migrate:down' (lowercase, with the colon); "
                     "a file without markers is all up section");
  std::size_t first = markers.front().start;
  std::size_t sql_before = skip_space_and_comments(content, 0);
  if (sql_before < first)
    throw UsageError(fmt::format("{}:{}: SQL before '-- migrate:up'", display, line_of_offset(content, sql_before)),
                     "start the file with a '-- migrate:up' line (comments may come before it)");
  for (std::size_t i = 0; i < markers.size(); ++i) {
    Section& target = open_section(m, *markers[i].marker, markers[i].line, display);
    std::size_t end = i + 1 < markers.size() ? markers[i + 1].start : content.size();
    target.body = std::string_view(content).substr(markers[i].next, end - markers[i].next);
  }
  check_sections(m, last_line, display);
  return m;
}

StatementList section_statements(const Migration& m, const Section& s) {
  return split_statements(m.content, s.body, m.display_path(), s.body_line);
}

}  // namespace core
