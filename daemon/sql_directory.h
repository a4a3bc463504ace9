// TargetDirectory on the directory tables (directory_users,
// directory_groups, directory_group_members) and SyncRecorder on
// sync_conflicts, audit_log and settings: all inside the queue's
// transaction, so a change and its row's done mark commit together.
#ifndef SCIM_DAEMON_SQL_DIRECTORY_H_
#define SCIM_DAEMON_SQL_DIRECTORY_H_

#include <map>
#include <string>

#include "common/db/connection.h"
#include "daemon/target_directory.h"

namespace scim::sync {

// The SELECT list of a DirectoryUser from directory_users aliased `d`, and
// the user read back from a row whose first such column is at `offset`.
std::string DirectoryUserColumns();
DirectoryUser DirectoryUserFromRow(const soci::row& row, size_t offset);

// In a batch (Prefetch … Flush/Discard) it reads the batch's users with one
// query, answers FindUser from what it read and wrote, and holds SaveUser
// writes: at Flush, runs of new users become one multi-row INSERT and runs
// of plain updates (same scim_id and userName, no local deactivation) one
// INSERT … ON DUPLICATE KEY UPDATE; anything else is written as before, in
// order. A unique-key clash surfaces at Flush as an error, and the sync
// loop then applies the batch row by row.
class SqlDirectory : public TargetDirectory {
 public:
  explicit SqlDirectory(db::Connection& conn) : conn_(conn) {}
  Result<void> Prefetch(const std::vector<UserKey>& keys) override;
  Result<void> Flush() override;
  void Discard() override;

  Result<std::optional<DirectoryUser>> FindUser(std::string_view scim_id,
                                                std::string_view user_name) override;
  Result<void> SaveUser(const DirectoryUser& user,
                        const std::optional<DirectoryUser>& previous) override;
  Result<void> DeleteUser(std::string_view scim_id) override;
  Result<std::optional<DirectoryGroup>> FindGroup(std::string_view scim_id) override;
  Result<void> SaveGroup(const DirectoryGroup& group) override;
  Result<void> SyncGroupMembers(std::string_view scim_id,
                                const std::vector<std::string>* only) override;
  Result<void> DeleteGroup(std::string_view scim_id) override;
  Result<void> ForEachUser(const std::function<bool(const DirectoryUser&)>& visit) override;

 private:
  struct Held {
    DirectoryUser user;
    std::optional<DirectoryUser> previous;
  };
  // Writes the held users (the batch goes on).
  Result<void> WriteHeld();
  // Before a statement that needs every held write in the table.
  Result<void> Barrier() { return batch_ ? WriteHeld() : Result<void>(); }
  void Remember(const DirectoryUser& user, const std::optional<DirectoryUser>& previous);

  db::Connection& conn_;
  bool batch_ = false;
  // What the batch knows of directory_users; nullopt: known to be absent.
  std::map<std::string, std::optional<DirectoryUser>> by_id_, by_name_;
  std::vector<Held> held_;
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
