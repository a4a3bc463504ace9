// The PasswordHasher of the workers: PBKDF2-HMAC-SHA256 with a random
// 16-byte salt (OpenSSL), stored as
// "$pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>". The directory
// receives this string, never the clear text.
#ifndef SCIM_COMMON_UTIL_PASSWORD_H_
#define SCIM_COMMON_UTIL_PASSWORD_H_

#include <string>
#include <string_view>

#include "common/scim/resource_service.h"

namespace scim::util {

class Pbkdf2Hasher : public PasswordHasher {
 public:
  // 100,000 iterations: about 40 ms on the 2-core test machine, paid once
  // per password change (Okta "Sync Password" sends it on create/update).
  static constexpr int kIterations = 100000;

  std::string Hash(std::string_view clear_text) override;
};

// Whether clear_text matches a hash made by Pbkdf2Hasher.
bool VerifyPassword(std::string_view clear_text, std::string_view stored);

}  // namespace scim::util

#endif  // SCIM_COMMON_UTIL_PASSWORD_H_
