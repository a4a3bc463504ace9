// scimctl user deactivate / reactivate / protect / unprotect and
// conflicts: what the application's own admins do to its users through
// scimsync (the SQL is common/db/app_users'; this parses and prints).
#include <iostream>

#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "common/db/local_admin.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

// The exit code of a local action on user (false: no such user).
int Done(const std::string& what, const std::string& user, const Result<bool>& r) {
  if (!r.ok()) return Fail(what, r.error().detail);
  if (!r.value()) return Fail(what, "the application has no user '" + user + "'");
  return 0;
}

}  // namespace

int UserDeactivate(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  std::string reason = OptionValue(args, "--reason");
  if (pos.size() != 1 || reason.empty()) {
    std::cerr << "scimctl: user deactivate USERNAME --reason TEXT [--by NAME]\n";
    return 2;
  }
  std::string user = pos[0];
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  util::SystemClock clock;
  util::RandomIdGenerator ids;
  int rc =
      Done("user deactivate", user,
           db::DeactivateLocally(conn, {users, clock, ids, "scimctl"}, user, Actor(args), reason));
  if (rc == 0) {
    std::cerr << "deactivated " << user << " locally; SCIM will not reactivate it"
              << " (conflict_policy local_wins) until `scimctl user reactivate`\n";
  }
  return rc;
}

int UserReactivate(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  if (pos.size() != 1) {
    std::cerr << "scimctl: user reactivate USERNAME [--by NAME]\n";
    return 2;
  }
  std::string user = pos[0];
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  util::SystemClock clock;
  util::RandomIdGenerator ids;
  int rc = Done("user reactivate", user,
                db::ReactivateLocally(conn, {users, clock, ids, "scimctl"}, user, Actor(args)));
  if (rc == 0) std::cerr << "reactivated " << user << " locally; it follows the IdP again\n";
  return rc;
}

int UserProtect(const Args& args, const config::Config& config, bool protect) {
  std::vector<std::string> pos = Positionals(args);
  std::string what = protect ? "user protect" : "user unprotect";
  if (pos.size() != 1) {
    std::cerr << "scimctl: " << what << " USERNAME" << (protect ? " [--reason TEXT]" : "")
              << " [--by NAME]\n";
    return 2;
  }
  std::string user = pos[0];
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  int rc = Done(
      what, user,
      db::SetProtected(conn, users, user, Actor(args), OptionValue(args, "--reason"), protect));
  if (rc != 0) return rc;
  std::cerr << (protect ? "protected " : "unprotected ") << user
            << (protect ? ": invisible to SCIM and never changed by it\n"
                        : ": SCIM sees it again at the next lookup\n");
  return 0;
}

int Conflicts(const Args& args, const config::Config& config) {
  bool all = HasFlag(args, "--all");
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<std::vector<db::ConflictListing>> {
    return db::ListConflicts(sql, all);
  });
  if (!r.ok()) return Fail("conflicts", r.error().detail);
  std::cout << "id\tuser\tidp_wants\tlocal\tlocal_by\treason\tsince\topened\tlast_seen\tpolicy"
            << (all ? "\tresolution" : "") << "\n";
  for (const auto& c : r.value()) {
    std::cout << c.id << "\t" << c.user_name << "\t" << (c.idp_active ? "active" : "inactive")
              << "\t" << (c.local_active ? "active" : "inactive") << "\t" << c.local_by << "\t"
              << c.local_reason << "\t" << c.local_since << "\t" << c.opened_at << "\t"
              << c.last_seen_at << "\t" << c.policy;
    if (all) std::cout << "\t" << c.resolution;
    std::cout << "\n";
  }
  return 0;
}

}  // namespace scim::ctl
