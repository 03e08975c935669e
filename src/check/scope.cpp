#include "check/scope.hpp"

#include <algorithm>

#include "catalog/managed_schemas.hpp"

namespace check {

namespace {

template <class T, class Pred>
void drop_if(std::vector<T>& v, Pred pred) {
  v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}

}  // namespace

catalog::Snapshot without_managed(catalog::Snapshot s, const std::vector<std::string>& extra_schemas) {
  auto skipped = [&](const std::string& schema) {
    return std::count(catalog::managed_schemas().begin(), catalog::managed_schemas().end(), schema) > 0 ||
           std::count(extra_schemas.begin(), extra_schemas.end(), schema) > 0;
  };
  drop_if(s.relations, [&](const auto& r) { return skipped(r.schema); });
  drop_if(s.policies, [&](const auto& p) { return skipped(p.schema) && !(p.schema == "storage" && p.table == "objects"); });
  drop_if(s.policy_columns, [&](const auto& c) { return skipped(c.schema); });
  drop_if(s.triggers, [&](const auto& t) { return skipped(t.schema); });
  drop_if(s.indexes, [&](const auto& i) { return skipped(i.schema); });
  drop_if(s.foreign_keys, [&](const auto& k) { return skipped(k.schema); });
  drop_if(s.functions, [&](const auto& f) { return skipped(f.schema); });
  drop_if(s.privileges, [&](const auto& p) { return skipped(p.schema); });
  drop_if(s.default_privileges, [&](const auto& d) { return !d.schema.empty() && skipped(d.schema); });
  drop_if(s.body_problems, [&](const auto& b) { return skipped(b.function.substr(0, b.function.find('.'))); });
  return s;
}

}  // namespace check
