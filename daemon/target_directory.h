// The target user directory: where changes end up. The SQL implementation
// (sql_directory.h) is the default; an LDAP or HTTP target implements the
// same interface. Implementations must be idempotent by version: applying
// version n twice, or n after n+1, changes nothing.
#ifndef SCIM_DAEMON_TARGET_DIRECTORY_H_
#define SCIM_DAEMON_TARGET_DIRECTORY_H_

#include "common/scim/error.h"
#include "daemon/change.h"

namespace scim::sync {

enum class ApplyOutcome {
  kApplied,  // the directory now reflects the change
  kStale,    // the directory already holds this version or a newer one
};

class TargetDirectory {
 public:
  virtual ~TargetDirectory() = default;
  // Applies a User change. Errors make the queue row retry, then go dead.
  virtual Result<ApplyOutcome> ApplyUser(const Change& change) = 0;
  // Applies a Group change: its attributes and its membership.
  virtual Result<ApplyOutcome> ApplyGroup(const Change& change) = 0;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_TARGET_DIRECTORY_H_
