// What the application's own admins do to one of its users through
// scimsync — deactivate or reactivate it locally, protect or unprotect it —
// the one sequence each that scimctl and the admin console share. Each runs
// in its own transaction (retried by Guarded) and audits the action with the
// actor's name.
#ifndef SCIM_COMMON_DB_LOCAL_ADMIN_H_
#define SCIM_COMMON_DB_LOCAL_ADMIN_H_

#include <string>

#include "common/db/adoption.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"

namespace scim::db {

// Each returns false when the application has no user named user_name.
// Errors: 503/500 from the database; 409 from LockLinkedRow.

// Deactivates the user locally (who and why recorded); when the IdP wants
// it active and it is not protected, opens a conflict under the
// conflict_policy setting.
Result<bool> DeactivateLocally(Connection& conn, const Adopter& a, const std::string& user_name,
                               const std::string& actor, const std::string& reason);

// Lets the user follow the IdP again: active as the SCIM view says, and its
// open conflict resolved.
Result<bool> ReactivateLocally(Connection& conn, const Adopter& a, const std::string& user_name,
                               const std::string& actor);

// Protects (a break-glass account: invisible to SCIM, never changed by it)
// or unprotects the user. reason is recorded for protect only.
Result<bool> SetProtected(Connection& conn, const AppUsers& users, const std::string& user_name,
                          const std::string& actor, const std::string& reason, bool protect);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_LOCAL_ADMIN_H_
