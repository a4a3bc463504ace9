// Bearer tokens in the api_tokens table, the only code that reads or writes
// it: lookup for the workers; creation, listing and revocation for scimctl
// (and the admin console). Only hashes are stored.
#ifndef SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_
#define SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/auth/token.h"
#include "common/db/connection.h"

namespace scim::db {

class MysqlTokenStore : public auth::TokenStore {
 public:
  explicit MysqlTokenStore(Connection& conn) : conn_(conn) {}

  Result<std::optional<auth::TokenInfo>> FindActive(std::string_view token_hash) override;
  // Writes last_used_at at most once a minute per token and thread.
  void Touch(int64_t token_id) override;

  // Stores a new token's hash under name, expiring at expires_ms (0:
  // never); returns its id.
  Result<long long> Create(const std::string& name, const std::string& token_hash,
                           const std::string& created_by, int64_t expires_ms = 0);

 private:
  Connection& conn_;
  std::map<int64_t, std::chrono::steady_clock::time_point> touched_;
};

// --- Listing and revocation, on the caller's session (inside its
// transaction, if any). Both throw soci::soci_error: call them in Guarded.

// One token as listed: never its hash.
struct ListedToken {
  int64_t id = 0;
  std::string name;
  std::string created;    // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  std::string expires;    // the same form, or "-" when it never expires
  std::string last_used;  // the same form, or "-" when never used
  std::string status;     // "active", "expired" or "revoked" (revoked wins)
};

// Every token, revoked and expired ones too, in id order.
std::vector<ListedToken> ListTokens(soci::session& sql);

// Revokes every unrevoked token whose id is id or whose name is name (names
// need not be unique; pass id -1 to match by name only). Returns how many.
long long RevokeTokens(soci::session& sql, long long id, const std::string& name);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_
