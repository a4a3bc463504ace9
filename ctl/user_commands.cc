// scimctl user deactivate / reactivate / protect / unprotect and
// conflicts: what the application's own admins do to its users through
// scimsync (the SQL is common/db/app_users'; this parses and prints).
#include <iostream>

#include "common/db/adoption.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "common/db/mysql_user_store.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

// Runs fn on the locked row of the user named by the one positional
// argument, in one transaction. Returns the exit code.
template <typename F>
int OnUser(const std::string& what, const std::string& user, const config::Config& config, F fn) {
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    util::SystemClock clock;
    util::RandomIdGenerator ids;
    auto row = db::LockLinkedRow(sql, {users, clock, ids, "scimctl"}, user);
    if (!row.ok()) return row.error();
    if (!row.value()) return false;
    fn(sql, users, *row.value());
    tr.commit();
    return true;
  });
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
  std::string user = pos[0], actor = Actor(args);
  int rc = OnUser("user deactivate", user, config,
                  [&](soci::session& sql, const db::AppUsers& users, const sync::DirectoryUser& u) {
                    users.DeactivateLocally(sql, u, actor, reason);
                    if (!u.is_protected && db::ScimUserActive(sql, u.scim_id) == true) {
                      // the IdP wants this user active: a conflict from now on
                      bool local_wins =
                          db::ReadSettings(sql).conflict_policy == sync::ConflictPolicy::kLocalWins;
                      db::UpsertOpenConflict(sql, {u.scim_id, user, true, false, actor, reason, "",
                                                   local_wins ? "local_wins" : "idp_wins"});
                    }
                    AuditAdmin(sql, actor, "user deactivate", reason, user);
                  });
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
  std::string user = pos[0], actor = Actor(args);
  int rc = OnUser("user reactivate", user, config,
                  [&](soci::session& sql, const db::AppUsers& users, const sync::DirectoryUser& u) {
                    // The user follows the IdP again: active as the SCIM view says.
                    bool active = db::ScimUserActive(sql, u.scim_id).value_or(true);
                    users.ReactivateLocally(sql, u, active);
                    db::ResolveOpenConflict(sql, u.scim_id, "reactivated locally by " + actor);
                    AuditAdmin(sql, actor, "user reactivate",
                               active ? "active" : "inactive as the IdP says", user);
                  });
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
  std::string user = pos[0], actor = Actor(args), reason = OptionValue(args, "--reason");
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    auto row = users.ByUserName(sql, user, true);
    if (!row) return false;
    if (protect) {
      users.Protect(sql, *row, actor, reason);
    } else {
      users.Unprotect(sql, *row);
    }
    AuditAdmin(sql, actor, what, reason, user);
    tr.commit();
    return true;
  });
  if (!r.ok()) return Fail(what, r.error().detail);
  if (!r.value()) return Fail(what, "the application has no user '" + user + "'");
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
