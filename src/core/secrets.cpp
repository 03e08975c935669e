#include "core/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "core/url.hpp"

namespace core {

namespace {

std::vector<std::string>& secrets() {
  static std::vector<std::string> list;
  return list;
}

// Position and length of the password inside a URL's user-info, if any.
std::pair<std::size_t, std::size_t> url_password_span(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {0, 0};
  std::size_t start = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  auto at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < start) return {0, 0};
  auto colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return {0, 0};
  return {colon + 1, at - colon - 1};
}

// Position and length of "password=VALUE" values in a query string or conninfo.
std::vector<std::pair<std::size_t, std::size_t>> keyword_password_spans(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t pos = 0;
  while ((pos = s.find("password", pos)) != std::string_view::npos) {
    bool boundary = pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == '?' || s[pos - 1] == '&';
    std::size_t eq = pos + 8;
    while (eq < s.size() && s[eq] == ' ') ++eq;
    if (!boundary || eq >= s.size() || s[eq] != '=') {
      pos += 8;
      continue;
    }
    std::size_t v = eq + 1;
    while (v < s.size() && s[v] == ' ') ++v;
    std::size_t end = v;
    if (v < s.size() && s[v] == '\'') {
      end = v + 1;
      while (end < s.size() && s[end] != '\'') end += (s[end] == '\\') ? 2 : 1;
      end = std::min(end + 1, s.size());
    } else {
      while (end < s.size() && s[end] != ' ' && s[end] != '&' && s[end] != '#') ++end;
    }
    spans.emplace_back(v, end - v);
    pos = end;
  }
  return spans;
}

}  // namespace

std::string mask_password(std::string_view conninfo) {
  std::string out(conninfo);
  auto spans = keyword_password_spans(out);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->first, it->second, "****");
  if (is_postgres_url(out)) {
    auto [p, n] = url_password_span(out);
    if (n > 0) out.replace(p, n, "****");
  }
  return out;
}

std::string password_of(std::string_view conninfo) {
  if (is_postgres_url(conninfo)) {
    auto [p, n] = url_password_span(conninfo);
    if (n > 0) return std::string(conninfo.substr(p, n));
  }
  auto spans = keyword_password_spans(conninfo);
  if (!spans.empty()) return std::string(conninfo.substr(spans.front().first, spans.front().second));
  return {};
}

void register_secret(const std::string& secret) {
  if (secret.size() < 3 || secret == "****") return;
  for (const auto& s : secrets())
    if (s == secret) return;
  secrets().push_back(secret);
  // A URL may carry the password percent-encoded; mask that spelling too.
  std::string encoded = percent_encode(secret, "-_.~");
  if (encoded != secret) secrets().push_back(encoded);
  // Longest first, so that a secret containing another is masked whole.
  std::sort(secrets().begin(), secrets().end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string redact(std::string_view text) {
  std::string out(text);
  for (const auto& s : secrets()) {
    std::size_t pos = 0;
    while ((pos = out.find(s, pos)) != std::string::npos) {
      out.replace(pos, s.size(), "****");
      pos += 4;
    }
  }
  return out;
}

}  // namespace core

