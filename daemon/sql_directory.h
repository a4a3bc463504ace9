// TargetDirectory on the directory tables (directory_users,
// directory_groups, directory_group_members) and SyncRecorder on
// sync_conflicts, audit_log and settings: all inside the queue's
// transaction, so a change and its row's done mark commit together.
#ifndef SCIM_DAEMON_SQL_DIRECTORY_H_
#define SCIM_DAEMON_SQL_DIRECTORY_H_

#include <string>

#include "common/db/connection.h"
#include "daemon/target_directory.h"

namespace scim::sync {

// The SELECT list of a DirectoryUser from directory_users aliased `d`, and
// the user read back from a row whose first such column is at `offset`.
std::string DirectoryUserColumns();
DirectoryUser DirectoryUserFromRow(const soci::row& row, size_t offset);

class SqlDirectory : public TargetDirectory {
 public:
  explicit SqlDirectory(db::Connection& conn) : conn_(conn) {}

  Result<std::optional<DirectoryUser>> FindUser(std::string_view scim_id,
                                                std::string_view user_name) override;
  Result<void> SaveUser(const DirectoryUser& user,
                        const std::optional<DirectoryUser>& previous) override;
  Result<void> DeleteUser(std::string_view scim_id) override;
  Result<std::optional<DirectoryGroup>> FindGroup(std::string_view scim_id) override;
  Result<void> SaveGroup(const DirectoryGroup& group) override;
  Result<void> SyncGroupMembers(std::string_view scim_id) override;
  Result<void> DeleteGroup(std::string_view scim_id) override;
  Result<void> ForEachUser(const std::function<bool(const DirectoryUser&)>& visit) override;

 private:
  db::Connection& conn_;
};

class SqlRecorder : public SyncRecorder {
 public:
  explicit SqlRecorder(db::Connection& conn) : conn_(conn) {}

  Result<bool> OpenConflict(const ConflictInfo& conflict) override;
  Result<bool> ResolveConflict(std::string_view scim_id, std::string_view resolution) override;
  Result<void> Audit(const AuditEntry& entry) override;
  Result<Settings> LoadSettings() override;

 private:
  db::Connection& conn_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_SQL_DIRECTORY_H_
