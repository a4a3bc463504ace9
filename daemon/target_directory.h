// The target user directory (the application's own user store) as the
// daemon sees it: small CRUD operations that an SQL table, an LDAP server
// or an HTTP API can all provide, plus where conflicts and audit entries
// go. A user comes with scimsync's own record of it (link, last applied
// state, local deactivation, protection: DirectoryUser). The decisions (roles, conflicts, DELETE
// modes) are made in policy.cc, not here. sql_directory.h is the SQL implementation.
#ifndef SCIM_DAEMON_TARGET_DIRECTORY_H_
#define SCIM_DAEMON_TARGET_DIRECTORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/scim/error.h"
#include "common/sync/directory_user.h"
#include "common/sync/settings.h"

namespace scim::sync {

struct DirectoryGroup {
  std::string scim_id;
  std::string display_name;
  int64_t scim_version = 0;
  std::string key;  // the group row's key; "" before it is made
};

// The keys FindUser is asked with.
struct UserKey {
  std::string scim_id;
  std::string user_name;  // "" when the change has none (a delete)
};

class TargetDirectory {
 public:
  virtual ~TargetDirectory() = default;
  // Batching, optional: the users the next FindUser calls will ask for. A
  // directory may read them all now and hold SaveUser writes until Flush
  // (or any other call that needs them written); Discard drops what it
  // holds (the surrounding transaction was rolled back). Either ends it.
  virtual Result<void> Prefetch(const std::vector<UserKey>& /*keys*/) { return {}; }
  virtual Result<void> Flush() { return {}; }
  virtual void Discard() {}

  // Which attributes the directory has a place for.
  virtual MappedFields fields() const { return {}; }
  // Whether it keeps groups (directory.groups = tables); else group
  // changes stay in the SCIM view.
  virtual bool groups() const { return true; }

  // The user linked to this SCIM id, else the one with this userName (an
  // account the application made, or kept after a SCIM delete, is taken
  // over; one linked to another live SCIM user is not: 409).
  virtual Result<std::optional<DirectoryUser>> FindUser(std::string_view scim_id,
                                                        std::string_view user_name) = 0;
  // Creates the user, or updates the row `previous` is (its key): the
  // changed attributes of the row, and the link as `user` has it.
  virtual Result<void> SaveUser(const DirectoryUser& user,
                                const std::optional<DirectoryUser>& previous) = 0;
  // Removes the row and its link.
  virtual Result<void> DeleteUser(const DirectoryUser& user) = 0;

  virtual Result<std::optional<DirectoryGroup>> FindGroup(std::string_view scim_id) = 0;
  virtual Result<void> SaveGroup(const DirectoryGroup& group) = 0;
  // Makes the group's members in the directory those of its SCIM view now:
  // all of them, or (only != nullptr) just whether these ids are members.
  virtual Result<void> SyncGroupMembers(std::string_view scim_id,
                                        const std::vector<std::string>* only) = 0;
  virtual Result<void> DeleteGroup(std::string_view scim_id) = 0;
};

struct ConflictInfo {
  std::string scim_id, user_name;
  bool idp_active = true;
  bool local_active = false;
  std::string local_by, local_reason, local_since;
  ConflictPolicy policy = ConflictPolicy::kLocalWins;
};

struct AuditEntry {
  std::string actor;  // "scim-syncd", "scim-syncd reconcile", "scimctl"
  std::string resource_type, resource_id, user_name;
  std::string operation;  // "apply", "role", "conflict", "delete", …
  std::string changes;    // compact JSON; never a password or a token
  std::string outcome;    // "applied", "not_applied", "conflict", …
  std::string detail;
};

// Conflicts and audit entries, written in the apply's transaction.
class SyncRecorder {
 public:
  virtual ~SyncRecorder() = default;
  // Opens the user's conflict, or refreshes last_seen of the open one:
  // repeated pushes never add rows. Returns true when it is new.
  virtual Result<bool> OpenConflict(const ConflictInfo& conflict) = 0;
  // Closes the user's open conflict, if any. Returns true when one closed.
  virtual Result<bool> ResolveConflict(std::string_view scim_id, std::string_view resolution) = 0;
  virtual Result<void> Audit(const AuditEntry& entry) = 0;
  // The settings as stored now (read once per batch).
  virtual Result<Settings> LoadSettings() = 0;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_TARGET_DIRECTORY_H_
