// Query results as plain text cells, the same whichever client library read them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace db {

// Text parameters of a query; nullopt stands for NULL.
using Params = std::vector<std::optional<std::string>>;

// One result row: its cells as text (NULL kept apart from the empty string).
class Row {
public:
  explicit Row(std::vector<std::optional<std::string>> cells) : m_cells(std::move(cells)) {}
  // Number of columns.
  std::size_t size() const { return m_cells.size(); }
  // True when column i is NULL.
  bool is_null(std::size_t i) const { return !m_cells.at(i).has_value(); }
  // Column i as text; "" for NULL.
  const std::string& text(std::size_t i) const;
  // Column i as a boolean (PostgreSQL's 't'/'f'); false for NULL.
  bool boolean(std::size_t i) const { return text(i) == "t"; }
  // Column i as an integer; 0 for NULL.
  long long integer(std::size_t i) const;

private:
  std::vector<std::optional<std::string>> m_cells;
};

// The rows of a result.
using Rows = std::vector<Row>;

}  // namespace db
