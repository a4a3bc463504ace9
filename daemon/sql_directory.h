// TargetDirectory on the application's users table through the directory
// mapping (common/db/app_users, app_groups: the SQL lives there), and
// SyncRecorder on sync_conflicts, audit_log and settings: all inside the
// queue's transaction, so a change and its row's done mark commit
// together.
#ifndef SCIM_DAEMON_SQL_DIRECTORY_H_
#define SCIM_DAEMON_SQL_DIRECTORY_H_

#include <map>
#include <string>

#include "common/db/app_groups.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "daemon/target_directory.h"

namespace scim::sync {

// In a batch (Prefetch … Flush/Discard) it reads the batch's users with two
// queries (by SCIM id, then by userName) and answers FindUser from what it
// read and wrote. It holds the batch's writes: at Flush (or before any
// statement that needs them in the tables), updates changing the same
// columns become one UPDATE … JOIN, new rows multi-row INSERTs and the
// links multi-row upserts, 500 to a statement. A unique-key clash
// surfaces at Flush as an error, and the sync loop then applies the batch
// row by row.
class SqlDirectory : public TargetDirectory {
 public:
  SqlDirectory(db::Connection& conn, const config::DirectoryMapping& mapping);
  MappedFields fields() const override { return users_.fields(); }
  bool groups() const override { return users_.mapping().groups; }
  const db::AppUsers& users() const { return users_; }
  const db::AppGroups& app_groups() const { return groups_; }

  Result<void> Prefetch(const std::vector<UserKey>& keys) override;
  Result<void> Flush() override;
  void Discard() override;

  Result<std::optional<DirectoryUser>> FindUser(std::string_view scim_id,
                                                std::string_view user_name) override;
  Result<void> SaveUser(const DirectoryUser& user,
                        const std::optional<DirectoryUser>& previous) override;
  Result<void> DeleteUser(const DirectoryUser& user) override;
  Result<std::optional<DirectoryGroup>> FindGroup(std::string_view scim_id) override;
  Result<void> SaveGroup(const DirectoryGroup& group) override;
  Result<void> SyncGroupMembers(std::string_view scim_id,
                                const std::vector<std::string>* only) override;
  Result<void> DeleteGroup(std::string_view scim_id) override;

 private:
  struct Held {
    DirectoryUser user;                   // to write; key "" for a new row until it is inserted
    std::optional<DirectoryUser> before;  // the row as read (nullopt: a new row)
    std::string_view linked_by;           // create | adopt | takeover
    bool relink = false;
  };
  // Writes what the batch holds (the batch goes on).
  Result<void> WriteHeld();
  // Before a statement that needs every held write in the tables.
  Result<void> Barrier() { return batch_ ? WriteHeld() : Result<void>(); }
  void Remember(const DirectoryUser& user, const std::optional<DirectoryUser>& previous);
  // A row found by userName may be taken over unless it is linked to
  // another SCIM user that still exists (409 uniqueness then).
  Result<std::optional<DirectoryUser>> Claimable(const std::optional<DirectoryUser>& u,
                                                 const std::string& scim_id);
  // u (found by userName) for scim_id to take, or 409 when it is linked to
  // another SCIM user that still exists.
  static Result<std::optional<DirectoryUser>> Claim(soci::session& sql,
                                                    const std::optional<DirectoryUser>& u,
                                                    const std::string& scim_id);

  db::Connection& conn_;
  db::AppUsers users_;
  db::AppGroups groups_;
  bool batch_ = false;
  // What the batch knows of the table; nullopt: known to be absent.
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
