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

}  // namespace

Result<ApplyOutcome> SqlDirectory::ApplyUser(const Change& change) {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<ApplyOutcome> {
        return change.op == ChangeOp::kUpsert ? Upsert(sql, change) : Deactivate(sql, change);
      },
      1);
}

}  // namespace scim::sync
