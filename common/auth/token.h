// Bearer tokens: their text form, their stored hash and the lookup
// interface. Pure functions; the random bytes come from the caller.
#ifndef SCIM_COMMON_AUTH_TOKEN_H_
#define SCIM_COMMON_AUTH_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/scim/error.h"

namespace scim::auth {

// Every token starts with this, so secret scanners can recognise a leaked one.
inline constexpr std::string_view kTokenPrefix = "scimsync_";
inline constexpr size_t kTokenRandomBytes = 32;  // 256 bits

// kTokenPrefix + base64url(bytes) without padding (43 characters).
std::string TokenFromBytes(const unsigned char bytes[kTokenRandomBytes]);

// Lower-case hex SHA-256 of the token: what the database stores. A token
// carries 256 random bits, so a fast hash is enough (no dictionary to fear).
std::string HashToken(std::string_view token);

// The token of an "Authorization: Bearer <token>" header value (scheme
// matched case-insensitively), or nullopt.
std::optional<std::string_view> BearerToken(std::string_view authorization);

// Equality in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// When a token created now at now_ms should expire: an RFC 3339 time
// ("2027-01-31T00:00:00Z"), a date ("2027-01-31": its first instant, UTC)
// or a duration from now ("90d", "12h", "30m"). nullopt when malformed.
std::optional<int64_t> ParseExpiry(std::string_view text, int64_t now_ms);

struct TokenInfo {
  int64_t id = 0;
  std::string name;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // The active (not revoked, not expired) token with this hash, or nullopt.
  // Errors: 503 when the database is unavailable.
  virtual Result<std::optional<TokenInfo>> FindActive(std::string_view token_hash) = 0;
  // Records that the token was used now (implementations may throttle).
  virtual void Touch(int64_t /*token_id*/) {}
};

}  // namespace scim::auth

#endif  // SCIM_COMMON_AUTH_TOKEN_H_
