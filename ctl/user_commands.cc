// scimctl user deactivate / reactivate and conflicts: what the
// application's own admins do to the directory, bypassing SCIM.
#include <iostream>

#include "common/db/connection.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

struct Target {
  bool found = false;
  long long id = 0;
  std::string scim_id;
  int scim_active = -1;  // the IdP's wish from the SCIM view; -1: not in SCIM
};

Target Lock(soci::session& sql, const std::string& user_name) {
  Target t;
  soci::indicator si, ai;
  sql << "SELECT d.id, COALESCE(d.scim_id, ''), s.active FROM directory_users d "
         "LEFT JOIN scim_users s ON s.id = d.scim_id WHERE d.user_name = :u FOR UPDATE",
      soci::into(t.id), soci::into(t.scim_id, si), soci::into(t.scim_active, ai),
      soci::use(user_name);
  t.found = sql.got_data();
  if (ai != soci::i_ok) t.scim_active = -1;
  return t;
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
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    Target t = Lock(sql, user);
    if (!t.found) return false;
    sql << "UPDATE directory_users SET active = 0, local_deactivated_by = :by, "
           "local_deactivated_at = NOW(3), local_deactivation_reason = :why, updated_at = NOW(3) "
           "WHERE id = :id",
        soci::use(actor), soci::use(reason), soci::use(t.id);
    if (t.scim_active == 1) {  // the IdP wants this user active: a conflict from now on
      bool local_wins = db::ReadSettings(sql).conflict_policy == sync::ConflictPolicy::kLocalWins;
      db::UpsertOpenConflict(sql, {t.scim_id, user, true, false, actor, reason, "",
                                   local_wins ? "local_wins" : "idp_wins"});
    }
    AuditAdmin(sql, actor, "user deactivate", reason, user);
    tr.commit();
    return true;
  });
  if (!r.ok()) return Fail("user deactivate", r.error().detail);
  if (!r.value()) return Fail("user deactivate", "no directory user '" + user + "'");
  std::cerr << "deactivated " << user << " locally; SCIM will not reactivate it"
            << " (conflict_policy local_wins) until `scimctl user reactivate`\n";
  return 0;
}

int UserReactivate(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  if (pos.size() != 1) {
    std::cerr << "scimctl: user reactivate USERNAME [--by NAME]\n";
    return 2;
  }
  std::string user = pos[0], actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    Target t = Lock(sql, user);
    if (!t.found) return false;
    // The user follows the IdP again: active as the SCIM view says.
    int active = t.scim_active == -1 ? 1 : t.scim_active;
    sql << "UPDATE directory_users SET active = :a, local_deactivated_by = NULL, "
           "local_deactivated_at = NULL, local_deactivation_reason = NULL, updated_at = NOW(3) "
           "WHERE id = :id",
        soci::use(active), soci::use(t.id);
    std::string why = "reactivated locally by " + actor;
    sql << "UPDATE sync_conflicts SET open_key = NULL, resolved_at = NOW(3), resolution = :r "
           "WHERE open_key = :id",
        soci::use(why), soci::use(t.scim_id);
    AuditAdmin(sql, actor, "user reactivate", active ? "active" : "inactive as the IdP says", user);
    tr.commit();
    return true;
  });
  if (!r.ok()) return Fail("user reactivate", r.error().detail);
  if (!r.value()) return Fail("user reactivate", "no directory user '" + user + "'");
  std::cerr << "reactivated " << user << " locally; it follows the IdP again\n";
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
