// Bad input tried: the corpus of malformed migration files and configurations (tests/corpus/),
// files that must be accepted (BOM, CRLF), hostile ledger names, SSL required but not offered.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness.hpp"
#include "../support/text_file.hpp"

namespace fs = std::filesystem;
using it::run_tool;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// One case of tests/corpus/ (see tests/corpus/README.md).
struct CorpusCase {
  std::string name;
  fs::path dir;
  std::vector<std::string> args{"up"};
  int exit = 2;
  std::map<std::string, std::string> env;
  std::string generate;
  std::vector<std::string> expect;
};

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<CorpusCase> load_corpus() {
  std::vector<CorpusCase> cases;
  for (const auto& entry : fs::directory_iterator(it::source_dir() / "tests" / "corpus")) {
    if (!fs::exists(entry.path() / "case.txt")) continue;
    CorpusCase c;
    c.name = entry.path().filename().string();
    c.dir = entry.path();
    std::istringstream in(test_support::read_text_file(entry.path() / "case.txt"));
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      auto colon = line.find(": ");
      REQUIRE_MESSAGE(colon != std::string::npos, c.name << "/case.txt: bad line " << line);
      std::string key = line.substr(0, colon), value = line.substr(colon + 2);
      if (key == "args") c.args = words(value);
      else if (key == "exit") c.exit = std::stoi(value);
      else if (key == "env") c.env[value.substr(0, value.find('='))] = value.substr(value.find('=') + 1);
      else if (key == "generate") c.generate = value;
      else if (key == "expect") c.expect.push_back(value);
      else FAIL(c.name << "/case.txt: unknown key " << key);
    }
    REQUIRE_MESSAGE(!c.expect.empty(), c.name << "/case.txt expects nothing");
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(), [](const CorpusCase& a, const CorpusCase& b) { return a.name < b.name; });
  return cases;
}

// Lays out a case in a fresh project: its files, then what it generates.
void prepare(const CorpusCase& c, const it::Workspace& ws) {
  for (const auto& entry : fs::recursive_directory_iterator(c.dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "case.txt") continue;
    fs::path target = ws.path() / entry.path().lexically_relative(c.dir);
    fs::create_directories(target.parent_path());
    fs::copy_file(entry.path(), target, fs::copy_options::overwrite_existing);
  }
  fs::path m = ws.migrations();
  if (c.generate == "big-file") {
    std::ofstream out(m / "20260101000000_big.sql", std::ios::binary);
    out << "-- migrate:up\n";
    const std::string line = "insert into t values (1, 'abc');\n";
    std::string block;
    for (int i = 0; i < 10'000; ++i) block += line;
    for (int i = 0; i < 160; ++i) out << block;  // 1,600,000 lines: 52.8 MB
    out << "selec 1;\n-- migrate:down\nselect 1;\n";
  } else if (c.generate == "symlink-loop") {
    fs::create_symlink("20260101000001_b.sql", m / "20260101000000_a.sql");
    fs::create_symlink("20260101000000_a.sql", m / "20260101000001_b.sql");
  } else if (c.generate == "dangling-symlink") {
    fs::create_symlink("nowhere.sql", m / "20260101000000_gone.sql");
  } else if (c.generate == "folder-loop") {
    fs::remove_all(m);
    fs::create_symlink("migrations", m);
  } else {
    REQUIRE_MESSAGE(c.generate.empty(), c.name << ": unknown generate: " << c.generate);
  }
}

// Tables and schemas a test database has beyond an empty one's.
std::string user_objects(const it::TestDatabase& db) {
  return db.scalar("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not "
                   "in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'") +
         "/" +
         db.scalar("select count(*) from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('public', "
                   "'information_schema')");
}

}  // namespace

TEST_CASE("bad inputs from tests/corpus are rejected with exit 2 and file and line - touching no database") {
  auto cases = load_corpus();
  CHECK(cases.size() >= 70);
  it::TestDatabase db;
  REQUIRE(user_objects(db) == "0/0");
  int tried = 0;
  for (const auto& c : cases) {
    it::Workspace ws;
    prepare(c, ws);
    for (const std::string url : {std::string("postgresql://x@127.0.0.1:1/x"), db.url()}) {
      std::vector<std::string> args{"--database-url", url};
      args.insert(args.end(), c.args.begin(), c.args.end());
      auto r = run_tool(args, ws.path(), c.env);
      INFO("case " << c.name << " against " << url << ": exit " << r.code << "\n--- stdout ---\n" << r.out
                   << "\n--- stderr ---\n" << r.err.substr(0, 4000));
      CHECK(r.code == c.exit);
      for (const auto& e : c.expect) CHECK_MESSAGE(contains(r.err, e), "expected in stderr: " << e);
      CHECK_FALSE(contains(r.err, "cannot connect"));
      CHECK(user_objects(db) == "0/0");
      ++tried;
    }
  }
  MESSAGE("corpus: " << cases.size() << " cases, " << tried << " runs");
}

TEST_CASE("BOM and CRLF files are accepted and equal to their LF twin") {
  fs::path accepted = it::source_dir() / "tests" / "corpus" / "accepted";
  const std::string file = "20260101000000_gizmos.sql";
  it::Workspace ws;
  it::TestDatabase db;
  fs::copy_file(accepted / "migration_lf.sql", ws.migrations() / file);
  CHECK_EXIT(run_tool({"--database-url", db.url(), "up"}, ws.path()), 0);
  std::string checksum = db.scalar("select checksum from autocrm_migrate.schema_migrations");
  REQUIRE(checksum.size() == 64);
  for (const char* variant : {"crlf", "bom_lf", "bom_crlf", "cr"}) {
    CAPTURE(variant);
    fs::copy_file(accepted / (std::string("migration_") + variant + ".sql"), ws.migrations() / file,
                  fs::copy_options::overwrite_existing);
    // The same file as far as the ledger is concerned...
    auto status = run_tool({"--database-url", db.url(), "status", "--exit-code"}, ws.path());
    CHECK_EXIT(status, 0);
    CHECK(contains(status.out, "1 applied (clean)"));
    CHECK_EXIT(run_tool({"--database-url", db.url(), "validate"}, ws.path()), 0);
    // ...and it applies and reverts the same on a database of its own.
    it::TestDatabase fresh;
    CHECK_EXIT(run_tool({"--database-url", fresh.url(), "up"}, ws.path()), 0);
    CHECK(fresh.scalar("select checksum from autocrm_migrate.schema_migrations") == checksum);
    CHECK(fresh.scalar("select gizmo_count()") == "0");
    CHECK(fresh.scalar("insert into gizmos default values returning label") == "caf\xC3\xA9; menu");
    CHECK_EXIT(run_tool({"--database-url", fresh.url(), "down"}, ws.path()), 0);
    CHECK_FALSE(fresh.has_table("public.gizmos"));
  }
  fs::copy_file(accepted / "config_bom_crlf.toml", ws.path() / "autocrm-migrate.toml", fs::copy_options::overwrite_existing);
  auto show = run_tool({"--format", "json", "config", "show"}, ws.path());
  CHECK_EXIT(show, 0);
  CHECK(contains(show.out, "{\"key\":\"lock_wait\",\"value\":\"7s\",\"origin\":\"autocrm-migrate.toml:3\"}"));
  CHECK(contains(show.out, "{\"key\":\"lock_retries\",\"value\":\"2\",\"origin\":\"autocrm-migrate.toml:4\"}"));
}

TEST_CASE("ledger schema and table names with quotes / semicolons and spaces are quoted - exactly that schema is "
          "created") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  db.scalar("create table x (id int)");
  const std::string schema = "we\"ird; drop table x";
  const std::string table = "mig's \"ledger\"; drop table x --";
  std::vector<std::string> names{"--database-url", db.url(), "--ledger-schema", schema, "--ledger-table", table};
  auto with_names = [&](std::vector<std::string> args) {
    args.insert(args.begin(), names.begin(), names.end());
    return args;
  };
  CHECK_EXIT(run_tool(with_names({"up"}), ws.path()), 0);
  CHECK(db.scalar("select count(*) from pg_namespace where nspname = 'we\"ird; drop table x'") == "1");
  CHECK(db.scalar("select string_agg(relname, ' | ' order by relname) from pg_class where relnamespace = "
                  "'\"we\"\"ird; drop table x\"'::regnamespace and relkind = 'r'") ==
        "mig's \"ledger\"; drop table x -- | mig's \"ledger\"; drop table x --_meta");
  CHECK(db.scalar("select count(*) from \"we\"\"ird; drop table x\".\"mig's \"\"ledger\"\"; drop table x --\"") == "3");
  CHECK(db.has_table("public.x"));
  CHECK(db.has_table("public.widgets"));
  CHECK(db.scalar("select count(*) from pg_namespace where nspname = 'autocrm_migrate'") == "0");
  auto status = run_tool(with_names({"status", "--exit-code"}), ws.path());
  CHECK_EXIT(status, 0);
  CHECK(contains(status.out, "ledger we\"ird; drop table x.mig's \"ledger\"; drop table x -- on"));
  CHECK_EXIT(run_tool(with_names({"down", "--all"}), ws.path()), 0);
  CHECK_FALSE(db.has_table("public.widgets"));
  CHECK(db.has_table("public.x"));
  CHECK_EXIT(run_tool(with_names({"up"}), ws.path()), 0);

  // A name of 63 bytes whose meta table name (cut to 58 bytes + "_meta") would split a character.
  std::string accented = "a";
  for (int i = 0; i < 31; ++i) accented += "\xC3\xA9";
  REQUIRE(accented.size() == 63);
  it::TestDatabase other;
  auto r = run_tool({"--database-url", other.url(), "--ledger-table", accented, "up"}, ws.path());
  CHECK_EXIT(r, 0);
  CHECK(other.scalar("select count(*) from pg_class where relnamespace = 'autocrm_migrate'::regnamespace and relname "
                     "like 'a%_meta'") == "1");
  CHECK_EXIT(run_tool({"--database-url", other.url(), "--ledger-table", accented, "status", "--exit-code"}, ws.path()),
             0);
}

TEST_CASE("sslmode=require against a server without SSL fails closed with a clear message") {
  it::Workspace ws;
  ws.add_fixture("basic");
  it::TestDatabase db;
  for (const char* command : {"up", "status"}) {
    auto r = run_tool({"--database-url", db.url() + "?sslmode=require", command}, ws.path());
    CHECK_EXIT(r, 1);
    CHECK(contains(r.err, "cannot connect to " + db.url() + "?sslmode=require"));
    CHECK(contains(r.err, "server does not support SSL, but SSL was required"));
  }
  CHECK(user_objects(db) == "0/0");
}
