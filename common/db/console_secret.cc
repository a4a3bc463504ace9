#include "common/db/console_secret.h"

namespace scim::db {

std::string ReadOrCreateConsoleSecret(soci::session& sql, const std::string& fresh_hex) {
  sql << "INSERT IGNORE INTO console_secret (id, secret, created_at) VALUES (1, :s, NOW(3))",
      soci::use(fresh_hex);
  std::string secret;
  sql << "SELECT secret FROM console_secret WHERE id = 1", soci::into(secret);
  return secret;
}

}  // namespace scim::db
