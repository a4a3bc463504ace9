#include "daemon/sql_directory.h"

#include "common/scim/user.h"

namespace scim::sync {
namespace {

struct Existing {
  bool found = false;
  long long id = 0;
  long long version = 0;
  bool locally_deactivated = false;
};

// Locks and reads the directory row matching the SCIM id, else the userName.
Existing FindRow(soci::session& sql, const std::string& scim_id, const std::string& user_name) {
  Existing e;
  int local = 0;
  for (const char* where : {"scim_id = :k", "user_name = :k"}) {
    const std::string& key = where[0] == 's' ? scim_id : user_name;
    sql << std::string(
               "SELECT id, scim_version, local_deactivated_at IS NOT NULL "
               "FROM directory_users WHERE ") +
               where + " FOR UPDATE",
        soci::into(e.id), soci::into(e.version), soci::into(local), soci::use(key);
    if (sql.got_data()) {
      e.found = true;
      e.locally_deactivated = local != 0;
      return e;
    }
  }
  return e;
}

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

ApplyOutcome Upsert(soci::session& sql, const Change& change) {
  UserColumns c = ColumnsOf(change.attributes);
  Existing e = FindRow(sql, change.resource_id, c.user_name);
  if (e.found && e.version >= change.version) return ApplyOutcome::kStale;
  long long version = change.version;
  int active = (c.active && !e.locally_deactivated) ? 1 : 0;
  soci::indicator gn_i = NullIfEmpty(c.given_name), fn_i = NullIfEmpty(c.family_name),
                  dn_i = NullIfEmpty(c.display_name), em_i = NullIfEmpty(c.email);
  if (!e.found) {
    sql << "INSERT INTO directory_users (scim_id, user_name, given_name, family_name, "
           "display_name, email, role, active, scim_version, created_at, updated_at) VALUES "
           "(:sid, :un, :gn, :fn, :dn, :em, 'Registered', :a, :v, NOW(3), NOW(3))",
        soci::use(change.resource_id), soci::use(c.user_name), soci::use(c.given_name, gn_i),
        soci::use(c.family_name, fn_i), soci::use(c.display_name, dn_i), soci::use(c.email, em_i),
        soci::use(active), soci::use(version);
    return ApplyOutcome::kApplied;
  }
  sql << "UPDATE directory_users SET scim_id = :sid, user_name = :un, given_name = :gn, "
         "family_name = :fn, display_name = :dn, email = :em, active = :a, scim_version = :v, "
         "updated_at = NOW(3) WHERE id = :id",
      soci::use(change.resource_id), soci::use(c.user_name), soci::use(c.given_name, gn_i),
      soci::use(c.family_name, fn_i), soci::use(c.display_name, dn_i), soci::use(c.email, em_i),
      soci::use(active), soci::use(version), soci::use(e.id);
  return ApplyOutcome::kApplied;
}

// DESIGN §5 default (deactivate): the directory keeps the user, inactive.
ApplyOutcome Deactivate(soci::session& sql, const Change& change) {
  long long version = change.version;
  soci::statement st =
      (sql.prepare << "UPDATE directory_users SET active = 0, scim_version = :v, "
                      "updated_at = NOW(3) WHERE scim_id = :sid AND scim_version < :v2",
       soci::use(version), soci::use(change.resource_id), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() > 0 ? ApplyOutcome::kApplied : ApplyOutcome::kStale;
}

ApplyOutcome UpsertGroup(soci::session& sql, const Change& change) {
  long long stored = -1, version = change.version;
  sql << "SELECT scim_version FROM directory_groups WHERE scim_id = :g FOR UPDATE",
      soci::into(stored), soci::use(change.resource_id);
  bool found = sql.got_data();
  if (found && stored >= version) return ApplyOutcome::kStale;
  const Json* dn = change.attributes.Find("displayName");
  std::string display = dn && dn->is_string() ? dn->as_string() : "";
  if (found) {
    sql << "UPDATE directory_groups SET display_name = :dn, scim_version = :v, "
           "updated_at = NOW(3) WHERE scim_id = :g",
        soci::use(display), soci::use(version), soci::use(change.resource_id);
  } else {
    sql << "INSERT INTO directory_groups (scim_id, display_name, scim_version, created_at, "
           "updated_at) VALUES (:g, :dn, :v, NOW(3), NOW(3))",
        soci::use(change.resource_id), soci::use(display), soci::use(version);
  }
  sql << "DELETE d FROM directory_group_members d LEFT JOIN scim_group_members s "
         "ON s.group_id = d.group_scim_id AND s.member_id = d.member_scim_id "
         "WHERE d.group_scim_id = :g AND s.member_id IS NULL",
      soci::use(change.resource_id);
  sql << "INSERT IGNORE INTO directory_group_members (group_scim_id, member_scim_id, member_type) "
         "SELECT group_id, member_id, member_type FROM scim_group_members WHERE group_id = :g",
      soci::use(change.resource_id);
  return ApplyOutcome::kApplied;
}

ApplyOutcome DeleteGroup(soci::session& sql, const Change& change) {
  long long version = change.version;
  soci::statement st =
      (sql.prepare << "DELETE FROM directory_groups WHERE scim_id = :g AND scim_version < :v",
       soci::use(change.resource_id), soci::use(version));
  st.execute(true);
  sql << "DELETE FROM directory_group_members WHERE group_scim_id = :g OR member_scim_id = :g2",
      soci::use(change.resource_id), soci::use(change.resource_id);
  return st.get_affected_rows() > 0 ? ApplyOutcome::kApplied : ApplyOutcome::kStale;
}

}  // namespace

Result<ApplyOutcome> SqlDirectory::ApplyGroup(const Change& change) {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<ApplyOutcome> {
        return change.op == ChangeOp::kUpsert ? UpsertGroup(sql, change) : DeleteGroup(sql, change);
      },
      1);
}

Result<ApplyOutcome> SqlDirectory::ApplyUser(const Change& change) {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<ApplyOutcome> {
        return change.op == ChangeOp::kUpsert ? Upsert(sql, change) : Deactivate(sql, change);
      },
      1);
}

}  // namespace scim::sync
