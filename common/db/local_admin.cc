#include "common/db/local_admin.h"

#include "common/db/mysql_user_store.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"

namespace scim::db {
namespace {

// Runs fn on the locked, linked row of user_name, in one transaction.
template <typename F>
Result<bool> OnUser(Connection& conn, const Adopter& a, const std::string& user_name, F fn) {
  return Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    auto row = LockLinkedRow(sql, a, user_name);
    if (!row.ok()) return row.error();
    if (!row.value()) return false;
    fn(sql, *row.value());
    tr.commit();
    return true;
  });
}

}  // namespace

Result<bool> DeactivateLocally(Connection& conn, const Adopter& a, const std::string& user_name,
                               const std::string& actor, const std::string& reason) {
  return OnUser(conn, a, user_name, [&](soci::session& sql, const sync::DirectoryUser& u) {
    a.users.DeactivateLocally(sql, u, actor, reason);
    if (!u.is_protected && ScimUserActive(sql, u.scim_id) == true) {
      // the IdP wants this user active: a conflict from now on
      bool local_wins = ReadSettings(sql).conflict_policy == sync::ConflictPolicy::kLocalWins;
      UpsertOpenConflict(sql, {u.scim_id, user_name, true, false, actor, reason, "",
                               local_wins ? "local_wins" : "idp_wins"});
    }
    InsertAdminAudit(sql, actor, "user deactivate", reason, user_name);
  });
}

Result<bool> ReactivateLocally(Connection& conn, const Adopter& a, const std::string& user_name,
                               const std::string& actor) {
  return OnUser(conn, a, user_name, [&](soci::session& sql, const sync::DirectoryUser& u) {
    // The user follows the IdP again: active as the SCIM view says.
    bool active = ScimUserActive(sql, u.scim_id).value_or(true);
    a.users.ReactivateLocally(sql, u, active);
    ResolveOpenConflict(sql, u.scim_id, "reactivated locally by " + actor);
    InsertAdminAudit(sql, actor, "user reactivate", active ? "active" : "inactive as the IdP says",
                     user_name);
  });
}

Result<bool> SetProtected(Connection& conn, const AppUsers& users, const std::string& user_name,
                          const std::string& actor, const std::string& reason, bool protect) {
  return Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    auto row = users.ByUserName(sql, user_name, true);
    if (!row) return false;
    if (protect) {
      users.Protect(sql, *row, actor, reason);
    } else {
      users.Unprotect(sql, *row);
    }
    InsertAdminAudit(sql, actor, protect ? "user protect" : "user unprotect", reason, user_name);
    tr.commit();
    return true;
  });
}

}  // namespace scim::db
