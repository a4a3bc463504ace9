#include "ctl/commands.h"

#include <cstdlib>
#include <iostream>

#include "common/db/connection.h"
#include "common/db/migrate.h"
#include "common/db/sync_rows.h"

namespace scim::ctl {
namespace {

int Fail(const std::string& what, const ScimError& e) { return ctl::Fail(what, e.detail); }

}  // namespace

int Fail(const std::string& what, const std::string& detail) {
  std::cerr << "scimctl: " << what << ": " << detail << "\n";
  return 1;
}

bool HasFlag(const Args& args, const std::string& name) {
  for (const auto& a : args) {
    if (a == name) return true;
  }
  return false;
}

std::vector<std::string> Positionals(const Args& args) {
  static const std::vector<std::string> kValued = {"--reason", "--by",      "--limit", "--name",
                                                   "--dir",    "--expires", "--since", "--user"};
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0) {
      out.push_back(args[i]);
      continue;
    }
    for (const auto& v : kValued) {
      if (args[i] == v) ++i;  // skip its value
    }
  }
  return out;
}

void AuditAdmin(soci::session& sql, const std::string& actor, const std::string& operation,
                const std::string& detail, const std::string& user_name) {
  db::InsertAudit(sql, {actor, "", "", user_name.empty() ? "" : "User", "", user_name, operation,
                        "", "done", detail});
}

std::string Actor(const Args& args) {
  std::string by = OptionValue(args, "--by");
  if (!by.empty()) return by;
  for (const char* env : {"SUDO_USER", "USER"}) {
    if (const char* v = std::getenv(env); v && *v) return std::string("admin:") + v;
  }
  return "admin";
}

std::string OptionValue(const Args& args, const std::string& name) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(name + "=", 0) == 0) return args[i].substr(name.size() + 1);
  }
  return "";
}

int Migrate(const Args& args, const config::Config& config) {
  std::string dir = OptionValue(args, "--dir");
  if (dir.empty()) dir = config.migrations_dir;
  auto files = db::ReadMigrations(dir);
  if (!files.ok()) return Fail("migrate", files.error());
  db::Connection conn(config.db);
  auto applied = db::Migrate(conn, files.value());
  if (!applied.ok()) return Fail("migrate", applied.error());
  for (const auto& name : applied.value()) std::cerr << "applied " << name << "\n";
  std::cerr << "schema up to date (" << files.value().size() << " migrations, "
            << applied.value().size() << " applied now)\n";
  return 0;
}

int Status(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    long long pending = 0, retrying = 0, dead = 0, done = 0, oldest_s = 0, conflicts = 0;
    soci::indicator oldest_i = soci::i_ok;
    sql << "SELECT COALESCE(SUM(status = 'pending'), 0), "
           "COALESCE(SUM(status = 'pending' AND attempts > 0), 0), "
           "COALESCE(SUM(status = 'dead'), 0), COALESCE(SUM(status = 'done'), 0), "
           "TIMESTAMPDIFF(SECOND, MIN(IF(status = 'pending', created_at, NULL)), NOW(3)) "
           "FROM change_queue",
        soci::into(pending), soci::into(retrying), soci::into(dead), soci::into(done),
        soci::into(oldest_s, oldest_i);
    sql << "SELECT COUNT(*) FROM sync_conflicts WHERE open_key IS NOT NULL", soci::into(conflicts);
    // In flight: among the oldest pending rows (the ones daemons claim
    // first), those locked by a daemon's batch right now.
    long long lockable = 0, window = 0;
    sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
    sql.begin();
    sql << "SELECT COUNT(*) FROM (SELECT id FROM change_queue WHERE status = 'pending' "
           "ORDER BY id LIMIT 1000) w",
        soci::into(window);
    sql << "SELECT COUNT(*) FROM (SELECT id FROM change_queue WHERE status = 'pending' "
           "ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) w",
        soci::into(lockable);
    sql.rollback();
    std::cout << "queue: pending=" << pending << " in_flight=" << (window - lockable)
              << " retrying=" << retrying << " dead=" << dead << " done=" << done
              << " oldest_pending_age_s=" << (oldest_i == soci::i_ok ? oldest_s : 0) << "\n"
              << "conflicts: open=" << conflicts << "\n";
    return {};
  });
  if (!r.ok()) return Fail("status", r.error());
  return 0;
}

}  // namespace scim::ctl
