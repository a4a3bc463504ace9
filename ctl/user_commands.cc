// scimctl user deactivate / reactivate / protect / unprotect and
// conflicts: what the application's own admins do to its users through
// scimsync (the SQL is common/db/app_users'; this parses and prints).
#include <iostream>

#include "common/db/adoption.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

// The row of user_name, locked, linked (adopted first if SCIM never saw
// it) unless protected; nullopt when the application has no such user.
Result<std::optional<sync::DirectoryUser>> LockRow(soci::session& sql, const db::AppUsers& users,
                                                   const std::string& user_name) {
  auto row = users.ByUserName(sql, user_name, true);
  if (!row || row->linked || row->is_protected) return row;
  util::SystemClock clock;
  util::RandomIdGenerator ids;
  if (db::AdoptRow(sql, {users, clock, ids, "scimctl"}, *row).empty()) {
    return Uniqueness("'" + user_name +
                      "' cannot be linked to SCIM: a SCIM user has that userName");
  }
  return users.ByUserName(sql, user_name, true);
}

// The IdP's wish for a linked user: its SCIM view's active; -1 when it has none.
int ScimActive(soci::session& sql, const sync::DirectoryUser& u) {
  int active = -1;
  soci::indicator ai = soci::i_null;
  sql << "SELECT active FROM scim_users WHERE id = :id", soci::into(active, ai),
      soci::use(u.scim_id);
  return sql.got_data() && ai == soci::i_ok ? active : -1;
}

// Runs fn on the locked row of the user named by the one positional
// argument, in one transaction. Returns the exit code.
template <typename F>
int OnUser(const std::string& what, const std::string& user, const config::Config& config, F fn) {
  db::Connection conn(config.db);
  db::AppUsers users(config.directory);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    auto row = LockRow(sql, users, user);
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
                    if (!u.is_protected && ScimActive(sql, u) == 1) {
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
                    int wish = ScimActive(sql, u);
                    bool active = wish != 0;
                    users.ReactivateLocally(sql, u, active);
                    std::string why = "reactivated locally by " + actor;
                    sql << "UPDATE sync_conflicts SET open_key = NULL, resolved_at = NOW(3), "
                           "resolution = :r WHERE open_key = :id",
                        soci::use(why), soci::use(u.scim_id);
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
  int all = HasFlag(args, "--all") ? 1 : 0;
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT id, user_name, idp_active, local_active, COALESCE(local_by, ''), "
                        "COALESCE(local_reason, ''), "
                        "COALESCE(DATE_FORMAT(local_since, '%Y-%m-%dT%H:%i:%sZ'), ''), "
                        "DATE_FORMAT(opened_at, '%Y-%m-%dT%H:%i:%sZ'), "
                        "DATE_FORMAT(last_seen_at, '%Y-%m-%dT%H:%i:%sZ'), policy, "
                        "COALESCE(resolution, '') FROM sync_conflicts "
                        "WHERE (:all = 1 OR open_key IS NOT NULL) ORDER BY id",
         soci::use(all));
    std::cout << "id\tuser\tidp_wants\tlocal\tlocal_by\treason\tsince\topened\tlast_seen\tpolicy"
              << (all ? "\tresolution" : "") << "\n";
    for (const auto& row : rs) {
      std::cout << row.get<unsigned long long>(0) << "\t" << row.get<std::string>(1) << "\t"
                << (row.get<int>(2) ? "active" : "inactive") << "\t"
                << (row.get<int>(3) ? "active" : "inactive") << "\t" << row.get<std::string>(4)
                << "\t" << row.get<std::string>(5) << "\t" << row.get<std::string>(6) << "\t"
                << row.get<std::string>(7) << "\t" << row.get<std::string>(8) << "\t"
                << row.get<std::string>(9);
      if (all) std::cout << "\t" << row.get<std::string>(10);
      std::cout << "\n";
    }
    return {};
  });
  if (!r.ok()) return Fail("conflicts", r.error().detail);
  return 0;
}

}  // namespace scim::ctl
