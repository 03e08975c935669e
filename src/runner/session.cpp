#include "runner/session.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/secrets.hpp"
#include "local/cluster.hpp"

namespace runner {

Target resolve_target(const core::Config& config) {
  const std::string& url = config.get("database_url");
  if (!url.empty()) return {Target::Kind::url, url, core::mask_password(url)};
  for (const char* var : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE"}) {
    if (const char* v = std::getenv(var); v && *v)
      return {Target::Kind::libpq_environment, "", fmt::format("the libpq environment ({}={})", var, v)};
  }
  local::LocalCluster cluster(config.path("local_dir"), config.get("local_database"));
  return {Target::Kind::embedded, cluster.url(), "the embedded local database " + cluster.url()};
}

namespace {

std::string os_identity() {
  std::string user = "?";
  if (passwd* pw = getpwuid(geteuid())) user = pw->pw_name;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return user + "@" + host;
}

}  // namespace

Session::Session(const core::Config& config, Reporter& reporter, const std::string& command)
    : m_target(resolve_target(config)), m_reporter(reporter), m_applied_from(os_identity()) {
  std::string app = fmt::format("autocrm-migrate {} ({})", command, m_applied_from).substr(0, 63);
  auto notices = [&reporter](const std::string& line) { reporter.notice(line); };
  if (m_target.kind == Target::Kind::embedded) {
    try {
      m_conn = std::make_unique<db::Connection>(m_target.conninfo, app, notices);
    } catch (const core::Failure&) {
      local::LocalCluster cluster(config.path("local_dir"), config.get("local_database"));
      cluster.ensure_running([&](const std::string& line) { reporter.progress(line); });
      m_conn = std::make_unique<db::Connection>(m_target.conninfo, app, notices);
    }
  } else {
    m_conn = std::make_unique<db::Connection>(m_target.conninfo, app, notices);
  }
  m_ledger = std::make_unique<db::Ledger>(*m_conn, config.get("ledger_schema"), config.get("ledger_table"));
}

db::Connection* Session::watcher() {
  if (!m_watcher && !m_watcher_failed) {
    try {
      std::string app = fmt::format("autocrm-migrate watch ({})", m_applied_from).substr(0, 63);
      m_watcher = std::make_unique<db::Connection>(m_target.conninfo, app, [](const std::string&) {});
    } catch (const std::exception&) {
      m_watcher_failed = true;  // looking is best effort: the migration goes on without it
    }
  }
  return m_watcher.get();
}

}  // namespace runner
