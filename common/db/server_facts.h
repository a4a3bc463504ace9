// Reads what `scimctl doctor` judges about the database server: a few
// global variables and the scimsync database's tables (information_schema,
// readable by the application account). Judging is common/ops/doctor.
#ifndef SCIM_COMMON_DB_SERVER_FACTS_H_
#define SCIM_COMMON_DB_SERVER_FACTS_H_

#include <soci/soci.h>

#include "common/ops/doctor.h"

namespace scim::db {

// REQUIRES: sql is connected to the scimsync database.
ops::ServerFacts ReadServerFacts(soci::session& sql);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_SERVER_FACTS_H_
