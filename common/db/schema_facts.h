// Reads what the directory check judges (common/ops/directory_check): the
// mapped tables as the configured account sees them (information_schema
// SCHEMATA, TABLES, COLUMNS, STATISTICS) and whether it may SELECT,
// INSERT, UPDATE and DELETE there, tried on no row and rolled back. Also
// the one check that `scimctl directory check`, scim-fcgi and scim-syncd
// run.
#ifndef SCIM_COMMON_DB_SCHEMA_FACTS_H_
#define SCIM_COMMON_DB_SCHEMA_FACTS_H_

#include <soci/soci.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "common/db/connection.h"
#include "common/ops/directory_check.h"

namespace scim::db {

// REQUIRES: sql is connected to the scimsync database, named
// default_schema (tables of the mapping without a schema are there).
// Refused statements are facts; a lost connection throws (run it inside
// Guarded).
ops::DirectoryFacts ReadDirectoryFacts(soci::session& sql, const config::DirectoryMapping& m,
                                       const std::string& default_schema);

// Reads the facts for config.directory and judges them. Errors: 503 when
// the database cannot be reached, 500 when reading failed otherwise.
Result<std::vector<ops::Problem>> CheckDirectoryMapping(Connection& conn,
                                                        const config::Config& config);

// The start-up check of scim-fcgi and scim-syncd. False when the mapping
// fails the check: each problem is logged (as component) and the caller
// exits non-zero. True when it passes (warnings logged), and also when it
// could not be checked because the database is unavailable: the check is
// about a wrong mapping, not availability, so a worker started during an
// outage still starts and reconnects later (logged as
// event=directory_check_skipped).
bool DirectoryMappingUsable(const config::Config& config, std::string_view component);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_SCHEMA_FACTS_H_
