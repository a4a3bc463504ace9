// Bearer tokens in the api_tokens table: lookup for the workers, creation
// for scimctl. Only hashes are stored.
#ifndef SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_
#define SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_

#include <chrono>
#include <map>
#include <string>

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

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_TOKEN_STORE_H_
