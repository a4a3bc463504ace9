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
  kMissing,    // in SCIM, not in the directory
  kDrifted,    // changed behind SCIM's back (not a local deactivation)
  kConflict,   // locally deactivated while the IdP wants it active
  kUnknown,    // in the directory, never seen by SCIM: adopted (made visible)
  kRetired,    // deleted in SCIM, kept in the directory (deactivate mode)
  kLocal,      // the application changed it (a local deactivation, reactivation): recorded
  kProtected,  // a protected account: never changed by SCIM
};

std::string_view DriftClassName(DriftClass c);

struct UserVerdict {
  DriftClass drift = DriftClass::kInSync;
  UserPlan plan;       // what applying the SCIM state would do
  std::string detail;  // which fields differ, for the report
};

// One SCIM user (id, version, attributes) against its directory row.
// What the application changed itself (PlanUpsert's local changes) is not
// drift: kLocal when only scimsync's record of the row changes, kConflict
// when the IdP wants active a user the application deactivated.
UserVerdict ClassifyUser(const std::string& scim_id, int64_t version, const Json& attributes,
                         const std::optional<DirectoryUser>& current, const Settings& settings,
                         const MappedFields& fields = {});

// A directory user no SCIM user is linked to: never seen (adopt it),
// protected, or retired. A retired user that scimsync left active has
// drifted (deactivate mode): fix deactivates it; one the application
// reactivated after scimsync deactivated it stays (a local change).
struct OrphanVerdict {
  DriftClass drift = DriftClass::kUnknown;
  bool adopt = false;                // make it visible to SCIM
  std::optional<DirectoryUser> fix;  // set when it should be written
};
OrphanVerdict ClassifyOrphan(const DirectoryUser& user, const Settings& settings);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_RECONCILE_H_
