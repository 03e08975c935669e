// PostgreSQL's lexer over function bodies: names a body mentions, assignments to NEW's columns.
#include <doctest/doctest.h>

#include "core/sql_tokens.hpp"

TEST_CASE("assigns_new_column finds an assignment to NEW.updated_at, not a comparison or a comment") {
  CHECK(core::assigns_new_column("begin new.updated_at := now(); return new; end", "updated_at"));
  CHECK(core::assigns_new_column("BEGIN\n  NEW.\"updated_at\" = clock_timestamp();\n  RETURN NEW;\nEND", "updated_at"));
  CHECK(core::assigns_new_column("begin if tg_op = 'UPDATE' then new.updated_at := now(); end if; return new; end",
                                 "updated_at"));
  CHECK_FALSE(core::assigns_new_column("begin if new.updated_at = old.updated_at then return null; end if; return new; end",
                                       "updated_at"));
  CHECK_FALSE(core::assigns_new_column("begin -- new.updated_at := now();\n return new; end", "updated_at"));
  CHECK_FALSE(core::assigns_new_column("begin raise notice 'new.updated_at := now()'; return new; end", "updated_at"));
  CHECK_FALSE(core::assigns_new_column("begin new.created_at := now(); return new; end", "updated_at"));
}

TEST_CASE("names_mentioned gives qualified and bare names, never the text of strings") {
  auto names = core::names_mentioned("select * from public.tickets t join profiles p on 'messages' = p.x");
  auto has = [&](const std::string& schema, const std::string& name) {
    for (const auto& n : names)
      if (n.first == schema && n.second == name) return true;
    return false;
  };
  CHECK(has("public", "tickets"));
  CHECK(has("", "profiles"));
  CHECK_FALSE(has("", "messages"));
}
