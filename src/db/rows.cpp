#include "db/rows.hpp"

namespace db {

const std::string& Row::text(std::size_t i) const {
  static const std::string empty;
  const auto& cell = m_cells.at(i);
  return cell ? *cell : empty;
}

long long Row::integer(std::size_t i) const {
  const std::string& t = text(i);
  return t.empty() ? 0 : std::stoll(t);
}

}  // namespace db
