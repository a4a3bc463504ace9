// TargetDirectory on the directory_users table (the application's own user
// store), writing inside the queue's transaction so that a change and its
// row's done mark commit together.
#ifndef SCIM_DAEMON_SQL_DIRECTORY_H_
#define SCIM_DAEMON_SQL_DIRECTORY_H_

#include "common/db/connection.h"
#include "daemon/target_directory.h"

namespace scim::sync {

class SqlDirectory : public TargetDirectory {
 public:
  explicit SqlDirectory(db::Connection& conn) : conn_(conn) {}

  // Finds the directory user by SCIM id, else by userName (an account that
  // existed before SCIM, or one kept deactivated after a SCIM delete, is
  // taken over), else creates it as Registered. A locally deactivated user
  // stays inactive whatever the IdP sends (DESIGN §6, local_wins).
  // Roles are not changed yet: promotion rules come with issue 4.
  Result<ApplyOutcome> ApplyUser(const Change& change) override;

  // Upserts directory_groups by SCIM id and makes the group's rows in
  // directory_group_members equal to its SCIM membership as it is now (read
  // from scim_group_members in this transaction): order-independent and
  // idempotent. A delete removes the group and its memberships.
  Result<ApplyOutcome> ApplyGroup(const Change& change) override;

 private:
  db::Connection& conn_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_SQL_DIRECTORY_H_
