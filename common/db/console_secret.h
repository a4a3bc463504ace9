// The console_secret table (sql/007): the admin console's server secret,
// the key of its CSRF tokens. The only code that touches the table.
#ifndef SCIM_COMMON_DB_CONSOLE_SECRET_H_
#define SCIM_COMMON_DB_CONSOLE_SECRET_H_

#include <soci/soci.h>

#include <string>

namespace scim::db {

// The stored secret (64 hex characters); when there is none yet, stores
// fresh_hex first (INSERT IGNORE: of workers racing, the first wins and all
// read its value). Throws soci::soci_error: call it inside Guarded.
std::string ReadOrCreateConsoleSecret(soci::session& sql, const std::string& fresh_hex);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_CONSOLE_SECRET_H_
