// Helpers shared by app_users.cc (reads) and app_users_write.cc (writes):
// the DirectoryUser field of a mapped text attribute, and values bound to
// a statement built piece by piece (common/db/statement_binds.h). Internal to common/db/app_users*.
#ifndef SCIM_COMMON_DB_APP_USERS_SQL_H_
#define SCIM_COMMON_DB_APP_USERS_SQL_H_

#include <soci/soci.h>

#include <string>

#include "common/config/directory_mapping.h"
#include "common/db/statement_binds.h"
#include "common/sync/directory_user.h"

namespace scim::db::app_sql {

using stmt::NullIfEmpty;

inline bool IsTimestamp(config::Attr a) {
  return a == config::Attr::kCreatedAt || a == config::Attr::kUpdatedAt;
}

// The field of u that holds a text attribute; nullptr for active, role and
// the timestamps.
inline std::string* Field(sync::DirectoryUser* u, config::Attr a) {
  using config::Attr;
  switch (a) {
    case Attr::kUserName:
      return &u->user_name;
    case Attr::kGivenName:
      return &u->given_name;
    case Attr::kFamilyName:
      return &u->family_name;
    case Attr::kDisplayName:
      return &u->display_name;
    case Attr::kEmail:
      return &u->email;
    case Attr::kExternalId:
      return &u->external_id;
    case Attr::kDepartment:
      return &u->department;
    case Attr::kTitle:
      return &u->title;
    default:
      return nullptr;
  }
}

// Values bound to a statement built piece by piece (statement_binds.h).
using stmt::Binds;
using stmt::Run;

}  // namespace scim::db::app_sql

#endif  // SCIM_COMMON_DB_APP_USERS_SQL_H_
