// The application's groups and memberships through the directory mapping
// (directory.groups = tables), with directory_group_links (SCIM group id
// <-> the group row's key). Memberships hold the users' member_user_key
// values; only users are members (a nested SCIM group is not written).
// Every function runs inside the caller's transaction.
#ifndef SCIM_COMMON_DB_APP_GROUPS_H_
#define SCIM_COMMON_DB_APP_GROUPS_H_

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "common/db/app_users.h"

namespace scim::db {

struct AppGroup {
  std::string key;  // the group row's key as text
  std::string display_name;
  long long applied_version = 0;
};

class AppGroups {
 public:
  explicit AppGroups(const AppUsers& users) : users_(users), m_(users.mapping()) {}

  // The group row linked to this SCIM id (locked); nullopt when there is no
  // link or the application deleted the row.
  std::optional<AppGroup> Find(soci::session& sql, const std::string& scim_id) const;
  // Creates (key empty) or renames the row and writes the link. Returns the key.
  std::string Save(soci::session& sql, const std::string& scim_id, const AppGroup& group) const;
  // Makes the row's members those of the SCIM group: all, or (only) just
  // these member SCIM ids.
  void SyncMembers(soci::session& sql, const std::string& scim_id, const std::string& key,
                   const std::vector<std::string>* only) const;
  // Deletes the row, its memberships and its link (if any).
  void Delete(soci::session& sql, const std::string& scim_id) const;

  // For reconcile: a SELECT of "g.seq, g.id, g.display_name, g.version,
  // present, row display name, key, members missing, members extra" of
  // scim_groups g with seq > :last, LIMIT :n.
  std::string ReconcilePage() const;

 private:
  // "FROM scim_group_members s JOIN links JOIN users a": the SCIM group's
  // user members that have a row, for the group id bound as :gid.
  std::string MembersWithRows() const;

  const AppUsers& users_;
  const config::DirectoryMapping& m_;
};

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_APP_GROUPS_H_
