// Compares the schema the migrations make (a shadow database's objects) with a database's own:
// pure, no database.
#pragma once

#include <string>
#include <vector>

#include "catalog/schema_objects.hpp"
#include "core/json.hpp"

namespace drift {

// One attribute that differs between the migrations and the database.
struct AttributeChange {
  std::string name;
  std::string expected;  // what the migrations make ("" when not set)
  std::string actual;    // what the database has ("" when not set)
  std::string diff;      // unified diff for multi-line values (function bodies, view definitions)
  std::vector<std::string> added, removed;  // set members for privileges and role lists
};

// How an object differs.
enum class Change { missing, extra, changed };

// One difference: an object the migrations make that the database lacks (missing), one the
// database has that they do not make (extra), or one both have with different attributes.
struct Difference {
  Change change;
  std::string kind, identity;
  std::vector<AttributeChange> attributes;  // for changed; for missing/extra the object's attributes
};

// "missing", "extra" or "changed".
const char* change_name(Change c);

// The differences from expected (the shadow) to actual (the database), ordered by kind (schemas
// first, then what lives in them), identity and change.
std::vector<Difference> compare(const catalog::SchemaObjects& expected, const catalog::SchemaObjects& actual);

// The report formats: text for people, one JSON object per difference, GitHub annotations.
std::string format_text(const std::vector<Difference>& diffs);
core::Json to_json(const Difference& d);
std::string format_github(const std::vector<Difference>& diffs);

}  // namespace drift
