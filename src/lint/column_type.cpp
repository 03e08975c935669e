#include "lint/column_type.hpp"

#include "core/parse_tree.hpp"

namespace lint {

namespace {

// PostgreSQL's VARHDRSZ: varchar and numeric store their typmod offset by it.
constexpr int k_varhdrsz = 4;

bool limited(const ColumnType& t) { return !t.mods.empty(); }

// A length-limited type (varchar, varbit) changed without a rewrite: widened or the limit removed.
bool widens_length(const ColumnType& from, const ColumnType& to) {
  if (!limited(to)) return true;
  return limited(from) && to.mods[0] >= from.mods[0];
}

}  // namespace

ColumnType column_type_of(const PgQuery__TypeName& t) {
  ColumnType out;
  out.name = core::qualified_name(t.n_names, t.names);
  if (out.name.starts_with("pg_catalog.")) out.name = out.name.substr(11);
  for (std::size_t i = 0; i < t.n_typmods; ++i) {
    const PgQuery__Node* m = t.typmods[i];
    if (m->node_case == PG_QUERY__NODE__NODE_A_CONST && m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
      out.mods.push_back(m->a_const->ival ? m->a_const->ival->ival : 0);
  }
  if (t.n_array_bounds > 0) out.name += "[]";
  return out;
}

ColumnType column_type_from_catalog(const std::string& typname, int typmod) {
  ColumnType out;
  bool array = typname.starts_with("_");
  out.name = array ? typname.substr(1) + "[]" : typname;
  std::string base = array ? typname.substr(1) : typname;
  if (typmod >= 0) {
    if (base == "varchar" || base == "bpchar") {
      out.mods = {typmod - k_varhdrsz};
    } else if (base == "numeric") {
      int packed = typmod - k_varhdrsz;
      out.mods = {(packed >> 16) & 0xffff, packed & 0xffff};
    } else {
      out.mods = {typmod};  // bit, varbit, time(p), timestamp(p)...: the typmod is the value written
    }
  }
  return out;
}

std::string to_sql(const ColumnType& t) {
  std::string base = t.name.ends_with("[]") ? t.name.substr(0, t.name.size() - 2) : t.name;
  std::string out = base;
  if (limited(t)) {
    out += '(';
    for (std::size_t i = 0; i < t.mods.size(); ++i) out += (i ? "," : "") + std::to_string(t.mods[i]);
    out += ')';
  }
  return t.name.ends_with("[]") ? out + "[]" : out;
}

bool changes_without_rewrite(const ColumnType& from, const ColumnType& to) {
  if (from == to) return true;
  if (from.name == "varchar" && to.name == "varchar") return widens_length(from, to);
  if (from.name == "varchar" && to.name == "text") return true;
  if (from.name == "text" && to.name == "varchar") return !limited(to);
  if (from.name == "varbit" && to.name == "varbit") return widens_length(from, to);
  if (from.name == "numeric" && to.name == "numeric") {
    if (!limited(to)) return true;
    if (!limited(from)) return false;
    int to_scale = to.mods.size() > 1 ? to.mods[1] : 0, from_scale = from.mods.size() > 1 ? from.mods[1] : 0;
    return to_scale == from_scale && to.mods[0] >= from.mods[0];
  }
  if (from.name == "cidr" && to.name == "inet") return true;
  return false;
}

}  // namespace lint
