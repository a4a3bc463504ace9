// The settings and role_mappings tables: what the daemon reads each batch
// and scimctl changes.
#ifndef SCIM_COMMON_DB_SETTINGS_STORE_H_
#define SCIM_COMMON_DB_SETTINGS_STORE_H_

#include <soci/soci.h>

#include <string>

#include "common/sync/settings.h"

namespace scim::db {

// The stored settings over the defaults. A stored value that no longer
// parses is skipped (the default holds) and logged.
sync::Settings ReadSettings(soci::session& sql);

// Validates and stores one setting. Errors: those of sync::SetSetting.
Result<void> WriteSetting(soci::session& sql, const std::string& key, const std::string& value,
                          const std::string& by);

void WriteRoleMapping(soci::session& sql, const std::string& idp_value, sync::Role role);
// Returns false when there was no such mapping.
bool DeleteRoleMapping(soci::session& sql, const std::string& idp_value);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_SETTINGS_STORE_H_
