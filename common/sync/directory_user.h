// A user of the application's users table as scimsync sees it (DESIGN
// §5a): the mapped columns of its row, read through the directory mapping,
// and what scimsync keeps beside the row in its own tables (the link to a
// SCIM id, the state it last applied, a local deactivation, protection).
// Pure data, shared by the daemon, the workers (adoption) and scimctl.
#ifndef SCIM_COMMON_SYNC_DIRECTORY_USER_H_
#define SCIM_COMMON_SYNC_DIRECTORY_USER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/scim/json.h"
#include "common/sync/settings.h"

namespace scim::sync {

struct DirectoryUser {
  // The row (only mapped columns are read and written).
  std::string key;  // the row's directory.key value as text; "" before it is inserted
  std::string user_name;
  std::string given_name, family_name, display_name, email, external_id, department, title;
  std::optional<Role> role;  // nullopt: no role column, or a value role_values does not name
  bool active = true;        // a value that is neither active nor inactive reads as inactive

  // scimsync's link (directory_links); linked = false for a row it has
  // never seen (made by the application), where the rest is empty.
  bool linked = false;
  std::string scim_id;
  int64_t scim_version = 0;  // the SCIM version last applied
  bool applied_active = true;
  std::optional<Role> applied_role;
  // A deactivation the application (or scimctl, the console) made.
  bool locally_deactivated = false;
  std::string local_by, local_reason, local_since;  // since: "" = now

  bool is_protected = false;  // directory_protected: never changed by SCIM

  friend bool operator==(const DirectoryUser&, const DirectoryUser&) = default;
};

// Which attributes the application's table has a column for: the others
// are never written nor compared.
struct MappedFields {
  bool given_name = true, family_name = true, display_name = true, email = true;
  bool external_id = false, department = false, title = false;
  bool role = true;
};

// Clears the attributes u's table does not have (as a read of the row
// would show them).
void MaskUnmapped(const MappedFields& fields, DirectoryUser* u);

// The SCIM attributes of an application's user that SCIM has not seen
// (adoption, DESIGN §5a), in canonical form (NormalizeResource's): what
// its row shows of the attributes `fields` has, userType the role's name.
Json ScimAttributesOf(const DirectoryUser& u, const MappedFields& fields);

}  // namespace scim::sync

#endif  // SCIM_COMMON_SYNC_DIRECTORY_USER_H_
