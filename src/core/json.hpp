// A small ordered JSON value with a compact serializer, for --format json output.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace core {

// A JSON value: null, bool, integer, number, string, array or object (keys keep insertion order).
class Json {
public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() : m_value(nullptr) {}
  Json(std::nullptr_t) : m_value(nullptr) {}
  Json(bool b) : m_value(b) {}
  Json(int i) : m_value(static_cast<std::int64_t>(i)) {}
  Json(long i) : m_value(static_cast<std::int64_t>(i)) {}
  Json(long long i) : m_value(static_cast<std::int64_t>(i)) {}
  Json(unsigned long i) : m_value(static_cast<std::int64_t>(i)) {}
  Json(double d) : m_value(d) {}
  Json(const char* s) : m_value(std::string(s)) {}
  Json(std::string s) : m_value(std::move(s)) {}
  Json(Array a) : m_value(std::move(a)) {}
  Json(Object o) : m_value(std::move(o)) {}

  // An empty object, to fill with set().
  static Json object() { return Json(Object{}); }
  // An empty array, to fill with push().
  static Json array() { return Json(Array{}); }

  // Sets a key on an object (replacing an existing one); returns *this for chaining.
  Json& set(const std::string& key, Json value);
  // Appends to an array; returns *this.
  Json& push(Json value);
  // Number of elements of an array or object, 0 otherwise.
  std::size_t size() const;

  // The member key of an object, or a null value when absent or not an object.
  const Json& operator[](const std::string& key) const;
  // The elements of an array (empty for other values).
  const Array& elements() const;
  // The members of an object in their order (empty for other values).
  const Object& members() const;
  // A string's text; numbers and booleans as they print; "" for null.
  std::string text() const;
  // An integer's value (0 for other values).
  std::int64_t integer() const;
  // A boolean's value (false for other values).
  bool boolean() const;
  // True for null.
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(m_value); }

  // Serializes compactly (no whitespace) with RFC 8259 escaping.
  std::string dump() const;
  // Reads RFC 8259 text (libpg_query's PL/pgSQL trees); nullopt when it is not valid JSON.
  static std::optional<Json> parse(std::string_view text);

private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> m_value;
  void dump_to(std::string& out) const;
};

// Appends s to out as a quoted JSON string.
void json_quote(std::string& out, const std::string& s);

}  // namespace core
