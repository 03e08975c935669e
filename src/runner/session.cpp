#include "runner/session.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/secrets.hpp"
#include "local/cluster.hpp"
#include "runner/interrupt.hpp"

namespace runner {

Target resolve_target(const core::Config& config) {
  const std::string& url = config.database_url();
  if (!url.empty()) return {Target::Kind::url, url, core::mask_password(url)};
  for (const char* var : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE"}) {
    if (const char* v = std::getenv(var); v && *v)
      return {Target::Kind::libpq_environment, "", fmt::format("the libpq environment ({}={})", var, v)};
  }
  local::LocalCluster cluster(config.local_dir(), config.local_database());
  return {Target::Kind::embedded, cluster.url(), "the embedded local database " + cluster.url()};
}

std::string os_identity() {
  std::string user = "?";
  if (passwd* pw = getpwuid(geteuid())) user = pw->pw_name;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return user + "@" + host;
}

namespace {

std::string application_name(const std::string& command) {
  return fmt::format("autocrm-migrate {} ({})", command, os_identity()).substr(0, 63);
}

// Opens a session of type S on the target; the embedded database is started (and created) when a
// first attempt to reach it fails.
template <class S>
std::unique_ptr<S> open(const core::Config& config, const Target& target, Reporter& reporter,
                        const std::string& command) {
  auto notices = [&reporter](const std::string& line) { reporter.notice(line); };
  if (target.kind != Target::Kind::embedded) return std::make_unique<S>(target.conninfo, application_name(command), notices);
  try {
    return std::make_unique<S>(target.conninfo, application_name(command), notices);
  } catch (const core::Failure&) {
    local::LocalCluster cluster(config.local_dir(), config.local_database());
    cluster.ensure_running([&](const std::string& line) { reporter.progress(line); });
    return std::make_unique<S>(target.conninfo, application_name(command), notices);
  }
}

}  // namespace

WriteSession::WriteSession(const core::Config& config, Reporter& reporter, const std::string& command)
    : m_target(resolve_target(config)), m_reporter(reporter), m_applied_from(os_identity()) {
  m_db = open<db::MigrationSession>(config, m_target, reporter, command);
  m_db->set_tool_settings({config.lock_timeout().text, config.statement_timeout().text});
  m_ledger = std::make_unique<db::Ledger>(*m_db, config.ledger_schema(), config.ledger_table(), m_db.get());
  if (config.supabase_ledger()) m_ledger->enable_supabase_mirror();
}

WriteSession::~WriteSession() { cancel_target(nullptr); }

db::Client* WriteSession::watcher() {
  if (!m_watcher && !m_watcher_failed) {
    try {
      m_watcher = std::make_unique<db::Client>(m_target.conninfo, application_name("watch"), db::NoticeSink{});
    } catch (const core::Failure&) {
      m_watcher_failed = true;  // looking is best effort: the migration goes on without it
    }
  }
  return m_watcher.get();
}

ReadSession::ReadSession(const core::Config& config, Reporter& reporter, const std::string& command)
    : m_target(resolve_target(config)) {
  m_db = open<db::Client>(config, m_target, reporter, command);
  m_ledger = std::make_unique<db::Ledger>(*m_db, config.ledger_schema(), config.ledger_table());
}

}  // namespace runner
