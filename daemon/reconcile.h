// Reconcile (DESIGN §6): compares the SCIM view with the directory and
// says, per user, what is wrong and what applying would do. Pure; the
// streaming run over the database is in reconcile_run.cc.
#ifndef SCIM_DAEMON_RECONCILE_H_
#define SCIM_DAEMON_RECONCILE_H_

#include <optional>
#include <string>

#include "common/scim/json.h"
#include "daemon/policy.h"

namespace scim::sync {

enum class DriftClass {
  kInSync,
  kMissing,   // in SCIM, not in the directory
  kDrifted,   // changed behind SCIM's back (not a local deactivation)
  kConflict,  // locally deactivated while the IdP wants it active
  kUnknown,   // in the directory, never provisioned by SCIM: reported only
  kRetired,   // deleted in SCIM, kept in the directory (deactivate mode)
};

std::string_view DriftClassName(DriftClass c);

struct UserVerdict {
  DriftClass drift = DriftClass::kInSync;
  UserPlan plan;       // what applying the SCIM state would do
  std::string detail;  // which fields differ, for the report
};

// One SCIM user (id, version, attributes) against its directory row.
UserVerdict ClassifyUser(const std::string& scim_id, int64_t version, const Json& attributes,
                         const std::optional<DirectoryUser>& current, const Settings& settings);

// A directory user whose SCIM id is not in the SCIM view (or who has none).
// A retired user that is still active has drifted: plan deactivates it.
struct OrphanVerdict {
  DriftClass drift = DriftClass::kUnknown;
  std::optional<DirectoryUser> fix;  // set when it should be written
};
OrphanVerdict ClassifyOrphan(const DirectoryUser& user, const Settings& settings);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_RECONCILE_H_
