#include "core/json.hpp"

#include <cmath>
#include <fmt/format.h>

namespace core {

Json& Json::set(const std::string& key, Json value) {
  auto& obj = std::get<Object>(m_value);
  for (auto& [k, v] : obj) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  obj.emplace_back(key, std::move(value));
  return *this;
}

Json& Json::push(Json value) {
  std::get<Array>(m_value).push_back(std::move(value));
  return *this;
}

std::size_t Json::size() const {
  if (auto* a = std::get_if<Array>(&m_value)) return a->size();
  if (auto* o = std::get_if<Object>(&m_value)) return o->size();
  return 0;
}

const Json& Json::operator[](const std::string& key) const {
  static const Json null;
  if (auto* o = std::get_if<Object>(&m_value))
    for (const auto& [k, v] : *o)
      if (k == key) return v;
  return null;
}

const Json::Array& Json::elements() const {
  static const Array empty;
  if (auto* a = std::get_if<Array>(&m_value)) return *a;
  return empty;
}

const Json::Object& Json::members() const {
  static const Object empty;
  if (auto* o = std::get_if<Object>(&m_value)) return *o;
  return empty;
}

std::string Json::text() const {
  if (auto* s = std::get_if<std::string>(&m_value)) return *s;
  if (is_null()) return "";
  return dump();
}

std::int64_t Json::integer() const {
  if (auto* i = std::get_if<std::int64_t>(&m_value)) return *i;
  return 0;
}

bool Json::boolean() const {
  if (auto* b = std::get_if<bool>(&m_value)) return *b;
  return false;
}

std::string Json::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

void json_quote(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void Json::dump_to(std::string& out) const {
  if (std::holds_alternative<std::nullptr_t>(m_value)) {
    out += "null";
  } else if (auto* b = std::get_if<bool>(&m_value)) {
    out += *b ? "true" : "false";
  } else if (auto* i = std::get_if<std::int64_t>(&m_value)) {
    out += std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&m_value)) {
    out += std::isfinite(*d) ? fmt::format("{}", *d) : "null";
  } else if (auto* s = std::get_if<std::string>(&m_value)) {
    json_quote(out, *s);
  } else if (auto* a = std::get_if<Array>(&m_value)) {
    out += '[';
    for (std::size_t n = 0; n < a->size(); ++n) {
      if (n) out += ',';
      (*a)[n].dump_to(out);
    }
    out += ']';
  } else if (auto* o = std::get_if<Object>(&m_value)) {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : *o) {
      if (!first) out += ',';
      first = false;
      json_quote(out, k);
      out += ':';
      v.dump_to(out);
    }
    out += '}';
  }
}

}  // namespace core
