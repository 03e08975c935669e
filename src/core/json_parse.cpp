// Json::parse: a recursive-descent reader of RFC 8259 text, for the JSON libpg_query returns.
#include <cctype>
#include <charconv>
#include <cstdint>

#include "core/json.hpp"

namespace core {

namespace {

// Deep enough for any PL/pgSQL body; deeper input is refused rather than exhausting the stack.
constexpr int k_max_depth = 512;

class Reader {
public:
  explicit Reader(std::string_view text) : m_text(text) {}

  std::optional<Json> document() {
    auto value = read(0);
    skip_space();
    if (!value || m_pos != m_text.size()) return std::nullopt;
    return value;
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;

  void skip_space() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r' ||
                                     m_text[m_pos] == '\t'))
      ++m_pos;
  }
  bool take(char c) {
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (m_text.substr(m_pos, w.size()) != w) return false;
    m_pos += w.size();
    return true;
  }

  std::optional<Json> read(int depth) {
    if (depth > k_max_depth) return std::nullopt;
    skip_space();
    if (m_pos >= m_text.size()) return std::nullopt;
    char c = m_text[m_pos];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto s = string();
      if (!s) return std::nullopt;
      return Json(std::move(*s));
    }
    if (word("true")) return Json(true);
    if (word("false")) return Json(false);
    if (word("null")) return Json(nullptr);
    return number();
  }

  std::optional<Json> object(int depth) {
    ++m_pos;
    Json out = Json::object();
    if (take('}')) return out;
    do {
      skip_space();
      auto key = string();
      if (!key || !take(':')) return std::nullopt;
      auto value = read(depth + 1);
      if (!value) return std::nullopt;
      out.set(*key, std::move(*value));
    } while (take(','));
    if (!take('}')) return std::nullopt;
    return out;
  }

  std::optional<Json> array(int depth) {
    ++m_pos;
    Json out = Json::array();
    if (take(']')) return out;
    do {
      auto value = read(depth + 1);
      if (!value) return std::nullopt;
      out.push(std::move(*value));
    } while (take(','));
    if (!take(']')) return std::nullopt;
    return out;
  }

  std::optional<Json> number() {
    std::size_t start = m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '-') ++m_pos;
    bool fraction = false;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        ++m_pos;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || (c == '-' && m_pos > start)) {
        fraction = true;
        ++m_pos;
      } else {
        break;
      }
    }
    std::string_view digits = m_text.substr(start, m_pos - start);
    if (digits.empty() || digits == "-") return std::nullopt;
    if (!fraction) {
      std::int64_t i = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      if (ec == std::errc() && end == digits.data() + digits.size()) return Json(static_cast<long long>(i));
    }
    double d = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return Json(d);
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<std::uint32_t> hex4() {
    if (m_pos + 4 > m_text.size()) return std::nullopt;
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_pos + 4, v, 16);
    if (ec != std::errc() || end != m_text.data() + m_pos + 4) return std::nullopt;
    m_pos += 4;
    return v;
  }

  std::optional<std::string> string() {
    if (m_pos >= m_text.size() || m_text[m_pos] != '"') return std::nullopt;
    ++m_pos;
    std::string out;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size()) return std::nullopt;
      char e = m_text[m_pos++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto cp = hex4();
          if (!cp) return std::nullopt;
          if (*cp >= 0xD800 && *cp < 0xDC00 && m_text.substr(m_pos, 2) == "\\u") {
            m_pos += 2;
            auto low = hex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          }
          append_utf8(out, *cp);
          break;
        }
        default: return std::nullopt;
      }
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<Json> Json::parse(std::string_view text) { return Reader(text).document(); }

}  // namespace core
