#include "daemon/sql_directory.h"

#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"

namespace scim::sync {
namespace {

std::string Select() { return "SELECT " + DirectoryUserColumns() + " FROM directory_users d"; }

std::optional<DirectoryUser> FindBy(soci::session& sql, const char* column,
                                    const std::string& key) {
  soci::rowset<soci::row> rs =
      (sql.prepare << Select() + " WHERE d." + column + " = :k FOR UPDATE", soci::use(key));
  for (const auto& r : rs) return DirectoryUserFromRow(r, 0);
  return std::nullopt;
}

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

template <typename F>
auto Step(db::Connection& conn, F&& fn) {
  return db::Guarded(conn, std::forward<F>(fn), 1);  // part of the batch's transaction
}

}  // namespace

std::string DirectoryUserColumns() {
  return "COALESCE(d.scim_id, ''), d.user_name, COALESCE(d.given_name, ''), "
         "COALESCE(d.family_name, ''), COALESCE(d.display_name, ''), COALESCE(d.email, ''), "
         "d.role, d.active, d.local_deactivated_at IS NOT NULL, "
         "COALESCE(d.local_deactivated_by, ''), COALESCE(d.local_deactivation_reason, ''), "
         "COALESCE(DATE_FORMAT(d.local_deactivated_at, '%Y-%m-%dT%H:%i:%s.%fZ'), ''), "
         "d.scim_version";
}

DirectoryUser DirectoryUserFromRow(const soci::row& r, size_t o) {
  DirectoryUser u;
  u.scim_id = r.get<std::string>(o + 0);
  u.user_name = r.get<std::string>(o + 1);
  u.given_name = r.get<std::string>(o + 2);
  u.family_name = r.get<std::string>(o + 3);
  u.display_name = r.get<std::string>(o + 4);
  u.email = r.get<std::string>(o + 5);
  u.role = ParseRole(r.get<std::string>(o + 6)).value_or(Role::kRegistered);
  u.active = r.get<int>(o + 7) != 0;
  u.locally_deactivated = r.get<int>(o + 8) != 0;
  u.local_by = r.get<std::string>(o + 9);
  u.local_reason = r.get<std::string>(o + 10);
  u.local_since = r.get<std::string>(o + 11);
  u.scim_version = r.get<long long>(o + 12);
  return u;
}

Result<std::optional<DirectoryUser>> SqlDirectory::FindUser(std::string_view scim_id,
                                                            std::string_view user_name) {
  std::string id(scim_id), name(user_name);
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryUser>> {
    if (auto u = FindBy(sql, "scim_id", id)) return u;
    if (name.empty()) return std::optional<DirectoryUser>();
    return FindBy(sql, "user_name", name);
  });
}

Result<void> SqlDirectory::SaveUser(const DirectoryUser& u,
                                    const std::optional<DirectoryUser>& previous) {
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    std::string role(RoleName(u.role));
    int active = u.active ? 1 : 0, local = u.locally_deactivated ? 1 : 0;
    long long version = u.scim_version;
    soci::indicator gi = NullIfEmpty(u.given_name), fi = NullIfEmpty(u.family_name),
                    di = NullIfEmpty(u.display_name), ei = NullIfEmpty(u.email);
    if (!previous) {
      sql << "INSERT INTO directory_users (scim_id, user_name, given_name, family_name, "
             "display_name, email, role, active, scim_version, created_at, updated_at) VALUES "
             "(:sid, :un, :gn, :fn, :dn, :em, :r, :a, :v, NOW(3), NOW(3))",
          soci::use(u.scim_id), soci::use(u.user_name), soci::use(u.given_name, gi),
          soci::use(u.family_name, fi), soci::use(u.display_name, di), soci::use(u.email, ei),
          soci::use(role), soci::use(active), soci::use(version);
      return {};
    }
    // Match the row as it was found: by its scim_id, else (a takeover) its userName.
    std::string key = previous->scim_id.empty() ? previous->user_name : previous->scim_id;
    std::string where = previous->scim_id.empty() ? "user_name = :k" : "scim_id = :k";
    sql << "UPDATE directory_users SET scim_id = :sid, user_name = :un, given_name = :gn, "
           "family_name = :fn, display_name = :dn, email = :em, role = :r, active = :a, "
           "scim_version = :v, "
           "local_deactivated_at = IF(:l = 1, local_deactivated_at, NULL), "
           "local_deactivated_by = IF(:l2 = 1, local_deactivated_by, NULL), "
           "local_deactivation_reason = IF(:l3 = 1, local_deactivation_reason, NULL), "
           "updated_at = NOW(3) WHERE " +
               where,
        soci::use(u.scim_id), soci::use(u.user_name), soci::use(u.given_name, gi),
        soci::use(u.family_name, fi), soci::use(u.display_name, di), soci::use(u.email, ei),
        soci::use(role), soci::use(active), soci::use(version), soci::use(local), soci::use(local),
        soci::use(local), soci::use(key);
    return {};
  });
}

Result<void> SqlDirectory::DeleteUser(std::string_view scim_id) {
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "DELETE FROM directory_group_members WHERE member_scim_id = :id", soci::use(id);
    sql << "DELETE FROM directory_users WHERE scim_id = :id", soci::use(id);
    return {};
  });
}

Result<std::optional<DirectoryGroup>> SqlDirectory::FindGroup(std::string_view scim_id) {
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryGroup>> {
    DirectoryGroup g;
    long long version = 0;
    sql << "SELECT scim_id, display_name, scim_version FROM directory_groups WHERE scim_id = :g "
           "FOR UPDATE",
        soci::into(g.scim_id), soci::into(g.display_name), soci::into(version), soci::use(id);
    if (!sql.got_data()) return std::optional<DirectoryGroup>();
    g.scim_version = version;
    return std::optional<DirectoryGroup>(g);
  });
}

Result<void> SqlDirectory::SaveGroup(const DirectoryGroup& g) {
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    long long version = g.scim_version;
    sql << "INSERT INTO directory_groups (scim_id, display_name, scim_version, created_at, "
           "updated_at) VALUES (:g, :dn, :v, NOW(3), NOW(3)) ON DUPLICATE KEY UPDATE "
           "display_name = VALUES(display_name), scim_version = VALUES(scim_version), "
           "updated_at = VALUES(updated_at)",
        soci::use(g.scim_id), soci::use(g.display_name), soci::use(version);
    return {};
  });
}

Result<void> SqlDirectory::SyncGroupMembers(std::string_view scim_id) {
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "DELETE d FROM directory_group_members d LEFT JOIN scim_group_members s "
           "ON s.group_id = d.group_scim_id AND s.member_id = d.member_scim_id "
           "WHERE d.group_scim_id = :g AND s.member_id IS NULL",
        soci::use(id);
    sql << "INSERT IGNORE INTO directory_group_members (group_scim_id, member_scim_id, "
           "member_type) SELECT group_id, member_id, member_type FROM scim_group_members "
           "WHERE group_id = :g",
        soci::use(id);
    return {};
  });
}

Result<void> SqlDirectory::DeleteGroup(std::string_view scim_id) {
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "DELETE FROM directory_group_members WHERE group_scim_id = :g OR member_scim_id = :g2",
        soci::use(id), soci::use(id);
    sql << "DELETE FROM directory_groups WHERE scim_id = :g", soci::use(id);
    return {};
  });
}

Result<void> SqlDirectory::ForEachUser(const std::function<bool(const DirectoryUser&)>& visit) {
  return db::Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::rowset<soci::row> rs = sql.prepare << Select() + " ORDER BY d.user_name";
    for (const auto& r : rs) {
      if (!visit(DirectoryUserFromRow(r, 0))) break;
    }
    return {};
  });
}

Result<bool> SqlRecorder::OpenConflict(const ConflictInfo& c) {
  return Step(conn_, [&](soci::session& sql) -> Result<bool> {
    return db::UpsertOpenConflict(
        sql, {c.scim_id, c.user_name, c.idp_active, c.local_active, c.local_by, c.local_reason,
              c.local_since, c.policy == ConflictPolicy::kLocalWins ? "local_wins" : "idp_wins"});
  });
}

Result<bool> SqlRecorder::ResolveConflict(std::string_view scim_id, std::string_view resolution) {
  std::string id(scim_id), why(resolution);
  return Step(conn_, [&](soci::session& sql) -> Result<bool> {
    soci::statement st =
        (sql.prepare << "UPDATE sync_conflicts SET open_key = NULL, resolved_at = NOW(3), "
                        "resolution = :r WHERE open_key = :id",
         soci::use(why), soci::use(id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

Result<void> SqlRecorder::Audit(const AuditEntry& e) {
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    db::InsertAudit(sql, {e.actor, "", "", e.resource_type, e.resource_id, e.user_name, e.operation,
                          e.changes, e.outcome, e.detail});
    return {};
  });
}

Result<Settings> SqlRecorder::LoadSettings() {
  return Step(conn_, [&](soci::session& sql) -> Result<Settings> { return db::ReadSettings(sql); });
}

}  // namespace scim::sync
